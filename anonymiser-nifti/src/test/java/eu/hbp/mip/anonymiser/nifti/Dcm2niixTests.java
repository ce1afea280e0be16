package eu.hbp.mip.anonymiser.nifti;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.OutputSink;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small MR series with PHI in its header, written as DICOM by DCMTK's {@code dump2dcm} and
 * converted by Debian's {@code dcm2niix} (image and BIDS sidecar, with the identity kept in the
 * sidecar: {@code -ba n}), anonymised under the shipped sample profile.
 */
class Dcm2niixTests {

    static final List<String> PHI = List.of("Zyxwabc", "HOSP98765", "1961-02-03", "19610203", "Phineas",
            "Qrstuv", "STATIONXQ7", "SN4471923", "2024-05-17", "20240517", "10:11:12", "101112");

    /** Writes a three-slice 8x8 MR series as DICOM dump files and turns them into DICOM with dump2dcm. */
    static void writeSeries(Path dir) throws Exception {
        String dump2dcm = NiftiHarness.tool("/usr/bin/dump2dcm", "dcmtk");
        for (int i = 1; i <= 3; i++) {
            StringBuilder px = new StringBuilder();
            for (int j = 0; j < 64; j++) {
                px.append(j == 0 ? "" : "\\").append(String.format("%04x", (i * 100 + j * 7) & 0xFFF));
            }
            String uid = "1.2.826.0.1.3680043.9.7777.3." + i;
            String dump = String.join("\n",
                    "(0002,0002) UI =MRImageStorage", "(0002,0003) UI " + uid, "(0002,0010) UI =LittleEndianExplicit",
                    "(0008,0008) CS [ORIGINAL\\PRIMARY\\M\\ND]", "(0008,0016) UI =MRImageStorage",
                    "(0008,0018) UI " + uid, "(0008,0020) DA [20240517]", "(0008,0021) DA [20240517]",
                    "(0008,0022) DA [20240517]", "(0008,0030) TM [101112]", "(0008,0031) TM [101112]",
                    "(0008,0032) TM [101112.345]", "(0008,0060) CS [MR]", "(0008,0070) LO [SIEMENS]",
                    "(0008,0080) LO [Saint Phineas Hospital]", "(0008,0081) ST [1 Qrstuv Street]",
                    "(0008,1010) SH [STATIONXQ7]", "(0008,103e) LO [t1_mprage]",
                    "(0008,1040) LO [Neuro Zyxwabc Dept]", "(0008,1090) LO [Prisma]",
                    "(0010,0010) PN [Zyxwabc^Jane]", "(0010,0020) LO [HOSP98765]", "(0010,0030) DA [19610203]",
                    "(0010,0040) CS [F]", "(0018,0020) CS [GR]", "(0018,0021) CS [SP]", "(0018,0023) CS [3D]",
                    "(0018,0050) DS [1]", "(0018,0080) DS [2300]", "(0018,0081) DS [2.32]", "(0018,0087) DS [3]",
                    "(0018,1000) LO [SN4471923]", "(0018,1030) LO [t1_mprage]", "(0018,1314) DS [8]",
                    "(0018,5100) CS [HFS]", "(0020,000d) UI 1.2.826.0.1.3680043.9.7777.1",
                    "(0020,000e) UI 1.2.826.0.1.3680043.9.7777.2", "(0020,0011) IS [5]",
                    "(0020,0013) IS [" + i + "]", "(0020,0032) DS [0\\0\\" + (i - 1) + "]",
                    "(0020,0037) DS [1\\0\\0\\0\\1\\0]", "(0028,0002) US 1", "(0028,0004) CS [MONOCHROME2]",
                    "(0028,0010) US 8", "(0028,0011) US 8", "(0028,0030) DS [1\\1]", "(0028,0100) US 16",
                    "(0028,0101) US 12", "(0028,0102) US 11", "(0028,0103) US 0",
                    "(7fe0,0010) OW " + px, "");
            Path txt = dir.resolve("s" + i + ".dump");
            Files.writeString(txt, dump);
            Map.Entry<Integer, String> r = NiftiHarness.exec(dir, dump2dcm, "+te", txt.toString(),
                    dir.resolve("s" + i + ".dcm").toString());
            assertEquals(0, r.getKey(), r.getValue());
            Files.delete(txt);
        }
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {true, false})
    void anonymisesWhatDcm2niixMakesFromDicom(boolean gzip, @TempDir Path tmp) throws Exception {
        String dcm2niix = NiftiHarness.tool("/usr/bin/dcm2niix", "dcm2niix");
        Path dicom = tmp.resolve("dicom");
        Path converted = tmp.resolve("converted");
        Files.createDirectories(dicom);
        Files.createDirectories(converted);
        writeSeries(dicom);
        Map.Entry<Integer, String> r = NiftiHarness.exec(tmp, dcm2niix, "-b", "y", "-ba", "n", "-z", gzip ? "y" : "n",
                "-f", "%i_%s_%p", "-o", converted.toString(), dicom.toString());
        assertEquals(0, r.getKey(), r.getValue());
        List<Path> inputs = new ArrayList<>();
        try (Stream<Path> s = Files.list(converted)) {
            s.sorted().forEach(inputs::add);
        }
        assertEquals(2, inputs.size(), "an image and its sidecar: " + inputs);
        String sidecar = Files.readString(inputs.get(0));
        assertTrue(sidecar.contains("HOSP98765") && sidecar.contains("Phineas"), "the sidecar holds PHI to remove");

        try (NiftiHarness h = new NiftiHarness(tmp.resolve("site")).sample()) {
            Path out = tmp.resolve("out");
            Files.createDirectories(out);
            List<String> names = new ArrayList<>();
            for (Path in : inputs) {
                Outcome o = h.anonymiser(Map.of()).anonymise(in, OutputSink.into(out));
                names.addAll(assertInstanceOf(Outcome.Anonymised.class, o, o.toString()).outputs());
            }
            String image = names.stream().filter(n -> n.contains(".nii")).findFirst().orElseThrow();
            String json = names.stream().filter(n -> n.endsWith(".json")).findFirst().orElseThrow();
            assertEquals(json.replace(".json", gzip ? ".nii.gz" : ".nii"), image, "one scan folder, one name");
            NiftiHarness.assertNoneOf(out, PHI);

            byte[] original = NiftiHarness.plain(inputs.get(1));
            byte[] anonymised = NiftiHarness.plain(out.resolve(image));
            int from = (int) ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN).getFloat(108);
            int to = (int) ByteBuffer.wrap(anonymised).order(ByteOrder.LITTLE_ENDIAN).getFloat(108);
            assertArrayEquals(Arrays.copyOfRange(original, from, from + 8 * 8 * 3 * 2),
                    Arrays.copyOfRange(anonymised, to, anonymised.length), "image data identical");
            assertTrue(NiftiHarness.nibabel(out.resolve(image)).startsWith("Nifti1Image (8, 8, 3)"));

            JsonNode j = new ObjectMapper().readTree(out.resolve(json).toFile());
            assertEquals(h.store.pseudonym(PseudonymStore.PATIENT, "HOSP98765"), j.get("PatientID").asText());
            assertEquals("2024-05-01T00:00:00", j.get("AcquisitionDateTime").asText());
            assertEquals("1961-01-01", j.get("PatientBirthDate").asText());
            assertEquals("Prisma", j.get("ManufacturersModelName").asText());
            assertEquals(8, j.get("FlipAngle").asInt());
        }
    }
}
