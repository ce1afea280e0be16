package eu.hbp.mip.anonymiser.examples;

import eu.hbp.mip.anonymiser.api.AnonymiserException;
import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.dimse.DimseException;
import eu.hbp.mip.anonymiser.dimse.DimseScu;
import eu.hbp.mip.anonymiser.dimse.StoreScp;
import eu.hbp.mip.anonymiser.pipeline.Pipeline;
import eu.hbp.mip.anonymiser.pipeline.Site;
import eu.hbp.mip.anonymiser.pipeline.pacs.PacsPull;
import eu.hbp.mip.anonymiser.pipeline.pacs.PatientList;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The runner's {@code dimse} command, for sites whose PACS speaks only DIMSE:
 * {@code dimse listen} receives C-STORE requests (a PACS or modality sends to us);
 * {@code dimse find} lists what a pull would fetch (C-FIND, patient pseudonyms and counts);
 * {@code dimse pull} retrieves with C-MOVE to our own SCP. Every received instance lands in
 * {@code pacs/download} and goes through the one pipeline into {@code pacs/dicoms} (or
 * {@code quarantine/pacs}), as {@code pacs pull} does.
 *
 * <p>Exit codes: 0 done (or stopped by SIGTERM / Ctrl-C), 1 some instances quarantined, 2 wrong
 * command line or configuration (or the PACS rejected our AE title), 4 the PACS could not be
 * reached or the machine failed. Every error is one line on standard error, without a patient
 * value.
 *
 * <pre>
 * dimse listen --data /data/anonymiser --aet MIP_ANON --port 11112 --allow PACS@10.0.0.5
 * dimse pull --data /data/anonymiser --host pacs --port 104 --aec PACS --aet MIP_ANON --move-port 11113
 * </pre>
 */
@Command(name = "dimse", mixinStandardHelpOptions = true,
        description = "Receive (C-STORE), find (C-FIND) and pull (C-MOVE) over DICOM DIMSE, through the pipeline.",
        subcommands = {DimseCommand.Listen.class, DimseCommand.Find.class, DimseCommand.Pull.class},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:done, or stopped by SIGTERM / Ctrl-C", "1:some instances were quarantined",
            "2:wrong command line or configuration, or the PACS rejected our AE title",
            "4:the PACS could not be reached, or the machine failed"})
public final class DimseCommand implements Callable<Integer> {

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.CONFIG;
    }

    /** @return the command line, ready for the runner to add as a subcommand */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new DimseCommand());
        cli.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("dimse: " + e.getMessage() + " (see --help)");
            return ExitCodes.CONFIG;
        });
        return cli;
    }

    /** What every subcommand shares: the site, the spec, one-line errors and exit codes. */
    abstract static class Subcommand implements Callable<Integer> {
        @Mixin
        SiteOptions site;
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public final Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try {
                return work();
            } catch (DimseException e) {
                err.println("dimse: " + oneLine(e.getMessage()));
                err.flush();
                return e.kind() == DimseException.Kind.REFUSED ? ExitCodes.CONFIG : ExitCodes.FAILURE;
            } catch (AnonymiserException | IllegalArgumentException e) {
                err.println("dimse: " + oneLine(e.getMessage()));
                err.flush();
                return ExitCodes.CONFIG;
            } catch (UncheckedIOException e) {
                err.println("dimse: " + oneLine(e.getMessage()));
                err.flush();
                return ExitCodes.FAILURE;
            } catch (IOException e) {
                // an I/O message may name a received file: the kind only
                err.println("dimse: " + e.getClass().getSimpleName() + "; check the port is free, disk space and"
                        + " permissions of the data folder");
                err.flush();
                return ExitCodes.FAILURE;
            }
        }

        abstract int work() throws IOException;

        private static String oneLine(String s) {
            return String.valueOf(s).replace('\n', ' ');
        }
    }

    /** TLS: our certificate and key, and the peers' certificates we trust. */
    static final class TlsOptions {
        @Option(names = "--tls-keystore", paramLabel = "FILE",
                description = "PKCS#12 (.p12) or JKS (.jks) with our certificate and key: our SCP then speaks TLS only"
                        + " (and a PACS asking for a client certificate gets this one)")
        Path keystore;
        @Option(names = "--tls-keystore-password-file", paramLabel = "FILE",
                description = "file whose first line is the key store's password")
        Path keystorePassword;
        @Option(names = "--tls-truststore", paramLabel = "FILE",
                description = "PKCS#12 or JKS with the peers' certificates we trust; for find and pull it turns TLS"
                        + " on towards the PACS")
        Path truststore;
        @Option(names = "--tls-truststore-password-file", paramLabel = "FILE",
                description = "file whose first line is the trust store's password")
        Path truststorePassword;

        javax.net.ssl.SSLContext context() {
            return eu.hbp.mip.anonymiser.dimse.DimseTls.context(keystore, secret(keystorePassword), truststore,
                    secret(truststorePassword));
        }

        private static char[] secret(Path file) {
            if (file == null) {
                return new char[0];
            }
            try {
                List<String> lines = java.nio.file.Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8);
                return lines.isEmpty() ? new char[0] : lines.get(0).toCharArray();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read password file " + file + " ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
    }

    /** The options of our own SCP ({@code listen}, and the move destination of {@code pull}). */
    static final class ScpOptions {
        @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
                description = "address to listen on; default ${DEFAULT-VALUE} (loopback only)")
        String bind;
        @Option(names = "--allow", paramLabel = "AET@HOST",
                description = "a calling AE title and host allowed to send (repeatable); default: any caller")
        List<String> allow = new ArrayList<>();
        @Option(names = "--max-associations", paramLabel = "N", defaultValue = "4",
                description = "associations served at once; more are rejected as transient; default ${DEFAULT-VALUE}")
        int maxAssociations;
        @Option(names = "--max-size", paramLabel = "MB", defaultValue = "2048",
                description = "largest instance received, in MB (a larger one is refused, status A700); default"
                        + " ${DEFAULT-VALUE}")
        long maxSizeMb;
        @Option(names = "--read-timeout", paramLabel = "SECONDS", defaultValue = "60",
                description = "seconds a peer may stay silent inside an association; default ${DEFAULT-VALUE}")
        int readTimeout;
        @Mixin
        TlsOptions tls;
        @Option(names = "--tls-require-client-cert",
                description = "with --tls-keystore: senders must present a certificate the trust store holds")
        boolean requireClientCert;

        StoreScp.Config config(String aet, int port) {
            StoreScp.Config plain = plainConfig(aet, port);
            if (tls.keystore == null) {
                if (requireClientCert) {
                    throw new IllegalArgumentException("--tls-require-client-cert needs --tls-keystore");
                }
                return plain;
            }
            return plain.withTls(new StoreScp.Tls(tls.context(), requireClientCert));
        }

        private StoreScp.Config plainConfig(String aet, int port) {
            if (maxSizeMb < 1 || maxSizeMb > 1 << 20) {
                throw new IllegalArgumentException("--max-size must be between 1 and 1048576 MB");
            }
            if (readTimeout < 1) {
                throw new IllegalArgumentException("--read-timeout must be at least 1 second");
            }
            InetAddress address;
            try {
                address = InetAddress.getByName(bind);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("--bind " + bind + " is not an address of this machine");
            }
            return new StoreScp.Config(aet, address, port, allow, maxAssociations, maxSizeMb << 20,
                    Duration.ofSeconds(30), Duration.ofSeconds(readTimeout));
        }
    }

    /** {@code dimse listen}: a C-ECHO / C-STORE SCP until stopped. */
    @Command(name = "listen", mixinStandardHelpOptions = true,
            description = {"Receive instances sent with C-STORE into pacs/download and anonymise each, once complete,"
                    + " through the pipeline into pacs/dicoms (failures to quarantine/pacs). Answers C-ECHO.",
                "Stop it with Ctrl-C or SIGTERM: it stops accepting, finishes the instances in hand and prints a"
                    + " summary."})
    static final class Listen extends Subcommand {
        @Mixin
        PipelineOptions pipelineOptions;
        @Mixin
        ScpOptions scp;
        @Option(names = "--aet", required = true, paramLabel = "NAME", description = "our AE title (the called one)")
        String aet;
        @Option(names = "--port", required = true, paramLabel = "N", description = "port to listen on")
        int port;
        @Option(names = "--idle-exit", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "exit after this long without an association (batch windows, tests);"
                        + " default: run until stopped")
        Duration idleExit;

        @Override
        int work() throws IOException {
            StoreScp.Config config = scp.config(aet, port);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            eu.hbp.mip.anonymiser.pipeline.RunReport report =
                    new eu.hbp.mip.anonymiser.pipeline.RunReport(java.time.Clock.systemUTC());
            try (Site s = site.open();
                 Progress progress = new Progress(err, pipelineOptions.progressMode());
                 Pipeline pipeline = Runs.build(s, pipelineOptions, Runs.tee(progress, report));
                 StoreScp server = new StoreScp(config, pipeline)) {
                server.start();
                int leftovers = server.processLeftovers();
                err.printf("dimse: listening as %s on %s:%d%n", aet, scp.bind, server.port());
                err.flush();
                AtomicBoolean signalled = new AtomicBoolean();
                CountDownLatch stop = new CountDownLatch(1);
                List<Signal> signals = List.of(new Signal("TERM"), new Signal("INT"));
                List<sun.misc.SignalHandler> previous = new ArrayList<>();
                for (Signal signal : signals) {
                    previous.add(Signal.handle(signal, sig -> {
                        signalled.set(true);
                        stop.countDown();
                    }));
                }
                CountDownLatch finished = new CountDownLatch(1);
                Thread hook = new Thread(() -> {
                    stop.countDown();
                    try {
                        finished.await(60, TimeUnit.SECONDS); // let the instances in hand finish
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "anonymiser-shutdown");
                Runtime.getRuntime().addShutdownHook(hook);
                try {
                    waitForStop(server, stop);
                    server.stop();
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
                StoreScp.Counts c = server.counts();
                FolderLayout layout = s.layout();
                out.printf("received %d instances in %d associations: %d anonymised into %s, %d quarantined into %s;"
                                + " %d refused (too large, disk), %d associations rejected, %d aborted%n",
                        c.received(), c.associations(), c.anonymised(), layout.pacsDicoms(), c.quarantined(),
                        layout.quarantine(FolderLayout.PACS_BUCKET), c.refused(), c.rejected(), c.aborted());
                if (leftovers > 0) {
                    out.printf("also processed %d files left in %s%n", leftovers, layout.pacsDownload());
                }
                if (c.failed() > 0) {
                    out.printf("%d instances wait in %s: the machine failed while anonymising them; they are"
                            + " processed at the next start%n", c.failed(), layout.pacsDownload());
                }
                boolean leak = Runs.finish(out, s, pipeline, pipelineOptions, report, "dimse listen",
                        c.received() + " received, " + c.anonymised() + " anonymised, " + c.quarantined()
                                + " quarantined, " + c.rejected() + " associations rejected");
                out.flush();
                if (leak) {
                    return ExitCodes.LEAK;
                }
                if (c.failed() > 0) {
                    return ExitCodes.FAILURE;
                }
                if (signalled.get()) {
                    return ExitCodes.OK;
                }
                return c.quarantined() > 0 ? ExitCodes.ATTENTION : ExitCodes.OK;
            }
        }

        private void waitForStop(StoreScp server, CountDownLatch stop) {
            long idleSince = System.nanoTime();
            StoreScp.Counts last = server.counts();
            try {
                while (!stop.await(200, TimeUnit.MILLISECONDS)) {
                    if (idleExit == null) {
                        continue;
                    }
                    StoreScp.Counts now = server.counts();
                    if (server.active() > 0 || !now.equals(last)) {
                        idleSince = System.nanoTime();
                        last = now;
                    } else if (System.nanoTime() - idleSince > idleExit.toNanos()) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The options of the PACS we call ({@code find}, {@code pull}). */
    static final class PeerOptions {
        @Option(names = "--host", required = true, description = "the PACS host")
        String host;
        @Option(names = "--port", required = true, description = "the PACS DICOM port")
        int port;
        @Option(names = "--aec", required = true, paramLabel = "PACS_AET", description = "the PACS AE title")
        String aec;
        @Option(names = "--aet", required = true, paramLabel = "OUR_AET",
                description = "our AE title (the PACS must know it; for pull, with our host and --move-port)")
        String aet;
        @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "10",
                description = "seconds to connect; default ${DEFAULT-VALUE}")
        int connectTimeout;
        @Option(names = "--pacs-timeout", paramLabel = "SECONDS", defaultValue = "60",
                description = "seconds the PACS may take to answer; default ${DEFAULT-VALUE}")
        int pacsTimeout;
        @Option(names = "--from", description = "first study date, yyyy-MM-dd")
        LocalDate from;
        @Option(names = "--to", description = "last study date, yyyy-MM-dd")
        LocalDate to;
        @Option(names = "--modality", description = "only studies with this modality, e.g. MR")
        String modality;
        @Option(names = "--patients-file", description = "CSV of the cohort's patient IDs (the EHR export)")
        Path patientsFile;
        @Option(names = "--patient-column", defaultValue = "patient_id",
                description = "its column of patient IDs (default ${DEFAULT-VALUE})")
        String patientColumn;

        DimseScu scu(TlsOptions tls) {
            DimseScu.Peer peer = new DimseScu.Peer(host, port, aec, aet, Duration.ofSeconds(connectTimeout),
                    Duration.ofSeconds(pacsTimeout));
            return new DimseScu(tls.truststore == null ? peer : peer.withTls(tls.context()));
        }

        PacsPull.Query query() {
            List<String> ids = patientsFile == null ? List.of() : PatientList.read(patientsFile, patientColumn);
            if (patientsFile != null && ids.isEmpty()) {
                throw new IllegalArgumentException("patients file " + patientsFile + " has no patient ID in column '"
                        + patientColumn + "'");
            }
            return new PacsPull.Query(Optional.ofNullable(from), Optional.ofNullable(to), Optional.ofNullable(modality),
                    ids);
        }
    }

    /** {@code dimse find}: counts by patient pseudonym. */
    @Command(name = "find", mixinStandardHelpOptions = true,
            description = "List the studies a pull would fetch (C-FIND, Study Root): patient pseudonyms and counts,"
                    + " never patient data.")
    static final class Find extends Subcommand {
        @Mixin
        PeerOptions peer;
        @Mixin
        TlsOptions tls;

        @Override
        int work() {
            PacsPull.Query query = peer.query();
            try (Site s = site.open()) {
                List<PacsPull.FoundPatient> found = peer.scu(tls).find(s.store(), query);
                PrintWriter out = spec.commandLine().getOut();
                out.printf("%-20s %7s  %s%n", "patient", "studies", "months");
                int studies = 0;
                for (PacsPull.FoundPatient p : found) {
                    out.printf("%-20s %7d  %s%n", p.patient(), p.studies(), String.join(" ", p.months()));
                    studies += p.studies();
                }
                out.printf("total: %d patients, %d studies%n", found.size(), studies);
                out.flush();
            }
            return ExitCodes.OK;
        }
    }

    /** {@code dimse pull}: C-MOVE to our own SCP, each instance through the pipeline. */
    @Command(name = "pull", mixinStandardHelpOptions = true,
            description = "Retrieve the studies found with C-MOVE to our own SCP (started for the pull) into"
                    + " pacs/download and anonymise them through the pipeline into pacs/dicoms (failures to"
                    + " quarantine/pacs). Run it again to resume: instances done are skipped.")
    static final class Pull extends Subcommand {
        @Mixin
        PeerOptions peer;
        @Mixin
        PipelineOptions pipelineOptions;
        @Mixin
        ScpOptions scp;
        @Option(names = "--move-port", paramLabel = "N", defaultValue = "0",
                description = "port of our SCP, which the PACS must know for our AE title; default 0: an ephemeral"
                        + " port, printed at start")
        int movePort;

        @Override
        int work() throws IOException {
            PacsPull.Query query = peer.query();
            StoreScp.Config config = scp.config(peer.aet, movePort);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            eu.hbp.mip.anonymiser.pipeline.RunReport report =
                    new eu.hbp.mip.anonymiser.pipeline.RunReport(java.time.Clock.systemUTC());
            try (Site s = site.open();
                 Progress progress = new Progress(err, pipelineOptions.progressMode());
                 Pipeline pipeline = Runs.build(s, pipelineOptions, Runs.tee(progress, report))) {
                DimseScu.Summary r = peer.scu(scp.tls).pull(query, pipeline, s.store(), config, port -> {
                    err.printf("dimse: move destination %s listening on %s:%d%n", peer.aet, scp.bind, port);
                    err.flush();
                });
                progress.close();
                out.printf("pulled %d instances of %d series in %d studies: %d anonymised into %s, %d quarantined"
                                + " into %s, %d pulled before, %d missing%n", r.instances(), r.series(), r.studies(),
                        r.anonymised(), s.layout().pacsDicoms(), r.quarantined(),
                        s.layout().quarantine(FolderLayout.PACS_BUCKET), r.pulledBefore(), r.missing());
                if (r.leftovers() > 0) {
                    out.printf("also processed %d files left in %s%n", r.leftovers(), s.layout().pacsDownload());
                }
                if (r.missing() > 0) {
                    out.printf("%d instances did not arrive: run the pull again to retry them%n", r.missing());
                }
                boolean leak = Runs.finish(out, s, pipeline, pipelineOptions, report, "dimse pull",
                        r.instances() + " instances, " + r.anonymised() + " anonymised, " + r.quarantined()
                                + " quarantined, " + r.pulledBefore() + " pulled before, " + r.missing() + " missing");
                out.flush();
                if (leak) {
                    return ExitCodes.LEAK;
                }
                if (r.missing() > 0) {
                    return ExitCodes.FAILURE;
                }
                return r.quarantined() > 0 ? ExitCodes.ATTENTION : ExitCodes.OK;
            }
        }
    }
}
