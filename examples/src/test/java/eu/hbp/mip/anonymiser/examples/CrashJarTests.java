package eu.hbp.mip.anonymiser.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner jar killed with SIGKILL at random moments, then restarted until done. */
class CrashJarTests {

    private static final int FILES = 1_000;

    private static int published(Path data) throws java.io.IOException {
        Path txt = data.resolve("out/TXT");
        if (!java.nio.file.Files.isDirectory(txt)) {
            return 0;
        }
        try (var list = java.nio.file.Files.list(txt)) {
            return (int) list.count();
        }
    }

    @Test
    void everyFileEndsInExactlyOnePlaceThoughTheRunnerIsKilledAtRandom(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("site");
        RunnerProcess.Result init = RunnerProcess.run(Duration.ofSeconds(60), true, "init", "--data", data.toString());
        assertEquals(0, init.exit(), init::toString);
        Corpus.write(data.resolve("in"), FILES);

        long seed = System.nanoTime();
        Random random = new Random(seed);
        int kills = 0;
        int midRun = 0; // kills that landed after the run had published something, with work left
        int published = 0;
        boolean finished = false;
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        for (int attempt = 0; attempt < 60 && !finished && System.nanoTime() < deadline; attempt++) {
            Process p = RunnerProcess.start(tmp.resolve("logs"), true, "run", "--data", data.toString(),
                    "--quiet-period", "0", "--threads", "2", "--progress", "none");
            boolean mayKill = kills < 10;
            if (mayKill) {
                // Wait until this run publishes, then kill it a random moment later: mid-processing.
                long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (p.isAlive() && published(data) <= published && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
                Thread.sleep(random.nextInt(300));
            }
            if (p.waitFor(mayKill ? 0 : 90_000, TimeUnit.MILLISECONDS)) {
                assertTrue(p.exitValue() <= 1, "exit " + p.exitValue() + " (seed " + seed + ")");
                finished = true;
            } else if (mayKill) {
                p.destroyForcibly().waitFor();
                kills++;
                int now = published(data);
                if (now > published && now < FILES - FILES / 10) {
                    midRun++;
                }
                published = now;
                Corpus.assertEachFileInExactlyOnePlace(data, FILES, false);
            } else {
                p.destroyForcibly().waitFor();
                throw new AssertionError("the last run did not finish in time (seed " + seed + ")");
            }
        }
        assertTrue(finished, "the runs never finished (seed " + seed + ")");
        assertTrue(midRun >= 5, "only " + midRun + " of " + kills + " kills landed while files were being processed:"
                + " the test proved little (seed " + seed + ")");
        Corpus.assertEachFileInExactlyOnePlace(data, FILES, true);
        assertEquals(900, Cli.files(data.resolve("out")).size());
        System.out.println("crash test: " + kills + " kills, " + midRun + " while processing, seed " + seed);
    }
}
