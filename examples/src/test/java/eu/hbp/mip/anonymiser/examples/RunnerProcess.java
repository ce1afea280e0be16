package eu.hbp.mip.anonymiser.examples;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the shaded runner jar in its own JVM, with the test provider on the class path. */
final class RunnerProcess {

    /** A finished run. */
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private RunnerProcess() {
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("mip.jar", "target/mip-anonymiser.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the runner jar " + jar.toAbsolutePath() + " is missing: these tests run"
                    + " after 'package' (mvn -pl examples -am verify)");
        }
        return jar;
    }

    static List<String> command(boolean withTestProvider, String... args) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String cp = jar().toString();
        if (withTestProvider) {
            cp += File.pathSeparator + System.getProperty("mip.testClasses", "target/test-classes");
        }
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", cp, "eu.hbp.mip.anonymiser.examples.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static Process start(Path logs, boolean withTestProvider, String... args) throws IOException {
        Files.createDirectories(logs);
        ProcessBuilder pb = new ProcessBuilder(command(withTestProvider, args));
        String id = Long.toString(System.nanoTime());
        pb.redirectOutput(logs.resolve(id + ".out").toFile());
        pb.redirectError(logs.resolve(id + ".err").toFile());
        return pb.start();
    }

    static Result run(Duration timeout, boolean withTestProvider, String... args) throws IOException,
            InterruptedException {
        Path logs = Files.createTempDirectory("runner-logs");
        ProcessBuilder pb = new ProcessBuilder(command(withTestProvider, args));
        pb.redirectOutput(logs.resolve("out").toFile());
        pb.redirectError(logs.resolve("err").toFile());
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("the runner did not finish in " + timeout + ": " + String.join(" ", args)
                    + "\n" + Files.readString(logs.resolve("err")));
        }
        return new Result(p.exitValue(), Files.readString(logs.resolve("out"), StandardCharsets.UTF_8),
                Files.readString(logs.resolve("err"), StandardCharsets.UTF_8));
    }
}
