package eu.hbp.mip.anonymiser.examples.dimse;

import eu.hbp.mip.anonymiser.examples.Main;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs the runner's command line in this JVM, at once or in the background, and captures what it prints. */
final class DimseCli {

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** A command running in the background; {@link #err()} shows what it printed so far. */
    static final class Running {
        private final StringWriter out = new StringWriter();
        private final StringWriter err = new StringWriter();
        private final ExecutorService thread = Executors.newSingleThreadExecutor();
        private final Future<Integer> exit;

        Running(String... args) {
            CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            exit = thread.submit(() -> cl.execute(args));
            thread.shutdown();
        }

        synchronized String err() {
            return err.toString();
        }

        /** Waits (at most 120 s) for the command to end. */
        Result await() throws Exception {
            int code = exit.get(120, java.util.concurrent.TimeUnit.SECONDS);
            return new Result(code, out.toString(), err.toString());
        }
    }

    private DimseCli() {
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
}
