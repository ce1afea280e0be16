package eu.hbp.mip.anonymiser.examples;

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

/** Runs the runner's command line in this JVM and captures what it prints. */
final class Cli {

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Cli() {
    }

    static Result run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** Writes a file of the test format (see {@link TextTestProvider}). */
    static Path txt(Path in, String name, String patient, String serial, String... body) throws IOException {
        Path f = in.resolve(name);
        Files.createDirectories(f.getParent());
        StringBuilder s = new StringBuilder("patient: " + patient + "\nserial: " + serial + "\n");
        for (String b : body) {
            s.append(b).append('\n');
        }
        Files.writeString(f, s, StandardCharsets.UTF_8);
        return f;
    }

    /** @return every regular file under {@code root} outside hidden folders, relative, sorted */
    static List<String> files(Path root) throws IOException {
        List<String> result = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return result;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).filter(p -> eu.hbp.mip.anonymiser.pipeline.SiteStatus.visible(root, p))
                    .forEach(p -> result.add(root.relativize(p).toString()));
        }
        result.sort(null);
        return result;
    }

    /** @return whether any file under {@code root} (hidden ones too) holds {@code text} as UTF-8 bytes */
    static boolean anyFileContains(Path root, String text) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                if (new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)
                        .contains(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))) {
                    return true;
                }
            }
        }
        return false;
    }
}
