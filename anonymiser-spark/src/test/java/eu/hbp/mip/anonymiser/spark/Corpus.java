package eu.hbp.mip.anonymiser.spark;

import eu.hbp.mip.anonymiser.api.AnonymiserRegistry;
import eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The test corpus: DICOM instances made by DCMTK's dump2dcm, EHR exports as CSV, and a file no
 * format recognises; with the original values a leak check looks for.
 */
final class Corpus {

    /** The patient whose consent is withdrawn in the tests. */
    static final String WITHDRAWN_PATIENT = "HOSP-7003";

    private final List<String> originals = new ArrayList<>();
    private int dicoms;
    private int csvs;
    private int others;

    /** @return the values that must never appear in an output */
    List<String> originals() {
        return originals;
    }

    int files() {
        return dicoms + csvs + others;
    }

    int dicoms() {
        return dicoms;
    }

    /**
     * Writes {@code patients} patients with {@code instances} MR instances each (one study), and a
     * CSV export of them, plus one unrecognised file, under {@code in}.
     */
    Corpus write(Path in, int patients, int instances) throws IOException, InterruptedException {
        StringBuilder csv = new StringBuilder("patient_id;last_name;first_name;birth_date;sex;postcode;phone;"
                + "age_at_diagnosis;diagnosis;comments\n");
        for (int p = 1; p <= patients; p++) {
            String id = "HOSP-700" + p;
            String last = "Tremblaypatient" + p;
            String first = "Annelise" + p;
            String name = last + "^" + first;
            int study = 4100 + p;
            originals.addAll(List.of(id, last, first, "1.2.826.0.1.3680043.2.1125.77." + study));
            for (int i = 1; i <= instances; i++) {
                // The folder and file names carry the patient's name, as hospital exports often do.
                mr(in.resolve(last + "/IM" + i + ".dcm"), id, name, study, i);
                dicoms++;
            }
            csv.append(id).append(';').append(last).append(';').append(first).append(";14/03/1961;F;10")
                    .append(40 + p).append(";+41 21 314 ").append(1000 + p).append(';').append(50 + p)
                    .append(";G30.1;none\n");
        }
        originals.addAll(List.of("14/03/1961", "+41 21 314 1001", "19610314"));
        Files.createDirectories(in.resolve("ehr"));
        Files.write(in.resolve("ehr/patients_export.csv"), csv.toString().getBytes(StandardCharsets.ISO_8859_1));
        Files.write(in.resolve("ehr/patients_export_copy.csv"), csv.toString().getBytes(StandardCharsets.ISO_8859_1));
        csvs += 2;
        byte[] pdf = new byte[600];
        byte[] head = "%PDF-1.4\n%\u00e2\u00e3 HOSP-7001\n".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(head, 0, pdf, 0, head.length);
        Files.write(in.resolve("notes-Tremblaypatient1.pdf"), pdf); // a format no provider reads
        others++;
        return this;
    }

    /** Writes the sample profiles of every provider into {@code scripts/<format>/}, as init does. */
    static Path profiles(Path scripts) throws IOException {
        for (AnonymiserProvider p : AnonymiserRegistry.discover().providers().values()) {
            Path folder = Files.createDirectories(scripts.resolve(p.name().toLowerCase(Locale.ROOT)));
            for (Map.Entry<String, String> e : p.sampleProfiles().entrySet()) {
                Files.writeString(folder.resolve(e.getKey()), e.getValue());
            }
        }
        return scripts;
    }

    /** Writes a fresh site key file, owner read/write only. */
    static Path key(Path file) throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.createDirectories(file.getParent());
        Files.write(file, key);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** @return every regular file below {@code root} outside hidden folders, by relative name */
    static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> found = new HashMap<>();
        if (!Files.isDirectory(root)) {
            return found;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(p).toString();
                if (!rel.startsWith(".") && !rel.contains("/.")) {
                    found.put(rel, Files.readAllBytes(p));
                }
            }
        }
        return found;
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void mr(Path target, String patientId, String patientName, int study, int instance)
            throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("dcm");
        Path pixels = work.resolve("pixels.raw");
        byte[] raw = new byte[16 * 16 * 2];
        for (int i = 0; i < raw.length; i += 2) {
            raw[i] = (byte) (i * 7 + instance);
        }
        Files.write(pixels, raw);
        String dump = String.join("\n", List.of(
                "(0002,0010) UI =LittleEndianExplicit",
                "(0008,0008) CS [ORIGINAL\\PRIMARY]",
                "(0008,0016) UI =MRImageStorage",
                "(0008,0018) UI [1.2.826.0.1.3680043.2.1125.77." + study + "." + instance + "]",
                "(0008,0020) DA [20240315]",
                "(0008,0060) CS [MR]",
                "(0008,0070) LO [SIEMENS]",
                "(0008,0080) LO [Hopital Cantonal]",
                "(0008,1090) LO [Prisma]",
                "(0010,0010) PN [" + patientName + "]",
                "(0010,0020) LO [" + patientId + "]",
                "(0010,0030) DA [19610314]",
                "(0020,000d) UI [1.2.826.0.1.3680043.2.1125.77." + study + "]",
                "(0020,000e) UI [1.2.826.0.1.3680043.2.1125.77." + study + ".1]",
                "(0020,0011) IS [3]",
                "(0020,0013) IS [" + instance + "]",
                "(0028,0002) US 1",
                "(0028,0004) CS [MONOCHROME2]",
                "(0028,0010) US 16",
                "(0028,0011) US 16",
                "(0028,0100) US 16",
                "(0028,0101) US 12",
                "(0028,0102) US 11",
                "(0028,0103) US 0",
                "(7fe0,0010) OW =" + pixels)) + "\n";
        Path dumpFile = work.resolve("dump.txt");
        Files.writeString(dumpFile, dump);
        Files.createDirectories(target.getParent());
        Process p;
        try {
            p = new ProcessBuilder("dump2dcm", "-q", dumpFile.toString(), target.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("DCMTK's dump2dcm is missing: apt-get install dcmtk", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("dump2dcm failed: " + out);
        }
        Files.delete(dumpFile);
        Files.delete(pixels);
        Files.delete(work);
    }
}
