package eu.hbp.mip.anonymiser.examples;

import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** What {@code run} and {@code watch} share: open the site, build the pipeline, report, choose the exit code. */
final class Runs {

    /** The watch settings; absent for {@code run}. */
    record Watch(Duration poll, Duration idleExit) {
    }

    private Runs() {
    }

    private static FolderPipeline build(Site site, PipelineOptions options, Progress progress) {
        try {
            return FolderPipeline.builder(site.layout(), site.store())
                    .index(site.index())
                    .threads(options.threads)
                    .quietPeriod(options.quietPeriod)
                    .options(options.options())
                    .listener(progress)
                    .build();
        } catch (IOException e) {
            // The mover names the folders of the layout (never an input's name) and the fix.
            throw new RunnerConfigException("cannot start on " + site.layout().in().getParent() + ": "
                    + e.getMessage());
        }
    }

    static int execute(CommandLine.Model.CommandSpec spec, SiteOptions siteOptions, PipelineOptions options,
                       Watch watch) throws IOException {
        if (options.threads < 1) {
            throw new RunnerConfigException("--threads must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Progress.Mode mode = options.progressMode();
        try (Site site = Site.open(siteOptions);
             Progress progress = new Progress(err, mode);
             FolderPipeline pipeline = build(site, options, progress)) {
            if (pipeline.providers().isEmpty()) {
                throw new RunnerConfigException("no anonymiser provider on the class path: the runner jar should"
                        + " hold the DICOM and CSV providers; rebuild it with 'mvn -pl examples -am package'");
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
            return summary.quarantinedTotal() > 0 ? ExitCodes.ATTENTION : ExitCodes.OK;
        }
    }
}
