package eu.hbp.mip.anonymiser.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code reidentify} on a real terminal (a pseudo-terminal made by util-linux's {@code script}). */
class ReidentifyJarTests {

    @Test
    void onATerminalItPrintsTheOriginalAndAuditsTheUseWithoutIt(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("site");
        assertEquals(0, RunnerProcess.run(Duration.ofSeconds(60), true, "init", "--data", data.toString()).exit());
        Cli.txt(data.resolve("in"), "1.txt", "HOSP-7731", "1", "x");
        RunnerProcess.Result run = RunnerProcess.run(Duration.ofSeconds(60), true, "run", "--data", data.toString(),
                "--quiet-period", "0", "--progress", "none");
        assertEquals(0, run.exit(), run::toString);
        String output = Files.readString(data.resolve("out/TXT/1.txt"));
        String pseudonym = output.lines().findFirst().orElseThrow().substring("patient: ".length()).strip();

        List<String> command = RunnerProcess.command(true, "reidentify", "--data", data.toString(), pseudonym);
        String line = String.join(" ", command.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
        Process p = new ProcessBuilder("script", "-qec", line, "/dev/null").redirectErrorStream(true).start();
        String shown = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "reidentify did not finish");
        assertEquals(0, p.exitValue(), shown);
        assertTrue(shown.contains(pseudonym + "  HOSP-7731"), shown);

        List<String> audit = Files.readAllLines(data.resolve("db/audit.log"));
        String last = audit.get(audit.size() - 1);
        assertTrue(last.contains("\"command\":\"reidentify\"") && last.contains(pseudonym), last);
        assertFalse(String.join("\n", audit).contains("HOSP-7731"), "the original is never in the audit log");
    }
}
