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

    @Test
    void everyFileEndsInExactlyOnePlaceThoughTheRunnerIsKilledAtRandom(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("site");
        RunnerProcess.Result init = RunnerProcess.run(Duration.ofSeconds(60), true, "init", "--data", data.toString());
        assertEquals(0, init.exit(), init::toString);
        Corpus.write(data.resolve("in"), FILES);

        long seed = System.nanoTime();
        Random random = new Random(seed);
        int kills = 0;
        boolean finished = false;
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        for (int attempt = 0; attempt < 60 && !finished && System.nanoTime() < deadline; attempt++) {
            Process p = RunnerProcess.start(tmp.resolve("logs"), true, "run", "--data", data.toString(),
                    "--quiet-period", "0", "--threads", "2", "--progress", "none");
            boolean mayKill = kills < 10;
            long waitMillis = mayKill ? 400 + random.nextInt(1600) : 90_000;
            if (p.waitFor(waitMillis, TimeUnit.MILLISECONDS)) {
                assertTrue(p.exitValue() <= 1, "exit " + p.exitValue() + " (seed " + seed + ")");
                finished = true;
            } else if (mayKill) {
                p.destroyForcibly().waitFor();
                kills++;
                Corpus.assertEachFileInExactlyOnePlace(data, FILES, false);
            } else {
                p.destroyForcibly().waitFor();
                throw new AssertionError("the last run did not finish in time (seed " + seed + ")");
            }
        }
        assertTrue(finished, "the runs never finished (seed " + seed + ")");
        assertTrue(kills >= 3, "only " + kills + " kills landed: the test proved little (seed " + seed + ")");
        Corpus.assertEachFileInExactlyOnePlace(data, FILES, true);
        assertEquals(900, Cli.files(data.resolve("out")).size());
        System.out.println("crash test: " + kills + " kills, seed " + seed);
    }
}
