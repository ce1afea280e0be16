package eu.hbp.mip.anonymiser.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shaded jar alone (DICOM and CSV providers found by ServiceLoader) over a mixed
 * {@code in/}: every file ends in the right place, every quarantined one with its reason,
 * and {@code verify} finds no leak.
 */
class EndToEndJarTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static RunnerProcess.Result jar(String... args) throws IOException, InterruptedException {
        return RunnerProcess.run(TIMEOUT, false, args);
    }

    private static String sidecar(Path data, String bucket, String name) throws IOException {
        Path p = data.resolve("quarantine").resolve(bucket).resolve(name + ".reason.txt");
        assertTrue(Files.exists(p), "no sidecar for " + bucket + "/" + name);
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    @Test
    void aMixedInFolderEndsWithEachFileInItsPlaceAndNoLeak(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("anonymiser");
        String d = data.toString();
        RunnerProcess.Result init = jar("init", "--data", d);
        assertEquals(0, init.exit(), init::toString);
        assertTrue(Files.exists(data.resolve("scripts/csv/ehr-visits.yaml")), init::toString);
        assertTrue(Files.exists(data.resolve("scripts/dicom")), init::toString);
        Path in = data.resolve("in");

        // DICOM in four transfer syntaxes, and a series dropped as a tree.
        Dcmtk.mr(in.resolve("explicit-le.dcm"), "HOSP-000123", "Doe^Jane", "ORIGINAL\\PRIMARY", 1, 1, "+te");
        Dcmtk.mr(in.resolve("implicit-le"), "HOSP-000123", "Doe^Jane", "ORIGINAL\\PRIMARY", 1, 2, "+ti");
        Dcmtk.mr(in.resolve("explicit-be.dcm"), "HOSP-000123", "Doe^Jane", "ORIGINAL\\PRIMARY", 1, 3, "+tb");
        Dcmtk.mr(in.resolve("deflated.dcm"), "HOSP-000124", "Roe^Richard", "ORIGINAL\\PRIMARY", 2, 1, "+td");
        for (int i = 1; i <= 3; i++) {
            Dcmtk.mr(in.resolve("Doe_Jane/study/series1/IM" + i), "HOSP-000125", "Poe^Edgar", "ORIGINAL\\PRIMARY",
                    3, i, "+te");
        }
        // A JPEG lossless copy (encapsulated pixel data, passed through).
        Path jpegSource = Dcmtk.mr(tmp.resolve("src/jpeg-source.dcm"), "HOSP-000126", "Loe^Anna",
                "ORIGINAL\\PRIMARY", 4, 1, "+te");
        Dcmtk.run("dcmcjpeg", "+e1", jpegSource.toString(), in.resolve("jpeg-lossless.dcm").toString());
        // Refused: a secondary image, a truncated file.
        Dcmtk.mr(in.resolve("secondary.dcm"), "HOSP-000123", "Doe^Jane", "DERIVED\\SECONDARY", 1, 9, "+te");
        Path whole = Dcmtk.mr(tmp.resolve("src/whole.dcm"), "HOSP-000127", "Koe^Karl", "ORIGINAL\\PRIMARY", 5, 1,
                "+te");
        byte[] bytes = Files.readAllBytes(whole);
        Files.write(in.resolve("truncated.dcm"), Arrays.copyOf(bytes, bytes.length / 2 + 7));

        // CSV of two schemas (the sample profiles ehr-visits and ehr-patients), and one with an extra column.
        Files.createDirectories(in.resolve("ehr"));
        Files.writeString(in.resolve("ehr/visits.csv"),
                "subject_id,visit_id,visit_date,admission,department,physician,mmse,weight_kg,notes\n"
                        + "HOSP-000123,VIS-0001,2024-03-15,15/03/2024 10:30,neurology,Dr House,27,71,first visit\n"
                        + "HOSP-000124,VIS-0002,2024-03-16,16/03/2024 11:00,neurology,Dr House,22,64,follow-up\n");
        Files.write(in.resolve("ehr/patient_export.csv"),
                ("patient_id;last_name;first_name;birth_date;sex;postcode;phone;age_at_diagnosis;diagnosis;comments\n"
                        + "HOSP-000123;Doe;Jane;01/01/1970;F;1011;0210000000;54;AD;née à Genève\n"
                        + "HOSP-000124;Roe;Richard;02/02/1931;M;1012;0210000001;93;MCI;\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        Files.writeString(in.resolve("ehr/visits_extra_column.csv"),
                "subject_id,visit_id,visit_date,admission,department,physician,mmse,weight_kg,notes,room\n"
                        + "HOSP-000123,VIS-0003,2024-04-15,15/04/2024 10:30,neurology,Dr House,26,70,,B12\n");
        // Neither: a PDF and an empty file.
        Files.write(in.resolve("letter.pdf"), "%PDF-1.4\n1 0 obj <<>> endobj\n".getBytes(StandardCharsets.US_ASCII));
        Files.createFile(in.resolve("empty.dat"));

        RunnerProcess.Result run = jar("run", "--data", d, "--quiet-period", "0", "--progress", "lines");

        assertEquals(ExitCodes.ATTENTION, run.exit(), run::toString);
        assertEquals(List.of(), Cli.files(in), "in/ is empty");
        List<String> out = Cli.files(data.resolve("out"));
        List<String> dicom = out.stream().filter(p -> p.startsWith("DICOM/")).toList();
        List<String> ehr = out.stream().filter(p -> p.startsWith("EHR/")).toList();
        assertEquals(8, dicom.size(), "4 syntaxes + 3 in a tree + 1 JPEG: " + out);
        assertTrue(dicom.stream().allMatch(p -> p.matches("DICOM/\\d{4}/\\d{8}/.+\\.dcm")), out::toString);
        assertEquals(2, ehr.size(), out::toString);
        assertTrue(ehr.stream().anyMatch(p -> p.matches("EHR/\\d{4}/\\d{8}/visits\\.csv")), out::toString);
        assertTrue(ehr.stream().anyMatch(p -> p.matches("EHR/\\d{4}/\\d{8}/patients\\.csv")), out::toString);
        for (String p : dicom) {
            String dump = Dcmtk.run("dcmdump", data.resolve("out").resolve(p).toString());
            assertFalse(dump.contains("HOSP-0001") || dump.contains("Doe^Jane") || dump.contains("Hopital"),
                    p + " still holds an identifier:\n" + dump);
        }
        for (String p : ehr) {
            String csv = Files.readString(data.resolve("out").resolve(p), StandardCharsets.UTF_8);
            assertFalse(csv.contains("HOSP-") || csv.contains("Doe") || csv.contains("VIS-000"), p + ":\n" + csv);
        }

        assertTrue(sidecar(data, "dicom", "secondary.dcm").contains("code: dicom-secondary-image"));
        assertTrue(sidecar(data, "dicom", "truncated.dcm").contains("code: dicom-malformed"));
        assertTrue(sidecar(data, "csv", "visits_extra_column.csv").contains("code: csv-"));
        assertTrue(sidecar(data, "unknown", "letter.pdf").contains("code: unrecognised"));
        assertTrue(sidecar(data, "unknown", "empty.dat").contains("code: unrecognised"));
        assertEquals(List.of("secondary.dcm", "secondary.dcm.reason.txt", "truncated.dcm",
                "truncated.dcm.reason.txt"), Cli.files(data.resolve("quarantine/dicom")));
        assertEquals(List.of("visits_extra_column.csv", "visits_extra_column.csv.reason.txt"),
                Cli.files(data.resolve("quarantine/csv")));
        assertEquals(List.of("empty.dat", "empty.dat.reason.txt", "letter.pdf", "letter.pdf.reason.txt"),
                Cli.files(data.resolve("quarantine/unknown")));
        assertFalse(sidecarsHold(data, "HOSP-0001") || sidecarsHold(data, "Doe"), "a sidecar holds a patient value");
        assertFalse(run.out().contains("HOSP-") || run.err().contains("HOSP-") || run.err().contains("Doe_Jane"),
                run::toString);

        RunnerProcess.Result verify = jar("verify", "--data", d);
        assertEquals(0, verify.exit(), verify::toString);
        assertTrue(verify.out().contains("no leak"), verify::toString);

        RunnerProcess.Result status = jar("status", "--data", d);
        assertEquals(0, status.exit(), status::toString);
        assertTrue(status.out().contains("dicom-secondary-image"), status::toString);

        // The MIP's second step: the secondary image, moved back, is admitted on request.
        Files.move(data.resolve("quarantine/dicom/secondary.dcm"), in.resolve("secondary.dcm"));
        Files.delete(data.resolve("quarantine/dicom/secondary.dcm.reason.txt"));
        RunnerProcess.Result second = jar("run", "--data", d, "--quiet-period", "0", "--admit-secondary");
        assertEquals(0, second.exit(), second::toString);
        assertEquals(9, Cli.files(data.resolve("out")).stream().filter(p -> p.startsWith("DICOM/")).count());
    }

    private static boolean sidecarsHold(Path data, String text) throws IOException {
        for (String bucket : List.of("dicom", "csv", "unknown")) {
            for (String f : Cli.files(data.resolve("quarantine").resolve(bucket))) {
                if (f.endsWith(".reason.txt")
                        && Files.readString(data.resolve("quarantine").resolve(bucket).resolve(f)).contains(text)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void aBrokenProfileOrAnUnknownProfileNameStopsTheRunWithOneLine(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("anonymiser");
        String d = data.toString();
        assertEquals(0, jar("init", "--data", d).exit());
        Files.writeString(data.resolve("in/visits.csv"), "subject_id,visit_id\nHOSP-1,V1\n");

        RunnerProcess.Result unknown = jar("run", "--data", d, "--profile", "no-such-profile");
        assertEquals(ExitCodes.CONFIG, unknown.exit(), unknown::toString);

        Files.writeString(data.resolve("scripts/csv/broken.yaml"), "name: broken\ncolumns:\n  a: {rule: nonsense}\n");
        RunnerProcess.Result broken = jar("run", "--data", d);
        assertEquals(ExitCodes.CONFIG, broken.exit(), broken::toString);
        for (RunnerProcess.Result r : List.of(unknown, broken)) {
            List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
            assertEquals(1, lines.size(), r::toString);
            assertFalse(r.err().contains("\tat "), r::toString);
        }
        assertTrue(broken.err().contains("broken.yaml"), broken::toString);
        assertEquals(List.of("visits.csv"), Cli.files(data.resolve("in")), "nothing was touched");
    }
}
