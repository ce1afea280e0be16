package eu.hbp.mip.anonymiser.examples.pacs;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.AnonymiserRegistry;
import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider;
import eu.hbp.mip.anonymiser.api.spi.Recognition;
import eu.hbp.mip.anonymiser.examples.PacsCommand;
import eu.hbp.mip.anonymiser.pipeline.Pipeline;
import eu.hbp.mip.anonymiser.pipeline.Site;
import eu.hbp.mip.anonymiser.pipeline.pacs.PacsAuth;
import eu.hbp.mip.anonymiser.pipeline.pacs.PacsConnection;
import eu.hbp.mip.anonymiser.pipeline.pacs.PacsException;
import eu.hbp.mip.anonymiser.pipeline.pacs.PacsPull;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults against a real Orthanc: the server stopped in the middle of a pull and
 * restarted; a wrong password; a closed port. The anonymiser here is a stand-in that
 * writes each input's SHA-256 under a random name, so a duplicate shows as two files
 * with one digest and a loss as a missing digest.
 */
class PacsFaultTests {

    @TempDir
    static Path shared;
    static OrthancServer orthanc;
    static TestCorpus corpus;

    @BeforeAll
    static void startOrthanc() throws Exception {
        corpus = TestCorpus.make(shared.resolve("corpus"), 3, 2, 2, 4, 8, false);
        orthanc = OrthancServer.start(shared.resolve("orthanc"));
        orthanc.upload(corpus.files());
    }

    @AfterAll
    static void stopOrthanc() {
        if (orthanc != null) {
            orthanc.close();
        }
    }

    /** A format that takes every file and writes its SHA-256 as {@code DIGEST/<random>.sha}. */
    static final class DigestProvider implements AnonymiserProvider {
        @Override
        public String name() {
            return "digest";
        }

        @Override
        public Recognition recognise(String fileName, ByteBuffer head) {
            return Recognition.BY_CONTENT;
        }

        @Override
        public Anonymiser create(AnonymiserContext context) {
            return new DigestAnonymiser();
        }
    }

    /** Writes the SHA-256 of its input as {@code DIGEST/<random>.sha}. */
    static final class DigestAnonymiser implements Anonymiser {
        @Override
        public Outcome anonymise(Path input, eu.hbp.mip.anonymiser.api.OutputSink output) throws IOException {
            String name = "DIGEST/" + UUID.randomUUID() + ".sha";
            try (WritableByteChannel ch = output.create(name)) {
                ch.write(ByteBuffer.wrap(digest(input).getBytes(StandardCharsets.US_ASCII)));
            }
            return new Outcome.Anonymised(List.of(name), Map.of(), Set.of());
        }
    }

    static String digest(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return an initialised site in {@code dir} (SQLite store, no prefix) */
    static FolderLayout initialised(Path dir) {
        FolderLayout layout = FolderLayout.standard(dir);
        Site.initialise(layout, null, null).close();
        return layout;
    }

    @Test
    void resumesAPullCutShortWhenTheServerStops(@TempDir Path data) throws Exception {
        FolderLayout layout = initialised(data);
        PacsConnection connection = PacsConnection.of(orthanc.dicomWeb(),
                new PacsAuth.Basic(OrthancServer.USER, OrthancServer.PASSWORD)).withRetries(1, Duration.ofMillis(50));
        PacsPull.Query all = new PacsPull.Query(Optional.empty(), Optional.empty(), Optional.empty(), corpus.patientIds());
        int total = corpus.files().size();
        Set<String> expected = new HashSet<>();
        for (Path f : corpus.files()) {
            expected.add(digest(f));
        }
        AnonymiserRegistry digestOnly = AnonymiserRegistry.builder().discovery(false).register(new DigestProvider())
                .build();
        AtomicInteger done = new AtomicInteger();
        AtomicBoolean stopped = new AtomicBoolean();
        Pipeline.Listener stopAtAThird = new Pipeline.Listener() {
            @Override
            public void finished(Pipeline.FileResult result) {
                if (done.incrementAndGet() == total / 3 && stopped.compareAndSet(false, true)) {
                    try {
                        orthanc.stop();
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        try (Site site = Site.open(layout, null, null)) {
            try (Pipeline pipeline = Pipeline.builder(site).registry(digestOnly).listener(stopAtAThird).build()) {
                PacsPull first = new PacsPull(connection, pipeline, site.store(), 2, Clock.systemUTC());
                PacsException e = assertThrows(PacsException.class, () -> first.pull(all));
                assertEquals(PacsException.Kind.UNREACHABLE, e.kind());
                assertTrue(e.getMessage().contains(orthanc.dicomWeb().toString()), e.getMessage());
            }
            long partial = outputs(layout).count();
            assertTrue(partial >= total / 3 && partial < total, "a third done before the stop: " + partial);
            assertTrue(Files.exists(layout.pacsDownload().resolve(".pull")), "journal kept for the resume");

            orthanc.start();
            PacsPull.Summary summary;
            try (Pipeline pipeline = Pipeline.builder(site).registry(digestOnly).build()) {
                summary = new PacsPull(connection, pipeline, site.store(), 2, Clock.systemUTC()).pull(all);
            }

            assertEquals(total, summary.instances());
            assertEquals(total, summary.anonymised());
            List<String> digests = outputs(layout).map(p -> {
                try {
                    return Files.readString(p);
                } catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            }).toList();
            assertEquals(total, digests.size(), "one output per instance: nothing lost, nothing twice");
            assertEquals(expected, new HashSet<>(digests));
            assertEquals(List.of(), filesUnder(layout.pacsDownload()), "no file left in pacs/download");
            assertFalse(Files.exists(layout.pacsDownload().resolve(".pull")), "journal deleted");
        }
    }

    @Test
    void findOnAFolderNeverInitialisedExits2AndCreatesNothing(@TempDir Path data) throws IOException {
        Path site = data.resolve("never-initialised");
        StringWriter err = new StringWriter();
        int code = PacsCommand.run(new String[] {"find", "--url", orthanc.dicomWeb().toString(),
                "--user", OrthancServer.USER, "--data", site.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err), Map.of(PacsCommand.PASSWORD_ENV,
                        OrthancServer.PASSWORD));
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("mip-anonymiser init --data"), err.toString());
        assertFalse(Files.exists(site), "nothing created: no folder, no key, no store");
    }

    static List<Path> filesUnder(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    static Stream<Path> outputs(FolderLayout layout) throws IOException {
        return Files.walk(layout.pacsDicoms()).filter(p -> p.toString().endsWith(".sha"));
    }

    @Test
    void wrongPasswordGivesOneClearLine(@TempDir Path data) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        initialised(data);
        int code = PacsCommand.run(new String[] {"find", "--url", orthanc.dicomWeb().toString(),
                "--user", OrthancServer.USER, "--password", "wrong", "--data", data.toString()},
                new PrintWriter(out), new PrintWriter(err), Map.of());
        assertEquals(2, code);
        String[] lines = err.toString().strip().split("\n");
        assertEquals(1, lines.length, err.toString());
        assertTrue(lines[0].contains("refused the credentials (HTTP 401)"), lines[0]);
        assertFalse(lines[0].contains("wrong"), "no secret in the message");
    }

    @Test
    void unreachableServerGivesOneClearLine(@TempDir Path data) throws IOException {
        initialised(data);
        int closed = OrthancServer.freePort();
        StringWriter err = new StringWriter();
        int code = PacsCommand.run(new String[] {"pull", "--url", "http://127.0.0.1:" + closed + "/dicom-web/",
                "--retries", "1", "--data", data.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err), Map.of());
        assertEquals(4, code, "the PACS could not be reached: a machine failure, not a wrong command line");
        String[] lines = err.toString().strip().split("\n");
        assertEquals(1, lines.length, err.toString());
        assertTrue(lines[0].contains("connection refused") && lines[0].contains(":" + closed + "/dicom-web/"), lines[0]);
    }

    @Test
    void findHonoursDateRangeAndModality(@TempDir Path data) {
        assertTrue(find(data, "--from", "2021-01-01", "--to", "2021-12-31", "--modality", "MR")
                .contains("total: 3 patients, 6 studies"));
        assertTrue(find(data, "--from", "2022-01-01").contains("total: 0 patients, 0 studies"));
        assertTrue(find(data, "--modality", "CT").contains("total: 0 patients, 0 studies"));
    }

    private static String find(Path data, String... filters) {
        if (!Site.isInitialised(FolderLayout.standard(data))) {
            initialised(data);
        }
        List<String> args = new java.util.ArrayList<>(List.of("find", "--url", orthanc.dicomWeb().toString(),
                "--user", OrthancServer.USER, "--data", data.toString()));
        args.addAll(List.of(filters));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PacsCommand.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err),
                Map.of(PacsCommand.PASSWORD_ENV, OrthancServer.PASSWORD));
        assertEquals(0, code, err.toString());
        return out.toString();
    }

    @Test
    void findListsPseudonymsAndCountsNeverIds(@TempDir Path data) throws IOException {
        Path cohort = data.resolve("cohort.csv");
        Files.writeString(cohort, "visit;patient_id\n1;" + corpus.patientIds().get(0) + "\n2;\"" + corpus.patientIds().get(2)
                + "\"\n");
        initialised(data.resolve("site"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PacsCommand.run(new String[] {"find", "--url", orthanc.dicomWeb().toString(),
                "--user", OrthancServer.USER, "--patients-file", cohort.toString(), "--data", data.resolve("site").toString()},
                new PrintWriter(out), new PrintWriter(err), Map.of(PacsCommand.PASSWORD_ENV, OrthancServer.PASSWORD));
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("total: 2 patients, 4 studies"), out.toString());
        for (String original : corpus.originals()) {
            assertFalse(out.toString().contains(original), "find printed an original value");
        }
    }
}
