package eu.hbp.mip.anonymiser.examples;

import eu.hbp.mip.anonymiser.api.AnonymiserRegistry;
import eu.hbp.mip.anonymiser.pipeline.AuditLog;
import eu.hbp.mip.anonymiser.pipeline.LeakCheck;
import eu.hbp.mip.anonymiser.pipeline.Pipeline;
import eu.hbp.mip.anonymiser.pipeline.Route;
import eu.hbp.mip.anonymiser.pipeline.RunReport;
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

    /** @return the options a provider declares, out of all the run's options */
    static java.util.Map<String, String> onlyOf(eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider p,
                                               java.util.Map<String, String> options) {
        java.util.Map<String, String> mine = new java.util.LinkedHashMap<>();
        options.forEach((k, v) -> {
            if (p.options().contains(k)) {
                mine.put(k, v);
            }
        });
        return mine;
    }

    /** @return a listener that tells both */
    static Pipeline.Listener tee(Pipeline.Listener a, Pipeline.Listener b) {
        return new Pipeline.Listener() {
            @Override
            public void passStarted(int files, long bytes) {
                a.passStarted(files, bytes);
                b.passStarted(files, bytes);
            }

            @Override
            public void finished(Pipeline.FileResult result) {
                a.finished(result);
                b.finished(result);
            }

            @Override
            public void passFinished(Duration elapsed) {
                a.passFinished(elapsed);
                b.passFinished(elapsed);
            }

            @Override
            public void failure(String message) {
                a.failure(message);
                b.failure(message);
            }
        };
    }

    /**
     * After a run of any source: the leak check if asked, the run report (JSON and HTML) and the audit line.
     *
     * @return whether the leak check found an original value
     */
    static boolean finish(PrintWriter out, Site site, Pipeline pipeline, PipelineOptions options, RunReport report,
                          String command, String summary) throws IOException {
        String verify = null;
        boolean leak = false;
        if (options.verify) {
            LeakCheck check = LeakCheck.from(site.store(), 4);
            long leaks = 0;
            long scanned = 0;
            for (java.nio.file.Path root : Route.targets(site.layout()).values()) {
                LeakCheck.Report r = check.scan(root, options.threads);
                leaks += r.leaks().size();
                scanned += r.files();
            }
            leak = leaks > 0;
            verify = scanned + " output files scanned: " + (leak ? leaks + " leak(s); run 'verify' for the list"
                    : "no original value found");
            out.println("verify: " + verify);
        }
        java.nio.file.Path json = report.write(site.layout(), new RunReport.Context(Main.VERSION, command,
                options.options(eu.hbp.mip.anonymiser.api.AnonymiserRegistry.discover()),
                pipeline.providerMap().values(), verify));
        out.println("report: " + json + " (and .html)");
        java.util.Map<String, Object> audit = new java.util.LinkedHashMap<>();
        audit.put("summary", summary.strip().replace('\n', ';'));
        audit.put("report", json.getFileName().toString());
        if (verify != null) {
            audit.put("verify", verify);
        }
        AuditLog.of(site.layout()).append(command, audit);
        return leak;
    }

    static int execute(CommandLine.Model.CommandSpec spec, SiteOptions siteOptions, PipelineOptions options,
                       Watch watch, Pipeline.Listener extra) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Progress.Mode mode = options.progressMode();
        RunReport report = new RunReport(java.time.Clock.systemUTC());
        try (Site site = siteOptions.open();
             Progress progress = new Progress(err, mode);
             Pipeline pipeline = build(site, options, extra == null ? tee(progress, report)
                     : tee(tee(progress, report), extra))) {
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
            boolean leak = finish(out, site, pipeline, options, report, watch == null ? "run" : "watch",
                    summary.describe());
            out.flush();
            if (summary.failed() > 0) {
                return ExitCodes.FAILURE;
            }
            if (leak) {
                return ExitCodes.LEAK;
            }
            if (signalled.get()) {
                return ExitCodes.OK; // stopped as asked; quarantined files are in the summary and 'status'
            }
            return summary.quarantinedTotal() > 0 ? ExitCodes.ATTENTION : ExitCodes.OK;
        }
    }
}
