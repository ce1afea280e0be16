package eu.hbp.mip.anonymiser.examples;

import eu.hbp.mip.anonymiser.api.AnonymiserRegistry;
import eu.hbp.mip.anonymiser.pipeline.Pipeline;
import eu.hbp.mip.anonymiser.pipeline.RunSummary;
import eu.hbp.mip.anonymiser.pipeline.Site;
import picocli.CommandLine;
import sun.misc.Signal;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** What {@code run} and {@code watch} share: open the site, build the pipeline, report, choose the exit code. */
final class Runs {

    /** The watch settings; absent for {@code run}. */
    record Watch(Duration poll, Duration idleExit) {
    }

    private Runs() {
    }

    static Pipeline build(Site site, PipelineOptions options, Pipeline.Listener progress) {
        if (options.threads < 1) {
            throw new RunnerConfigException("--threads must be at least 1");
        }
        try {
            AnonymiserRegistry registry = AnonymiserRegistry.discover();
            Pipeline pipeline = Pipeline.builder(site)
                    .registry(registry)
                    .threads(options.threads)
                    .quietPeriod(options.quietPeriod)
                    .options(options.options(registry))
                    .listener(progress)
                    .build();
            if (pipeline.providers().isEmpty()) {
                pipeline.close();
                throw new RunnerConfigException("no anonymiser provider on the class path: the runner jar should"
                        + " hold the format providers; rebuild it with 'mvn -pl examples -am package'");
            }
            return pipeline;
        } catch (IOException e) {
            // The mover names the folders of the layout (never an input's name) and the fix.
            throw new RunnerConfigException("cannot start on " + site.layout().in().getParent() + ": "
                    + e.getMessage());
        }
    }

    static int execute(CommandLine.Model.CommandSpec spec, SiteOptions siteOptions, PipelineOptions options,
                       Watch watch) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Progress.Mode mode = options.progressMode();
        try (Site site = siteOptions.open();
             Progress progress = new Progress(err, mode);
             Pipeline pipeline = build(site, options, progress)) {
            // SIGTERM (systemd stop) and Ctrl-C: finish the files in hand, print the summary, exit 0.
            java.util.concurrent.atomic.AtomicBoolean signalled = new java.util.concurrent.atomic.AtomicBoolean();
            List<Signal> signals = List.of(new Signal("TERM"), new Signal("INT"));
            List<sun.misc.SignalHandler> previous = new java.util.ArrayList<>();
            for (Signal signal : signals) {
                previous.add(Signal.handle(signal, sig -> {
                    signalled.set(true);
                    pipeline.stop();
                }));
            }
            CountDownLatch finished = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                pipeline.stop();
                try {
                    finished.await(60, TimeUnit.SECONDS); // let the files in hand finish
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "anonymiser-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            RunSummary summary;
            try {
                summary = watch == null ? pipeline.runOnce() : pipeline.watch(watch.poll(), watch.idleExit());
            } finally {
                for (int i = 0; i < signals.size(); i++) {
                    Signal.handle(signals.get(i), previous.get(i));
                }
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: nothing to remove
                }
            }
            progress.close();
            out.print(summary.describe());
            out.flush();
            if (summary.failed() > 0) {
                return ExitCodes.FAILURE;
            }
            if (signalled.get()) {
                return ExitCodes.OK; // stopped as asked; quarantined files are in the summary and 'status'
            }
            return summary.quarantinedTotal() > 0 ? ExitCodes.ATTENTION : ExitCodes.OK;
        }
    }
}
