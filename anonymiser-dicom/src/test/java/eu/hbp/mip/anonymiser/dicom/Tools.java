package eu.hbp.mip.anonymiser.dicom;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Runs DCMTK and dicom3tools; a missing tool fails the test with the install command. */
final class Tools {

    record Run(int exit, String output) {
    }

    private Tools() {
    }

    static Run run(String debianPackage, String... command) {
        List<String> cmd = List.of(command);
        try {
            Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(command[0] + " did not finish in 60 s");
            }
            return new Run(p.exitValue(), new String(out, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            return fail(command[0] + " is not installed: apt-get install " + debianPackage + " (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    /** Runs a tool and fails the test when it exits with an error. */
    static String ok(String debianPackage, String... command) {
        Run r = run(debianPackage, command);
        if (r.exit() != 0) {
            fail(String.join(" ", command) + " failed (" + r.exit() + "): " + r.output());
        }
        return r.output();
    }

    static Path dump2dcm(Path dump, Path out, String... options) {
        List<String> cmd = new ArrayList<>(List.of("dump2dcm"));
        cmd.addAll(List.of(options));
        cmd.add(dump.toString());
        cmd.add(out.toString());
        ok("dcmtk", cmd.toArray(String[]::new));
        return out;
    }

    static String dcmdump(Path file) {
        return ok("dcmtk", "dcmdump", "-q", "+L", file.toString());
    }

    /** The error lines dciodvfy reports, with the file-specific parts left as they are. */
    static List<String> dciodvfyErrors(Path file) {
        Run r = run("dicom3tools", "dciodvfy", file.toString());
        List<String> errors = new ArrayList<>();
        for (String line : r.output().split("\n")) {
            if (line.startsWith("Error")) {
                errors.add(line.strip());
            }
        }
        return errors;
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return fail("cannot read " + file);
        }
    }
}
