package eu.hbp.mip.anonymiser.examples.pacs;

import eu.hbp.mip.anonymiser.api.Bucket;
import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.examples.Main;
import eu.hbp.mip.anonymiser.examples.PacsCommand;
import eu.hbp.mip.anonymiser.pipeline.Site;
import eu.hbp.mip.anonymiser.pipeline.pacs.PacsPull;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * End to end against a real Orthanc, with the real DICOM anonymiser (found by
 * ServiceLoader) and the real SQLite pseudonym store: a cohort CSV of three of four
 * patients is pulled with {@code pacs pull}; every instance is anonymised into
 * {@code pacs/dicoms} but the secondary image, which lands in {@code quarantine/pacs}
 * with its reason; the manifest is in {@code pacs/csv}; no original value is in any
 * output byte; nothing is left in {@code pacs/download}; a second pull fetches nothing.
 */
class PacsPullTests {

    @TempDir
    static Path shared;
    static OrthancServer orthanc;
    static TestCorpus corpus;

    @BeforeAll
    static void startOrthanc() throws Exception {
        corpus = TestCorpus.make(shared.resolve("corpus"), 4, 2, 2, 3, 8, true);
        orthanc = OrthancServer.start(shared.resolve("orthanc"));
        orthanc.upload(corpus.files());
    }

    @AfterAll
    static void stopOrthanc() {
        if (orthanc != null) {
            orthanc.close();
        }
    }

    /** Runs the runner's command line in this JVM; returns the exit code, stdout and stderr in {@code out}. */
    static int runner(StringWriter out, String... args) {
        picocli.CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        return cl.execute(args);
    }

    @Test
    void pullsTheCohortAnonymisedWithManifestAndQuarantine(@TempDir Path data) throws Exception {
        List<String> cohort = corpus.patientIds().subList(0, 3);
        Path cohortFile = data.resolve("cohort.csv");
        Files.writeString(cohortFile, "patient_id,visit\n" + String.join(",v1\n", cohort) + ",v1\n"
                + cohort.get(0) + ",v2\n");
        Path site = data.resolve("site");
        // A relative --data, as a user in a shell gives it: resolved once, at the edge.
        String relative = Path.of("").toAbsolutePath().relativize(site).toString();
        assertFalse(Path.of(relative).isAbsolute());
        FolderLayout layout = FolderLayout.standard(site);
        StringWriter init = new StringWriter();
        assertEquals(0, runner(init, "init", "--data", relative), init::toString);
        String[] pull = {"pull", "--url", orthanc.dicomWeb().toString(), "--user", OrthancServer.USER,
                "--password-file", secret(data).toString(), "--patients-file", cohortFile.toString(),
                "--from", "2021-01-01", "--to", "2021-12-31", "--modality", "MR", "--data", relative,
                "--progress", "none"};

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PacsCommand.run(pull, new PrintWriter(out), new PrintWriter(err), Map.of());
        assertEquals(1, code, "the secondary image was quarantined: exit 1. " + err);

        int cohortInstances = 3 * 2 * 2 * 3 + 1;
        List<Path> outputs = PacsFaultTests.filesUnder(layout.pacsDicoms());
        assertEquals(cohortInstances - 1, outputs.size(), "every instance but the secondary one anonymised");

        // the secondary image is in quarantine/pacs with its reason
        List<Path> quarantined = PacsFaultTests.filesUnder(layout.quarantine(Bucket.of("pacs")));
        Path reason = quarantined.stream().filter(p -> p.toString().endsWith(".reason.txt")).findFirst()
                .orElseThrow(() -> new AssertionError("no reason sidecar in " + quarantined));
        assertEquals(2, quarantined.size(), "one quarantined file and its sidecar: " + quarantined);
        assertTrue(Files.readString(reason).contains("dicom-secondary-image"), Files.readString(reason));
        assertTrue(new String(Files.readAllBytes(quarantined.stream().filter(p -> !p.equals(reason)).findFirst()
                .orElseThrow()), StandardCharsets.ISO_8859_1).contains(corpus.secondarySop()));

        // the manifest
        List<Path> manifests = PacsFaultTests.filesUnder(layout.pacsCsv());
        assertEquals(1, manifests.size());
        List<String> lines = Files.readAllLines(manifests.get(0));
        assertEquals(PacsPull.MANIFEST_HEADER, lines.get(0));
        assertEquals(1 + 3 * 2 * 2, lines.size(), "one row per series of the cohort");
        int instances = 0;
        int anonymised = 0;
        int quarantinedCount = 0;
        Set<String> patients = new HashSet<>();
        try (Site opened = Site.open(layout, null, null)) {
            PseudonymStore store = opened.store();
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",", -1);
                assertEquals(9, f.length, line);
                patients.add(f[0]);
                assertTrue(f[1].startsWith("2.25.") && f[2].startsWith("2.25."), line);
                assertEquals("MR", f[3]);
                assertTrue(f[4].matches("2021-\\d\\d"), line);
                instances += Integer.parseInt(f[5]);
                anonymised += Integer.parseInt(f[6]);
                quarantinedCount += Integer.parseInt(f[7]);
            }
            Set<String> expectedPatients = new HashSet<>();
            for (String id : cohort) {
                expectedPatients.add(store.lookup(PseudonymStore.PATIENT, id).orElseThrow());
            }
            assertEquals(expectedPatients, patients, "the cohort's pseudonyms, and only theirs");
            // the output carries the same pseudonym as the manifest
            String dump = dcmdump(outputs.get(0));
            assertTrue(expectedPatients.stream().anyMatch(dump::contains), "PatientID is a cohort pseudonym");
        }
        assertEquals(cohortInstances, instances);
        assertEquals(cohortInstances - 1, anonymised);
        assertEquals(1, quarantinedCount);

        // no original value in any output byte, manifest, sidecar or console line
        List<Path> released = new ArrayList<>(outputs);
        released.addAll(manifests);
        released.add(reason);
        for (Path p : released) {
            String bytes = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
            for (String original : corpus.originals()) {
                if (bytes.contains(original)) {
                    fail(site.relativize(p) + " holds an original value of the corpus");
                }
            }
        }
        for (String original : corpus.originals()) {
            assertFalse(out.toString().contains(original) || err.toString().contains(original),
                    "the console shows an original value");
        }

        // nothing identifying left behind
        assertEquals(List.of(), PacsFaultTests.filesUnder(layout.pacsDownload()), "pacs/download is empty");

        // a second pull fetches nothing again
        StringWriter again = new StringWriter();
        assertEquals(0, PacsCommand.run(pull, new PrintWriter(again), new PrintWriter(err), Map.of()), err.toString());
        assertEquals(List.of(), PacsFaultTests.filesUnder(layout.pacsDownload()), "pacs/download is empty");
        assertTrue(again.toString().contains("0 anonymised") && again.toString().contains(cohortInstances
                + " pulled before"), again.toString());
        assertEquals(cohortInstances - 1, PacsFaultTests.filesUnder(layout.pacsDicoms()).size());
        assertEquals(2, PacsFaultTests.filesUnder(layout.quarantine(Bucket.of("pacs"))).size());
    }

    @Test
    void aWithdrawnPatientIsQuarantinedFromEverySourceAndForgetCoversPacsOutputs(@TempDir Path data) throws Exception {
        List<String> cohort = corpus.patientIds().subList(0, 3);
        Path cohortFile = data.resolve("cohort.csv");
        Files.writeString(cohortFile, "patient_id\n" + String.join("\n", cohort) + "\n");
        Path site = data.resolve("site");
        FolderLayout layout = FolderLayout.standard(site);
        StringWriter log = new StringWriter();
        assertEquals(0, runner(log, "init", "--data", site.toString()), log::toString);
        // Withdrawn before ever being seen: only the withdrawal is recorded.
        String withdrawn = cohort.get(2);
        assertEquals(0, runner(log, "forget", "--data", site.toString(), "--patient", withdrawn), log::toString);

        // The folder source.
        Path own = corpus.files().stream().filter(p -> p.getFileName().toString().startsWith("p3_"))
                .findFirst().orElseThrow();
        Files.copy(own, layout.in().resolve("from-a-cd.dcm"));
        StringWriter run = new StringWriter();
        assertEquals(1, runner(run, "run", "--data", site.toString(), "--quiet-period", "0", "--progress", "none"),
                run::toString);
        List<Path> folderQuarantine = PacsFaultTests.filesUnder(layout.quarantine(Bucket.of("dicom")));
        assertEquals(2, folderQuarantine.size(), folderQuarantine::toString);
        assertTrue(Files.readString(folderQuarantine.stream().filter(p -> p.toString().endsWith(".reason.txt"))
                .findFirst().orElseThrow()).contains("consent-withdrawn"));

        // The PACS source.
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PacsCommand.run(new String[] {"pull", "--url", orthanc.dicomWeb().toString(), "--user",
                OrthancServer.USER, "--password-file", secret(data).toString(), "--patients-file", cohortFile.toString(),
                "--data", site.toString(), "--progress", "none"}, new PrintWriter(out), new PrintWriter(err), Map.of());
        assertEquals(1, code, err.toString());
        int perPatient = 2 * 2 * 3;
        long consentRefused = 0;
        for (Path p : PacsFaultTests.filesUnder(layout.quarantine(Bucket.of("pacs")))) {
            if (p.toString().endsWith(".reason.txt") && Files.readString(p).contains("consent-withdrawn")) {
                consentRefused++;
            }
        }
        assertEquals(perPatient, consentRefused, "every instance of the withdrawn patient refused");
        assertEquals(List.of(), PacsFaultTests.filesUnder(layout.pacsDownload()), "pacs/download is empty");
        assertEquals(2 * perPatient, PacsFaultTests.filesUnder(layout.pacsDicoms()).size(),
                "the two other patients released (the secondary image quarantined)");

        // forget removes the PACS outputs of a patient seen, through the output index.
        String first;
        try (Site opened = Site.open(layout, null, null)) {
            first = opened.store().lookup(PseudonymStore.PATIENT, cohort.get(0)).orElseThrow();
        }
        StringWriter forget = new StringWriter();
        assertEquals(0, runner(forget, "forget", "--data", site.toString(), "--patient", cohort.get(0)),
                forget::toString);
        assertTrue(forget.toString().contains(perPatient + " output(s) deleted"), forget::toString);
        List<Path> left = PacsFaultTests.filesUnder(layout.pacsDicoms());
        assertEquals(perPatient, left.size(), "only the third patient's outputs remain");
        for (Path p : left) {
            assertFalse(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains(first),
                    "an output of the forgotten patient survived");
        }
        StringWriter status = new StringWriter();
        assertEquals(0, runner(status, "status", "--data", site.toString()), status::toString);
        assertTrue(status.toString().contains("pacs/dicoms/DICOM/"), status::toString);
    }

    private static Path secret(Path dir) throws IOException {
        Path file = dir.resolve("pacs-password");
        Files.writeString(file, OrthancServer.PASSWORD + "\n");
        return file;
    }

    static String dcmdump(Path file) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("dcmdump", file.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("DCMTK's dcmdump is needed: install dcmtk (apt-get install dcmtk)");
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "dcmdump failed: " + out);
        return out;
    }
}
