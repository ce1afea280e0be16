package eu.hbp.mip.anonymiser.testformat;

import eu.hbp.mip.anonymiser.examples.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A third format is one jar and nothing else: with this module's provider on the class path,
 * the unchanged runner gives it its profiles folder, its quarantine bucket, its output root in
 * {@code status}, a {@code forward} target and {@code forget}, with no line changed elsewhere.
 */
class ThirdFormatTests {

    private record Result(int exit, String out) {
    }

    private static Result run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        return new Result(cl.execute(args), out.toString());
    }

    private static List<String> files(Path root) throws IOException {
        List<String> result = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return result;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .filter(p -> !p.startsWith(".") && !p.contains("/.")).sorted().forEach(result::add);
        }
        return result;
    }

    @Test
    void theRunnerGivesANewFormatItsBucketOutputRootForwardTargetAndForget(@TempDir Path tmp) throws IOException {
        Path data = tmp.resolve("site");
        Result init = run("init", "--data", data.toString());
        assertEquals(0, init.exit(), init.out());
        assertTrue(Files.isRegularFile(data.resolve("scripts/notes/notes.yaml")), init.out());
        assertTrue(Files.isDirectory(data.resolve("quarantine/notes")), "the format's own bucket");

        Path in = data.resolve("in");
        Files.writeString(in.resolve("ward.txt"), "#notes ward\nHOSP-A;came in\nHOSP-B;a secret note\nHOSP-A;left\n");
        Files.writeString(in.resolve("solo.txt"), "#notes solo\nHOSP-C;alone\n");
        Files.writeString(in.resolve("broken.txt"), "#notes broken\nHOSP-D without separator\n");
        Files.writeString(in.resolve("nobody.txt"), "#notes nobody\n;no patient\n");

        Result r = run("run", "--data", data.toString(), "--quiet-period", "0", "--progress", "none");
        assertEquals(1, r.exit(), r.out());
        assertEquals(List.of("NOTES/solo.notes", "NOTES/ward.notes"), files(data.resolve("out")));
        assertEquals(List.of("broken.txt", "broken.txt.reason.txt", "nobody.txt", "nobody.txt.reason.txt"),
                files(data.resolve("quarantine/notes")), "rejections and format errors in the format's bucket");
        String broken = Files.readString(data.resolve("quarantine/notes/broken.txt.reason.txt"));
        assertTrue(broken.contains("notes-malformed") && broken.contains("line 2"), broken);
        String ward = Files.readString(data.resolve("out/NOTES/ward.notes"));
        assertFalse(ward.contains("HOSP-") || ward.contains("secret"), ward);

        Result status = run("status", "--data", data.toString());
        assertTrue(status.out().contains("out/NOTES/") && status.out().contains("quarantine/notes/"), status.out());
        assertTrue(status.out().contains("notes-malformed=1") && status.out().contains("notes-no-patient=1"),
                status.out());

        Result unknown = run("run", "--data", data.toString(), "-o", "notes.no-such=1");
        assertEquals(2, unknown.exit(), unknown.out());
        assertTrue(unknown.out().contains("notes.keep-text"), "the known options are listed: " + unknown.out());

        // forget: a shared output loses the patient's records; an output of the patient alone goes.
        String patientA = ward.lines().skip(1).findFirst().orElseThrow().split(";")[0];
        assertTrue(ward.contains(patientA + ";came in") && ward.contains(patientA + ";left"), ward);
        Result forget = run("forget", "--data", data.toString(), "--patient", "HOSP-A", "--patient", "HOSP-C");
        assertEquals(0, forget.exit(), forget.out());
        assertTrue(forget.out().contains("2 record(s) removed from 1 shared output(s)"), forget.out());
        assertEquals(List.of("NOTES/ward.notes"), files(data.resolve("out")));
        String rewritten = Files.readString(data.resolve("out/NOTES/ward.notes"), StandardCharsets.UTF_8);
        assertFalse(rewritten.contains(patientA), rewritten);
        assertEquals(2, rewritten.lines().count(), "the header and the other patient's record: " + rewritten);

        // forward: the format's output root is a target like any other.
        Path target = tmp.resolve("notes-archive");
        Result forward = run("forward", "--data", data.toString(), "--to", "NOTES=" + target);
        assertEquals(0, forward.exit(), forward.out());
        assertEquals(List.of("ward.notes"), files(target));
        assertEquals(List.of(), files(data.resolve("out")));
    }
}
