package eu.hbp.mip.anonymiser.dicom;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test corpus of DICOM files full of fake identifiers, made with DCMTK's dump2dcm from text
 * dumps written here: one MR series of four instances, each in another transfer syntax
 * (explicit VR little endian, implicit VR little endian, explicit VR big endian, deflated),
 * referring to each other. {@link #SECRETS} lists every original identifying value.
 */
final class Corpus {

    static final String PATIENT_ID = "HOSP-4711";
    static final String STUDY_UID = "1.2.826.0.1.3680043.2.1125.77.3";
    static final String SERIES_UID = "1.2.826.0.1.3680043.2.1125.77.4";
    static final String FRAME_UID = "1.2.826.0.1.3680043.2.1125.77.5";
    static final String SOP_PREFIX = "1.2.826.0.1.3680043.2.1125.77.10.";

    /** Every identifying value put into the corpus, none of which may survive. */
    static final List<String> SECRETS = List.of(
            "Johnathan", "Doe^Johnathan", "Johnny", "Faketown", "Fakeville", "claustrophobic", "Roberta", "Pauline", "Oscar", "Rachel", "Fakeland", "Imaginary Road",
            "Fictional Street", "FAKESTATION7", "ACC778899", PATIENT_ID, "SERIAL123456", "STUDY98765",
            "REQ555666", "VISIT24680", "+41 21 555 01 23", "19700215", "20210317", "101500", "101533",
            STUDY_UID, SERIES_UID, FRAME_UID, SOP_PREFIX, "Mother^Maiden", "ins.no 88-22-11");

    /** The transfer syntax options of dump2dcm, one per instance. */
    static final List<String> SYNTAXES = List.of("+te", "+ti", "+tb", "+td");

    private Corpus() {
    }

    /** The SOP Instance UID of instance {@code n} (1-based). */
    static String sopUid(int n) {
        return SOP_PREFIX + n;
    }

    /**
     * Writes the four-instance series into {@code dir}.
     *
     * @return the files, in instance order
     */
    static List<Path> series(Path dir) {
        List<Path> files = new ArrayList<>();
        for (int n = 1; n <= SYNTAXES.size(); n++) {
            files.add(instance(dir, "in-Doe-Johnathan-" + n, n, Map.of(), SYNTAXES.get(n - 1)));
        }
        return files;
    }

    /**
     * Writes one instance.
     *
     * @param name the file name (without .dcm): the corpus puts the patient's name in it on purpose
     * @param n the instance number
     * @param overrides dump lines to replace, by tag as written in the dump ("(0008,0008)"); an
     *        empty value drops the line
     * @param syntax a dump2dcm transfer syntax option
     */
    static Path instance(Path dir, String name, int n, Map<String, String> overrides, String syntax) {
        try {
            Files.createDirectories(dir);
            Path raw = dir.resolve(name + ".raw");
            byte[] pixels = new byte[64 * 64 * 2];
            for (int i = 0; i < pixels.length; i += 2) {
                pixels[i] = (byte) ((i / 2) % 200);
            }
            Files.write(raw, pixels);
            Map<String, String> lines = lines(n, raw);
            for (Map.Entry<String, String> o : overrides.entrySet()) {
                if (o.getValue().isEmpty()) {
                    lines.remove(o.getKey());
                } else {
                    lines.put(o.getKey(), o.getValue());
                }
            }
            Path dump = dir.resolve(name + ".dump");
            Files.writeString(dump, String.join("\n", lines.values()) + "\n");
            Path out = Tools.dump2dcm(dump, dir.resolve(name + ".dcm"), syntax);
            Files.delete(dump);
            Files.delete(raw);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> lines(int n, Path raw) {
        int other = n == 1 ? 2 : 1;
        Map<String, String> l = new LinkedHashMap<>();
        add(l, "(0008,0005) CS [ISO_IR 100]");
        add(l, "(0008,0008) CS [ORIGINAL\\PRIMARY\\M\\ND]");
        add(l, "(0008,0012) DA [20210317]");
        add(l, "(0008,0013) TM [101533]");
        add(l, "(0008,0016) UI =MRImageStorage");
        add(l, "(0008,0018) UI [" + sopUid(n) + "]");
        add(l, "(0008,0020) DA [20210317]");
        add(l, "(0008,0021) DA [20210317]");
        add(l, "(0008,0022) DA [20210317]");
        add(l, "(0008,0023) DA [20210317]");
        add(l, "(0008,0030) TM [101500]");
        add(l, "(0008,0031) TM [101500]");
        add(l, "(0008,0050) SH [ACC778899]");
        add(l, "(0008,0060) CS [MR]");
        add(l, "(0008,0070) LO [Example MR Systems]");
        add(l, "(0008,0080) LO [Saint Fakeland Hospital]");
        add(l, "(0008,0081) ST [12 Imaginary Road, Fakeville]");
        add(l, "(0008,0090) PN [Referring^Roberta]");
        add(l, "(0008,0094) SH [+41 21 555 01 23]");
        add(l, "(0008,1010) SH [FAKESTATION7]");
        add(l, "(0008,1030) LO [Brain study]");
        add(l, "(0008,103e) LO [T1 MPRAGE]");
        add(l, "(0008,1050) PN [Performing^Pauline]");
        add(l, "(0008,1070) PN [Operator^Oscar]");
        add(l, "(0008,1090) LO [ExampleScanner 3T]");
        add(l, "(0008,1140) SQ (Sequence with undefined length)\n(fffe,e000) na (Item with undefined length)\n"
                + "(0008,1150) UI =MRImageStorage\n(0008,1155) UI [" + sopUid(other) + "]\n"
                + "(fffe,e00d) na (ItemDelimitationItem)\n(fffe,e0dd) na (SequenceDelimitationItem)");
        add(l, "(0009,0010) LO [ACME_PRIVATE_1]");
        add(l, "(0009,1001) LO [Doe^Johnathan]");
        add(l, "(0009,1002) SH [VISIT24680]");
        add(l, "(0010,0010) PN [Doe^Johnathan]");
        add(l, "(0010,0020) LO [" + PATIENT_ID + "]");
        add(l, "(0010,0030) DA [19700215]");
        add(l, "(0010,0040) CS [M]");
        add(l, "(0010,1001) PN [Doe^Johnny]");
        add(l, "(0010,1010) AS [051Y]");
        add(l, "(0010,1040) LO [7 Fictional Street, Faketown]");
        add(l, "(0010,1060) PN [Mother^Maiden]");
        add(l, "(0010,1050) LO [ins.no 88-22-11]");
        add(l, "(0010,4000) LT [Patient Doe^Johnathan is claustrophobic]");
        add(l, "(0018,0020) CS [GR]");
        add(l, "(0018,0021) CS [SP]");
        add(l, "(0018,0022) CS [PFP]");
        add(l, "(0018,0023) CS [3D]");
        add(l, "(0018,0050) DS [1]");
        add(l, "(0018,0080) DS [2300]");
        add(l, "(0018,0081) DS [2.98]");
        add(l, "(0018,0087) DS [3]");
        add(l, "(0018,0091) IS [1]");
        add(l, "(0018,1000) LO [SERIAL123456]");
        add(l, "(0018,1314) DS [9]");
        add(l, "(0018,5100) CS [HFS]");
        add(l, "(0020,000d) UI [" + STUDY_UID + "]");
        add(l, "(0020,000e) UI [" + SERIES_UID + "]");
        add(l, "(0020,0010) SH [STUDY98765]");
        add(l, "(0020,0011) IS [3]");
        add(l, "(0020,0013) IS [" + n + "]");
        add(l, "(0020,0032) DS [-100\\-100\\" + (10 + n * 1.5) + "]");
        add(l, "(0020,0037) DS [1\\0\\0\\0\\1\\0]");
        add(l, "(0020,0052) UI [" + FRAME_UID + "]");
        add(l, "(0020,0060) CS []");
        add(l, "(0020,1040) LO []");
        add(l, "(0020,1041) DS [" + (10 + n * 1.5) + "]");
        add(l, "(0028,0002) US 1");
        add(l, "(0028,0004) CS [MONOCHROME2]");
        add(l, "(0028,0010) US 64");
        add(l, "(0028,0011) US 64");
        add(l, "(0028,0030) DS [1\\1]");
        add(l, "(0028,0100) US 16");
        add(l, "(0028,0101) US 12");
        add(l, "(0028,0102) US 11");
        add(l, "(0028,0103) US 0");
        add(l, "(0032,1032) PN [Requesting^Rachel]");
        add(l, "(0040,0275) SQ (Sequence with undefined length)\n(fffe,e000) na (Item with undefined length)\n"
                + "(0040,0008) SQ (Sequence with undefined length)\n(fffe,e000) na (Item with undefined length)\n"
                + "(0008,0100) SH [REQ555666]\n(0008,0102) SH [99LOCAL]\n(0008,0104) LO [Requested for Doe^Johnathan]\n"
                + "(fffe,e00d) na (ItemDelimitationItem)\n(fffe,e0dd) na (SequenceDelimitationItem)\n"
                + "(0040,1001) SH [REQ555666]\n(0032,1032) PN [Requesting^Rachel]\n"
                + "(fffe,e00d) na (ItemDelimitationItem)\n(fffe,e0dd) na (SequenceDelimitationItem)");
        add(l, "(5000,0005) US 1");
        add(l, "(5000,0010) US 2");
        add(l, "(5000,2500) LO [Curve of Doe^Johnathan]");
        add(l, "(6000,0010) US 64");
        add(l, "(6000,0011) US 64");
        add(l, "(6000,0022) LO [Overlay by Doe^Johnathan]");
        add(l, "(6000,0040) CS [G]");
        add(l, "(6000,0050) SS 1\\1");
        add(l, "(6000,0100) US 1");
        add(l, "(6000,0102) US 0");
        add(l, "(6000,1500) LO [Label Johnathan]");
        add(l, "(6000,4000) LT [Overlay comment on Doe^Johnathan]");
        add(l, "(7fe0,0010) OW =" + raw);
        return l;
    }

    private static void add(Map<String, String> lines, String line) {
        lines.put(line.substring(0, 11), line);
    }
}
