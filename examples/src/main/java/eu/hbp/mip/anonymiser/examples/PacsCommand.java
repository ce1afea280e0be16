package eu.hbp.mip.anonymiser.examples;

import eu.hbp.mip.anonymiser.api.AnonymiserException;
import eu.hbp.mip.anonymiser.pipeline.Pipeline;
import eu.hbp.mip.anonymiser.pipeline.Site;
import eu.hbp.mip.anonymiser.pipeline.pacs.PacsAuth;
import eu.hbp.mip.anonymiser.pipeline.pacs.PacsConnection;
import eu.hbp.mip.anonymiser.pipeline.pacs.PacsException;
import eu.hbp.mip.anonymiser.pipeline.pacs.PacsPull;
import eu.hbp.mip.anonymiser.pipeline.pacs.PatientList;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The runner's {@code pacs} command: {@code pacs find} lists what a pull would fetch
 * (patient pseudonyms and counts, never an original value); {@code pacs pull} retrieves each
 * instance into {@code pacs/download} and hands it to the one pipeline, which anonymises it
 * into {@code pacs/dicoms} (or quarantines it in {@code quarantine/pacs}) with the same
 * consent gate and output index as {@code run}; the manifest goes into {@code pacs/csv}.
 *
 * <p>Options and exit codes are the runner's: {@code --data}, {@code --store}, {@code --prefix}
 * as every command (the site must be initialised; the recorded store and prefix are used);
 * 0 done, 1 some instances quarantined, 2 wrong command line or configuration (or the PACS
 * refused the credentials), 4 the PACS could not be reached or the machine failed. Every error
 * is one line on standard error, without a stack trace and without a patient value.
 *
 * <pre>
 * pacs pull --url https://pacs.example.org/dicom-web/ --user mip --password-file /run/secrets/pacs \
 *           --patients-file cohort.csv --patient-column patient_id --from 2020-01-01 --modality MR \
 *           --data /data/anonymiser
 * </pre>
 */
@Command(name = "pacs", mixinStandardHelpOptions = true,
        description = "Find and pull studies from a PACS over DICOMweb (QIDO-RS / WADO-RS).",
        subcommands = {PacsCommand.Find.class, PacsCommand.Pull.class},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:done", "1:some instances were quarantined", "2:wrong command line or configuration, or the PACS"
                + " refused the credentials", "4:the PACS could not be reached, or the machine failed"})
public final class PacsCommand implements Callable<Integer> {

    /** Environment variable read for the password when no option gives one. */
    public static final String PASSWORD_ENV = "MIP_PACS_PASSWORD";
    /** Environment variable read for the bearer token when no option gives one. */
    public static final String TOKEN_ENV = "MIP_PACS_TOKEN";

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.CONFIG;
    }

    /**
     * Runs the command without exiting.
     *
     * @param args the arguments after {@code pacs}
     * @param out where results go
     * @param err where the one-line errors and the progress go
     * @param env the environment (for {@value #PASSWORD_ENV} and {@value #TOKEN_ENV})
     * @return the exit code
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        CommandLine cli = commandLine(env);
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    /**
     * @param env the environment to read secrets from
     * @return the command line, ready for the runner to add as a subcommand
     */
    public static CommandLine commandLine(Map<String, String> env) {
        CommandLine cli = new CommandLine(new PacsCommand(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == Find.class) {
                    return cls.cast(new Find(env));
                }
                if (cls == Pull.class) {
                    return cls.cast(new Pull(env));
                }
                return CommandLine.defaultFactory().create(cls);
            }
        });
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("pacs: " + e.getMessage() + " (see --help)");
            return ExitCodes.CONFIG;
        });
        return cli;
    }

    /** Runs a subcommand's work, turning every failure into one line on standard error and an exit code. */
    static int guarded(CommandLine.Model.CommandSpec spec, Callable<Integer> work) {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return work.call();
        } catch (PacsException e) {
            err.println("pacs: " + oneLine(e));
            err.flush();
            return e.kind() == PacsException.Kind.AUTHENTICATION ? ExitCodes.CONFIG : ExitCodes.FAILURE;
        } catch (AnonymiserException | IllegalArgumentException e) {
            err.println("pacs: " + oneLine(e));
            err.flush();
            return ExitCodes.CONFIG;
        } catch (Exception e) {
            err.println("pacs: " + oneLine(e));
            err.flush();
            return ExitCodes.FAILURE;
        }
    }

    private static String oneLine(Exception e) {
        if (e instanceof AnonymiserException || e instanceof IllegalArgumentException
                || e instanceof UncheckedIOException) {
            return String.valueOf(e.getMessage()).replace('\n', ' ');
        }
        if (e instanceof IOException) {
            return e.getClass().getSimpleName() + "; check disk space and permissions of the data folder";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage().replace('\n', ' '));
    }

    /** The options every subcommand shares. */
    static final class Options {
        @Option(names = "--url", required = true, description = "DICOMweb root, e.g. http://localhost:8042/dicom-web/")
        URI url;
        @Option(names = "--user", description = "user for HTTP basic authentication")
        String user;
        @Option(names = "--password", description = "password (prefer --password-file or $" + PASSWORD_ENV + ")")
        String password;
        @Option(names = "--password-file", description = "file whose first line is the password")
        Path passwordFile;
        @Option(names = "--token", description = "bearer token (or --token-file, or $" + TOKEN_ENV + ")")
        String token;
        @Option(names = "--token-file", description = "file whose first line is the bearer token")
        Path tokenFile;
        @Option(names = "--truststore", description = "PKCS#12 (.p12) or JKS (.jks) trust store for the server's TLS certificate")
        Path truststore;
        @Option(names = "--truststore-password", description = "the trust store's password", defaultValue = "")
        String truststorePassword;
        @Option(names = "--connect-timeout", description = "seconds to open a connection (default ${DEFAULT-VALUE})", defaultValue = "10")
        int connectTimeout;
        @Option(names = "--read-timeout", description = "seconds for the server to answer (default ${DEFAULT-VALUE})", defaultValue = "60")
        int readTimeout;
        @Option(names = "--retries", description = "retries of a failed request, with back-off (default ${DEFAULT-VALUE})", defaultValue = "4")
        int retries;
        @Option(names = "--from", description = "first study date, yyyy-MM-dd")
        LocalDate from;
        @Option(names = "--to", description = "last study date, yyyy-MM-dd")
        LocalDate to;
        @Option(names = "--modality", description = "only studies with this modality, e.g. MR")
        String modality;
        @Option(names = "--patients-file", description = "CSV of the cohort's patient IDs (the EHR export)")
        Path patientsFile;
        @Option(names = "--patient-column", description = "its column of patient IDs (default ${DEFAULT-VALUE})", defaultValue = "patient_id")
        String patientColumn;

        PacsConnection connection(Map<String, String> env) {
            PacsAuth auth = auth(env);
            return new PacsConnection(url, auth, Optional.ofNullable(truststore), truststorePassword.toCharArray(),
                    Duration.ofSeconds(connectTimeout), Duration.ofSeconds(readTimeout), retries, Duration.ofMillis(500));
        }

        private PacsAuth auth(Map<String, String> env) {
            String tok = token != null ? token : tokenFile != null ? firstLine(tokenFile) : env.get(TOKEN_ENV);
            if (user != null) {
                if (tok != null && token != null) {
                    throw new IllegalArgumentException("give either --user/--password or --token, not both");
                }
                String pw = password != null ? password : passwordFile != null ? firstLine(passwordFile)
                        : env.get(PASSWORD_ENV);
                if (pw == null) {
                    throw new IllegalArgumentException("--user needs a password: --password, --password-file or $"
                            + PASSWORD_ENV);
                }
                return new PacsAuth.Basic(user, pw);
            }
            if (tok != null) {
                return new PacsAuth.Bearer(tok.trim());
            }
            return new PacsAuth.None();
        }

        PacsPull.Query query() {
            List<String> ids = patientsFile == null ? List.of() : PatientList.read(patientsFile, patientColumn);
            if (patientsFile != null && ids.isEmpty()) {
                throw new IllegalArgumentException("patients file " + patientsFile + " has no patient ID in column '"
                        + patientColumn + "'");
            }
            return new PacsPull.Query(Optional.ofNullable(from), Optional.ofNullable(to),
                    Optional.ofNullable(modality), ids);
        }

        private static String firstLine(Path file) {
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (lines.isEmpty() || lines.get(0).isEmpty()) {
                    throw new IllegalArgumentException("secret file " + file + " is empty");
                }
                return lines.get(0);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read secret file " + file + " ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
    }

    /** What {@code find} and {@code pull} share: the site, connection options, the environment for secrets. */
    abstract static class Subcommand implements Callable<Integer> {
        @Mixin
        SiteOptions site;
        @Mixin
        Options options;
        @Spec
        CommandLine.Model.CommandSpec spec;
        final Map<String, String> env;

        Subcommand(Map<String, String> env) {
            this.env = env;
        }

        @Override
        public final Integer call() {
            return guarded(spec, this::work);
        }

        /** @return the exit code */
        abstract int work() throws Exception;
    }

    /** {@code pacs find}: counts by patient pseudonym. */
    @Command(name = "find", mixinStandardHelpOptions = true,
            description = "List the studies a pull would fetch: patient pseudonyms and counts, never patient data.")
    static final class Find extends Subcommand {

        /** Reads secrets from the process environment (picocli's default factory). */
        Find() {
            this(System.getenv());
        }

        Find(Map<String, String> env) {
            super(env);
        }

        @Override
        int work() {
            PacsPull.Query query = options.query();
            PacsConnection connection = options.connection(env);
            try (Site s = site.open()) {
                List<PacsPull.FoundPatient> found = PacsPull.find(connection, s.store(), query);
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

    /** {@code pacs pull}: retrieve into pacs/download, hand each file to the pipeline, write the manifest. */
    @Command(name = "pull", mixinStandardHelpOptions = true,
            description = "Retrieve the studies found into pacs/download and anonymise them through the pipeline"
                    + " into pacs/dicoms (failures to quarantine/pacs); write the manifest into pacs/csv.")
    static final class Pull extends Subcommand {
        @Mixin
        PipelineOptions pipelineOptions;

        /** Reads secrets from the process environment (picocli's default factory). */
        Pull() {
            this(System.getenv());
        }

        Pull(Map<String, String> env) {
            super(env);
        }

        @Override
        int work() throws IOException {
            PacsPull.Query query = options.query();
            PacsConnection connection = options.connection(env);
            PrintWriter out = spec.commandLine().getOut();
            eu.hbp.mip.anonymiser.pipeline.RunReport report =
                    new eu.hbp.mip.anonymiser.pipeline.RunReport(Clock.systemUTC());
            try (Site s = site.open();
                 Progress progress = new Progress(spec.commandLine().getErr(), pipelineOptions.progressMode());
                 Pipeline pipeline = Runs.build(s, pipelineOptions, Runs.tee(progress, report))) {
                PacsPull pull = new PacsPull(connection, pipeline, s.store(), pipelineOptions.threads,
                        Clock.systemUTC());
                PacsPull.Summary r = pull.pull(query);
                progress.close();
                out.printf("pulled %d instances of %d series in %d studies: %d anonymised into %s, %d quarantined"
                                + " into %s, %d pulled before; manifest %s%n", r.instances(), r.series(), r.studies(),
                        r.anonymised(), s.layout().pacsDicoms(), r.quarantined(),
                        s.layout().quarantine(eu.hbp.mip.anonymiser.api.FolderLayout.PACS_BUCKET), r.pulledBefore(),
                        r.manifest());
                if (r.leftovers() > 0) {
                    out.printf("also processed %d files left in %s by an earlier pull%n", r.leftovers(),
                            s.layout().pacsDownload());
                }
                boolean leak = Runs.finish(out, s, pipeline, pipelineOptions, report, "pacs pull",
                        r.instances() + " instances, " + r.anonymised() + " anonymised, " + r.quarantined()
                                + " quarantined, " + r.pulledBefore() + " pulled before");
                out.flush();
                if (leak) {
                    return ExitCodes.LEAK;
                }
                return r.quarantined() > 0 ? ExitCodes.ATTENTION : ExitCodes.OK;
            }
        }
    }
}
