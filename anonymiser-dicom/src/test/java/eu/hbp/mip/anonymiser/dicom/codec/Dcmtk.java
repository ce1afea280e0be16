package eu.hbp.mip.anonymiser.dicom.codec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Runs the real DCMTK and dicom3tools programs for the tests; fails when they are missing. */
final class Dcmtk {

    /** The committed fixtures made by make-fixtures.sh. */
    static final Path FIXTURES = Path.of("src/test/fixtures");

    private Dcmtk() {
    }

    /** The fixture files, by name. */
    static List<Path> fixtures() throws IOException {
        try (var s = Files.list(FIXTURES)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".dcm")).sorted().toList();
        }
    }

    static Path fixture(String name) {
        return FIXTURES.resolve(name);
    }

    /** The result of a program: exit code, standard output, standard error. */
    record Run(int exit, String out, String err) {
    }

    static Run run(String package_, String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).start();
        } catch (IOException e) {
            fail(command[0] + " not found: install " + package_ + " (apt-get install " + package_ + ")");
            throw e;
        }
        p.getOutputStream().close();
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        Thread t = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        t.start();
        p.getInputStream().transferTo(out);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(command[0] + " did not finish in 60 s");
        }
        t.join();
        return new Run(p.exitValue(), out.toString(StandardCharsets.ISO_8859_1), err.toString(StandardCharsets.ISO_8859_1));
    }

    /** dcmdump's full text of a file (long values printed whole); fails when dcmdump fails. */
    static String dump(Path file) throws IOException, InterruptedException {
        Run r = run("dcmtk", "dcmdump", "+L", file.toString());
        if (r.exit() != 0 || r.err().contains("E: ")) {
            fail("dcmdump could not read " + file + ": " + r.err());
        }
        return r.out();
    }

    /**
     * The data set part of a dcmdump text (after "# Dicom-Data-Set"), with trailing spaces inside
     * values and runs of spaces collapsed: an odd-length value read by DCMTK shows its padding,
     * the same value padded by our writer does not (see docs/dicom-codec.md, odd lengths).
     */
    static String dataSetPart(String dump) {
        int i = dump.indexOf("# Dicom-Data-Set");
        String part = i < 0 ? dump : dump.substring(i);
        return part.replaceAll("[ \\x00]+\\]", "]").replaceAll(" {2,}", " ");
    }

    /**
     * The meta part of a dcmdump text without the lines that the writer owns: the group length,
     * the implementation class UID and version name.
     */
    static List<String> metaPart(String dump) {
        int i = dump.indexOf("# Dicom-Data-Set");
        List<String> lines = new ArrayList<>();
        for (String line : (i < 0 ? "" : dump.substring(0, i)).split("\n")) {
            if (!line.startsWith("(0002,0000)") && !line.startsWith("(0002,0012)") && !line.startsWith("(0002,0013)")) {
                lines.add(line);
            }
        }
        return lines;
    }
}
