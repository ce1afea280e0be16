package eu.hbp.mip.anonymiser.examples.pacs;

import eu.hbp.mip.anonymiser.examples.PacsCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacsCommandTests {

    @CommandLine.Command(name = "mip-anonymiser")
    static final class Root implements Runnable {
        @Override
        public void run() {
        }
    }

    @Test
    void mountedAsTheRunnerDoesItStillGivesOneLineAndExitCode4(@TempDir Path data) throws IOException {
        CommandLine root = new CommandLine(new Root());
        root.addSubcommand("pacs", PacsCommand.commandLine(Map.of()));
        PacsFaultTests.initialised(data);
        StringWriter err = new StringWriter();
        root.setErr(new PrintWriter(err));
        root.setOut(new PrintWriter(new StringWriter()));
        int closed = OrthancServer.freePort();
        int code = root.execute("pacs", "find", "--url", "http://127.0.0.1:" + closed + "/dicom-web/", "--retries", "0",
                "--data", data.toString());
        assertEquals(4, code, "an unreachable PACS is a failure of the machine, not of the command line");
        String[] lines = err.toString().strip().split("\n");
        assertEquals(1, lines.length, err.toString());
        assertTrue(lines[0].startsWith("pacs: QIDO-RS studies at http://127.0.0.1:" + closed), lines[0]);
    }

    @Test
    void refusesUserWithoutPasswordInOneLine(@TempDir Path data) {
        StringWriter err = new StringWriter();
        int code = PacsCommand.run(new String[] {"pull", "--url", "http://127.0.0.1:1/dicom-web/", "--user", "mip",
                "--data", data.toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err), Map.of());
        assertEquals(2, code);
        assertEquals("pacs: --user needs a password: --password, --password-file or $MIP_PACS_PASSWORD",
                err.toString().strip());
    }
}
