package eu.hbp.mip.anonymiser.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code watch}: keeps processing as files arrive. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Keeps processing files as they arrive in in/: a file-system watch wakes it at once,"
                + " and a pass every --poll finds files on network shares (NFS, SMB), which raise no events."
                + " Files still being written are left until they stop changing. Stop it with Ctrl-C or"
                + " SIGTERM: the files in hand are finished first."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:stopped; every file was anonymised",
            "1:stopped; some files were quarantined",
            "2:wrong command line or configuration",
            "4:the machine failed (disk, permissions, store)"})
final class WatchCommand implements Callable<Integer> {

    @Mixin
    SiteOptions site;

    @Mixin
    PipelineOptions pipeline;

    @Option(names = "--poll", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "time between passes when no event arrives, such as 2s or 1m; default ${DEFAULT-VALUE}")
    Duration poll;

    @Option(names = "--idle-exit", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "exit after this long without a new file (for batch windows and tests);"
                    + " default: run until stopped")
    Duration idleExit;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "serve /metrics (Prometheus text format) and /health on this port; default: off")
    Integer metricsPort;

    @Option(names = "--metrics-bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "the address of /metrics and /health; default ${DEFAULT-VALUE} (this machine only)")
    String metricsBind;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (metricsPort == null) {
            return Runs.execute(spec, site, pipeline, new Runs.Watch(poll, idleExit), null);
        }
        if (metricsPort < 0 || metricsPort > 65535) {
            throw new RunnerConfigException("--metrics-port must be between 0 and 65535");
        }
        try (Metrics metrics = new Metrics(metricsBind, metricsPort)) {
            spec.commandLine().getErr().println("metrics: http://" + metricsBind + ":" + metrics.port()
                    + "/metrics and /health");
            spec.commandLine().getErr().flush();
            return Runs.execute(spec, site, pipeline, new Runs.Watch(poll, idleExit), metrics);
        } catch (java.net.BindException e) {
            throw new RunnerConfigException("cannot listen on " + metricsBind + ":" + metricsPort
                    + " for /metrics: the port is taken or the address is not this machine's");
        }
    }
}
