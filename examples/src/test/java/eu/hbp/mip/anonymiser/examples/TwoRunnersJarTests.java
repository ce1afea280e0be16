package eu.hbp.mip.anonymiser.examples;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two runner processes on one folder and one PostgreSQL pseudonym store. */
class TwoRunnersJarTests {

    private static final int FILES = 600;
    private static final Pattern FILES_LINE = Pattern.compile("(?m)^files: (\\d+) ");

    @Test
    void twoRunnersOnOneFolderAndOnePostgresStoreProcessEachFileOnce(@TempDir Path tmp) throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            String url = pg.getJdbcUrl("postgres", "postgres");
            Path data = tmp.resolve("site");
            RunnerProcess.Result init = RunnerProcess.run(Duration.ofSeconds(60), true, "init", "--data",
                    data.toString(), "--store", url);
            assertEquals(0, init.exit(), init::toString);
            Corpus.write(data.resolve("in"), FILES);

            Path logs = tmp.resolve("logs");
            List<Process> runners = List.of(
                    // One with the store named, one without: 'init --store' recorded it for every command.
                    RunnerProcess.start(logs, true, "run", "--data", data.toString(), "--store", url,
                            "--quiet-period", "0", "--threads", "2", "--progress", "none"),
                    RunnerProcess.start(logs, true, "run", "--data", data.toString(),
                            "--quiet-period", "0", "--threads", "2", "--progress", "none"));
            for (Process p : runners) {
                assertTrue(p.waitFor(120, TimeUnit.SECONDS), "a runner did not finish in 2 minutes");
                assertEquals(1, p.exitValue(), "exit code (1: done, with the rejected files quarantined)");
            }
            Corpus.assertEachFileInExactlyOnePlace(data, FILES, true);
            assertEquals(FILES - FILES / 10, Cli.files(data.resolve("out")).size());

            long total = 0;
            int worked = 0;
            try (var outs = Files.list(logs)) {
                for (Path log : outs.filter(p -> p.toString().endsWith(".out")).toList()) {
                    Matcher m = FILES_LINE.matcher(Files.readString(log));
                    assertTrue(m.find(), "no summary in " + log);
                    long n = Long.parseLong(m.group(1));
                    total += n;
                    worked += n > 0 ? 1 : 0;
                }
            }
            assertEquals(FILES, total, "the runners' summaries add up to each file once");
            assertTrue(worked == 2, "both runners took files");
            assertFalse(Files.exists(data.resolve("db/pseudonyms.sqlite")), "no SQLite store was created beside PG");
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT COUNT(DISTINCT subject), COUNT(*) FROM pipeline_outputs"
                        + " WHERE final = 1")) {
                    rs.next();
                    // patients 9, 19, 29, 39, 49 appear only in rejected files
                    assertEquals(45, rs.getInt(1), "one pseudonym per patient across both runners");
                    assertEquals(FILES - FILES / 10, rs.getInt(2), "one index row per output");
                }
            }
        }
    }
}
