package eu.hbp.mip.anonymiser.spark;

import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.core.pseudonym.PseudonymStores;
import eu.hbp.mip.anonymiser.core.pseudonym.SiteKey;
import eu.hbp.mip.anonymiser.pipeline.Pipeline;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The Spark job in {@code local[2]} against the folder pipeline at 2 threads, on one corpus and
 * one PostgreSQL store; prints the per-file cost of each and their ratio. Not a test (run it
 * with {@code scripts/bench-spark.sh}); arguments: patients and instances per patient.
 */
final class SparkBenchmark {

    private SparkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int patients = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int instances = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Path root = Files.createTempDirectory("bench-spark");
        Corpus corpus = new Corpus().write(root.resolve("in"), patients, instances);
        Path key = Corpus.key(root.resolve("secret/site.key"));
        Path scripts = Corpus.profiles(root.resolve("scripts"));
        long bytes;
        try (var walk = Files.walk(root.resolve("in"))) {
            bytes = walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        System.out.printf("corpus: %d files, %d bytes%n", corpus.files(), bytes);
        long export = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start()) {
            String url = pg.getJdbcUrl("postgres", "postgres");
            SparkSession spark = SparkSession.builder().master("local[2]").appName("bench")
                    .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
                    .config("spark.driver.host", "127.0.0.1").getOrCreate();
            double folder = 0;
            double job = 0;
            for (int round = 0; round < 2; round++) { // round 0 warms the JIT and the store's tables
                String tag = "r" + round;
                FolderLayout layout = FolderLayout.standard(root.resolve("site-" + tag)).create();
                Files.copy(key, layout.db().resolve(SiteKey.FILE_NAME));
                Corpus.copyTree(root.resolve("in"), layout.in());
                Corpus.copyTree(scripts, layout.scripts());
                long t0 = System.nanoTime();
                try (PseudonymStore store = PseudonymStores.open(layout.db(), url, "");
                     Pipeline pipeline = Pipeline.builder(layout, store).threads(2)
                             .clock(Clock.fixed(Instant.ofEpochMilli(export), ZoneOffset.UTC)).build()) {
                    pipeline.runOnce();
                }
                folder = (System.nanoTime() - t0) / 1e6;
                JobSpec spec = new JobSpec(root.resolve("in").toUri().toString(),
                        root.resolve("out-" + tag).toUri().toString(), root.resolve("q-" + tag).toUri().toString(),
                        scripts.toUri().toString(), url, "", key.toString(), 8, Map.of(), export);
                long t1 = System.nanoTime();
                new AnonymiserJob(spark).run(spec).collectAsList();
                job = (System.nanoTime() - t1) / 1e6;
                System.out.printf("round %d: folder pipeline (2 threads) %.0f ms, Spark job (local[2]) %.0f ms%n",
                        round, folder, job);
            }
            spark.stop();
            int n = corpus.files();
            System.out.printf("per file: folder %.2f ms, Spark %.2f ms (2 cores each)%n", folder / n, job / n);
            System.out.printf("ratio Spark / folder: %.2f%n", job / folder);
        }
    }
}
