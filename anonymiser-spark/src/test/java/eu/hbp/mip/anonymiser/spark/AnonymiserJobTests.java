package eu.hbp.mip.anonymiser.spark;

import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.core.pseudonym.PseudonymStores;
import eu.hbp.mip.anonymiser.core.pseudonym.SiteKey;
import eu.hbp.mip.anonymiser.pipeline.Pipeline;
import eu.hbp.mip.anonymiser.pipeline.RunSummary;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Spark job in {@code local[2]} over a real PostgreSQL, against the folder pipeline on the same files. */
class AnonymiserJobTests {

    private static final long EXPORT = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();
    private static final String PREFIX = "CHUV-";

    @TempDir
    static Path root;

    private static EmbeddedPostgres pg;
    private static SparkSession spark;
    private static Corpus corpus;
    private static String url;
    private static Path keyFile;
    private static Path scripts;
    private static String withdrawnPseudonym;
    /** The first run's summary, by "outcome/code", and its outputs (the file id stripped) by name. */
    private static Map<String, Row> summary;
    private static Map<String, List<String>> sparkOutputs;

    @BeforeAll
    static void runTheJobOnce() throws Exception {
        pg = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
        url = pg.getJdbcUrl("postgres", "postgres");
        spark = SparkSession.builder().master("local[2,2]").appName("anonymiser-spark-tests")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.default.parallelism", "2")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.task.maxFailures", "2")
                .getOrCreate();
        corpus = new Corpus().write(root.resolve("in"), 3, 4);
        keyFile = Corpus.key(root.resolve("secret/site.key"));
        scripts = Corpus.profiles(root.resolve("scripts"));
        // The hospital withdrew one patient's consent before the run.
        Path db = root.resolve("admin-db");
        Files.createDirectories(db);
        Files.copy(keyFile, db.resolve(SiteKey.FILE_NAME));
        try (PseudonymStore store = PseudonymStores.open(db, url, PREFIX)) {
            withdrawnPseudonym = store.pseudonym(PseudonymStore.PATIENT, Corpus.WITHDRAWN_PATIENT);
            store.withdraw(PseudonymStore.PATIENT, withdrawnPseudonym);
        }
        summary = byOutcome(new AnonymiserJob(spark).run(spec("out", "quarantine")).collectAsList());
        sparkOutputs = stripIds(Corpus.files(root.resolve("out")));
    }

    @AfterAll
    static void stop() throws IOException {
        if (spark != null) {
            spark.stop();
        }
        if (pg != null) {
            pg.close();
        }
    }

    private static JobSpec spec(String out, String quarantine) {
        return new JobSpec(root.resolve("in").toUri().toString(), root.resolve(out).toUri().toString(),
                root.resolve(quarantine).toUri().toString(), scripts.toUri().toString(), url, PREFIX,
                keyFile.toString(), 3, Map.of(), EXPORT);
    }

    private static Map<String, Row> byOutcome(List<Row> rows) {
        Map<String, Row> m = new TreeMap<>();
        for (Row r : rows) {
            m.put(r.getString(0) + "/" + r.getString(1), r);
        }
        return m;
    }

    /**
     * The outputs by the name the folder pipeline would give them without its collision suffix
     * ({@code -2}), the job's keyed id removed, each with the digests of the files of that name.
     */
    private static Map<String, List<String>> stripIds(Map<String, byte[]> files) {
        Map<String, List<String>> m = new TreeMap<>();
        files.forEach((name, bytes) -> m.computeIfAbsent(name.replaceFirst("-([0-9A-Z]{16}|[0-9]{1,3})(\\.[a-z]+)?$",
                "$2"), k -> new java.util.ArrayList<>()).add(digest(bytes)));
        m.values().forEach(java.util.Collections::sort);
        return m;
    }

    private static String digest(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static int count(Map<String, List<String>> outputs) {
        return outputs.values().stream().mapToInt(List::size).sum();
    }

    @Test
    void anonymisesTheCorpusAndQuarantinesTheRest() {
        // The withdrawn patient's 4 instances, and both CSV exports, which hold that patient's rows too: the one
        // consent gate (as in the folder pipeline) refuses any file whose subjects include a withdrawn patient.
        int withdrawnFiles = 4 + 2;
        int anonymised = corpus.dicoms() - 4;
        assertEquals(anonymised, summary.get("anonymised/ok").getLong(2), summary.toString());
        assertEquals(withdrawnFiles, summary.get("quarantined/consent-withdrawn").getLong(2), summary.toString());
        assertTrue(summary.containsKey("quarantined/unrecognised"), summary.keySet().toString());
        assertEquals(1, summary.get("quarantined/unrecognised").getLong(2), summary.toString());
        long files = summary.values().stream().mapToLong(r -> r.getLong(2)).sum();
        assertEquals(corpus.files(), files);
        assertEquals(anonymised, count(sparkOutputs));
        assertTrue(Files.isRegularFile(root.resolve("quarantine/unknown/notes-Tremblaypatient1.pdf.reason.txt")));
    }

    @Test
    void givesTheSamePseudonymsAndUidsAsTheFolderPipeline() throws IOException {
        FolderLayout layout = FolderLayout.standard(root.resolve("site")).create();
        Files.copy(keyFile, layout.db().resolve(SiteKey.FILE_NAME));
        Corpus.copyTree(root.resolve("in"), layout.in());
        Corpus.copyTree(scripts, layout.scripts());
        RunSummary run;
        try (PseudonymStore store = PseudonymStores.open(layout.db(), url, PREFIX);
             Pipeline pipeline = Pipeline.builder(layout, store).threads(2)
                     .clock(Clock.fixed(Instant.ofEpochMilli(EXPORT), ZoneOffset.UTC)).build()) {
            run = pipeline.runOnce();
        }
        assertEquals(summary.get("anonymised/ok").getLong(2), run.anonymised(), run.toString());
        assertEquals(summary.get("quarantined/consent-withdrawn").getLong(2),
                run.quarantined().get(Pipeline.CONSENT_WITHDRAWN), run.toString());
        // Byte for byte: the same pseudonyms, UIDs, dates and names in every header and row.
        assertEquals(stripIds(Corpus.files(layout.out())), sparkOutputs);
    }

    @Test
    void leavesNoOriginalValueInAnyOutputByte() throws IOException {
        List<Path> written;
        try (Stream<Path> walk = Files.walk(root.resolve("out"))) {
            written = walk.filter(Files::isRegularFile).toList();
        }
        assertTrue(written.size() > count(sparkOutputs), "the done markers and the summary are checked too");
        for (Path p : written) {
            String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
            String name = root.resolve("out").relativize(p).toString();
            for (String original : corpus.originals()) {
                assertFalse(text.contains(original), "an original value is in " + name);
                assertFalse(name.contains(original), "an original value names " + name);
            }
        }
    }

    @Test
    void aTaskKilledAndRetriedLeavesNoDuplicateAndNoPartialOutput() throws IOException {
        Path kills = Files.createDirectories(root.resolve("kills"));
        String killsDir = kills.toString();
        // The first attempt of every task dies: partition 0 after publishing one input's files, the
        // others after staging everything; their retries must finish the job as if nothing happened.
        TaskHook killFirstAttempt = (step, fileId) -> {
            TaskContext task = TaskContext.get();
            boolean at = task.partitionId() == 0 ? TaskHook.PUBLISHED.equals(step) : TaskHook.STAGED.equals(step);
            if (at && task.attemptNumber() == 0) {
                try {
                    Files.createFile(Path.of(killsDir, task.partitionId() + "-" + step));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                throw new IllegalStateException("injected executor loss");
            }
        };
        Map<String, Row> retried = byOutcome(new AnonymiserJob(spark).run(spec("out-retried", "quarantine-retried"),
                killFirstAttempt).collectAsList());
        try (Stream<Path> killed = Files.list(kills)) {
            assertEquals(3, killed.count(), "every task's first attempt was killed");
        }
        assertEquals(summary.keySet(), retried.keySet());
        summary.forEach((k, r) -> assertEquals(r.getLong(2), retried.get(k).getLong(2), k));
        Map<String, byte[]> files = Corpus.files(root.resolve("out-retried"));
        assertEquals(Corpus.files(root.resolve("out")).keySet(), files.keySet(), "the same names, none twice");
        assertEquals(sparkOutputs, stripIds(files), "every output whole, as the undisturbed run wrote it");
        assertEquals(Corpus.files(root.resolve("quarantine")).keySet(),
                Corpus.files(root.resolve("quarantine-retried")).keySet());
        try (Stream<Path> staging = Files.list(root.resolve("out-retried/" + JobSpec.WORK + "/staging"))) {
            assertEquals(0, staging.count(), "the failed attempts' staging is cleaned up");
        }
    }

    @Test
    void aRerunSkipsWhatIsDone() throws IOException {
        Map<String, byte[]> before = Corpus.files(root.resolve("out"));
        // Another day: without the done markers every output would get another date folder.
        long nextDay = EXPORT + 86_400_000L;
        Map<String, Row> rerun = byOutcome(new AnonymiserJob(spark).run(spec("out", "quarantine")
                .withExportEpochMillis(nextDay)).collectAsList());
        assertEquals(Map.of("done-before/done-before", (long) corpus.files()),
                Map.of(rerun.keySet().iterator().next(), rerun.values().iterator().next().getLong(2)));
        assertEquals(before.keySet(), Corpus.files(root.resolve("out")).keySet());
    }

    @Test
    void savesTheSummaryBesideTheOutputs() throws IOException {
        Path saved = root.resolve("out/" + JobSpec.WORK + "/summary/" + EXPORT);
        Map<String, String> lines = new HashMap<>();
        try (Stream<Path> files = Files.list(saved)) {
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith("part-")).toList()) {
                for (String line : Files.readAllLines(p)) {
                    lines.put(line.replaceFirst(".*\"code\":\"([^\"]+)\".*", "$1"), line);
                }
            }
        }
        assertNotNull(lines.get("consent-withdrawn"), lines.toString());
        assertTrue(lines.get("ok").contains("\"files\":" + summary.get("anonymised/ok").getLong(2)), lines.get("ok"));
    }

    @Test
    void aFailedTaskNamesNoInputPathInItsError() throws IOException {
        Files.writeString(root.resolve("not-a-folder"), "a file where the quarantine folder should be\n");
        Exception failure = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> new AnonymiserJob(spark).run(spec("out-failed", "not-a-folder")));
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t).append('\n');
        }
        assertTrue(messages.toString().contains("could not be read, anonymised or staged"), messages.toString());
        for (String original : corpus.originals()) {
            assertFalse(messages.toString().contains(original), "an original value in the job's error");
        }
        assertFalse(messages.toString().contains("Tremblaypatient"), "an input's path in the job's error");
    }
}
