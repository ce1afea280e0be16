package eu.hbp.mip.anonymiser.examples.pacs;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.AnonymiserException;
import eu.hbp.mip.anonymiser.api.AnonymiserRegistry;
import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider;
import eu.hbp.mip.anonymiser.core.pseudonym.PseudonymStores;
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
 * (patient pseudonyms and counts, never an original value); {@code pacs pull} retrieves,
 * anonymises into {@code pacs/dicoms} and writes the manifest into {@code pacs/csv}.
 *
 * <p>Exit codes: 0 done; 1 bad usage or local failure; 2 the PACS could not be reached,
 * refused the credentials or answered nonsense. Every error is one line on standard error,
 * without a stack trace and without a patient value.
 *
 * <pre>
 * pacs pull --url https://pacs.example.org/dicom-web/ --user mip --password-file /run/secrets/pacs \
 *           --patients-file cohort.csv --patient-column patient_id --from 2020-01-01 --modality MR \
 *           --data /data/anonymiser
 * </pre>
 */
@Command(name = "pacs", mixinStandardHelpOptions = true,
        description = "Find and pull studies from a PACS over DICOMweb (QIDO-RS / WADO-RS).",
        subcommands = {PacsCommand.Find.class, PacsCommand.Pull.class})
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
        return 1;
    }

    /**
     * Runs the command as the runner would and exits with its code (standalone use).
     *
     * @param args the arguments after {@code pacs}
     */
    public static void main(String[] args) {
        int code = run(args, new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8), System.getenv());
        System.exit(code);
    }

    /**
     * Runs the command without exiting.
     *
     * @param args the arguments after {@code pacs}
     * @param out where results go
     * @param err where the one-line errors and the progress bar go
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
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("pacs: " + oneLine(e));
            commandLine.getErr().flush();
            return e instanceof PacsException ? 2 : 1;
        });
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("pacs: " + e.getMessage() + " (see --help)");
            return 1;
        });
        return cli;
    }

    /**
     * Runs a subcommand's work, turning every failure into one line on standard error and an
     * exit code, whichever command line this command is mounted in.
     */
    static int guarded(CommandLine.Model.CommandSpec spec, Callable<Integer> work) {
        try {
            return work.call();
        } catch (PacsException e) {
            spec.commandLine().getErr().println("pacs: " + oneLine(e));
            spec.commandLine().getErr().flush();
            return 2;
        } catch (Exception e) {
            spec.commandLine().getErr().println("pacs: " + oneLine(e));
            spec.commandLine().getErr().flush();
            return 1;
        }
    }

    private static String oneLine(Exception e) {
        if (e instanceof AnonymiserException || e instanceof IllegalArgumentException
                || e instanceof UncheckedIOException) {
            return String.valueOf(e.getMessage()).replace('\n', ' ');
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
        @Option(names = "--data", required = true, description = "the anonymiser's folder (db, pacs, quarantine, scripts)")
        Path data;
        @Option(names = "--db-url", description = "jdbc:postgresql: URL of a shared pseudonym store (default: SQLite in DATA/db)")
        String dbUrl;
        @Option(names = "--prefix", description = "site prefix of pseudonyms (default: none)", defaultValue = "")
        String prefix;

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

    /** What {@code find} and {@code pull} share: connection options, the environment for secrets, error handling. */
    abstract static class Subcommand implements Callable<Integer> {
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

        /** @return a client of the PACS the options name, after one request proved it answers */
        final DicomWebClient connect() {
            DicomWebClient client = new DicomWebClient(options.connection(env));
            client.ping();
            return client;
        }

        /** @return the pseudonym store the options name (SQLite in db/ by default) */
        final PseudonymStore openStore(FolderLayout layout) {
            return PacsCommand.openStore(layout, Optional.ofNullable(options.dbUrl), options.prefix);
        }
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
            DicomWebClient client = connect();
            FolderLayout layout = FolderLayout.standard(options.data).create();
            try (PseudonymStore store = openStore(layout)) {
                PacsPull pull = new PacsPull(client, layout, store, 1, Clock.systemUTC());
                List<PacsPull.FoundPatient> found = pull.find(query);
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
            return 0;
        }
    }

    /** {@code pacs pull}: retrieve, anonymise, write the manifest. */
    @Command(name = "pull", mixinStandardHelpOptions = true,
            description = "Retrieve the studies found, anonymise them into pacs/dicoms, write the manifest into pacs/csv.")
    static final class Pull extends Subcommand {
        @Option(names = "--threads", description = "instances retrieved and anonymised at once (default ${DEFAULT-VALUE})", defaultValue = "2")
        int threads;
        @Option(names = "--profile", description = "DICOM profile: scripts/dicom/<name>.yaml or a shipped one (default ${DEFAULT-VALUE})", defaultValue = "mip-default")
        String profile;
        @Option(names = "--admit-secondary", description = "also admit DERIVED/SECONDARY images (the MIP's explicit second step)")
        boolean admitSecondary;

        /** Reads secrets from the process environment (picocli's default factory). */
        Pull() {
            this(System.getenv());
        }

        Pull(Map<String, String> env) {
            super(env);
        }

        @Override
        int work() {
            PacsPull.Query query = options.query();
            DicomWebClient client = connect();
            FolderLayout layout = FolderLayout.standard(options.data).create();
            AnonymiserRegistry registry = AnonymiserRegistry.discover();
            AnonymiserProvider dicom = registry.provider("dicom").orElseThrow(() -> new IllegalArgumentException(
                    "no DICOM anonymiser on the class path: add anonymiser-dicom"));
            PrintWriter err = spec.commandLine().getErr();
            ProgressBar bar = new ProgressBar(err, System.console() != null);
            try (PseudonymStore store = openStore(layout)) {
                Anonymiser anonymiser = dicom.create(new AnonymiserContext(layout.profiles("dicom"), store,
                        Map.of("dicom.profile", profile, "dicom.admit-secondary", Boolean.toString(admitSecondary)),
                        Clock.systemUTC()));
                PacsPull pull = new PacsPull(client, layout, store, threads, Clock.systemUTC());
                PacsPull.Summary s = pull.pull(query, anonymiser, bar::update);
                bar.finish();
                PrintWriter out = spec.commandLine().getOut();
                out.printf("pulled %d instances of %d series in %d studies: %d anonymised into %s, %d quarantined,"
                                + " %d pulled before; manifest %s%n", s.instances(), s.series(), s.studies(),
                        s.anonymised(), layout.pacsDicoms(), s.quarantined(), s.pulledBefore(), s.manifest());
                if (s.leftovers() > 0) {
                    out.printf("also processed %d files left in %s by an earlier pull%n", s.leftovers(),
                            layout.pacsDownload());
                }
                out.flush();
            }
            return 0;
        }
    }

    /**
     * @param layout the folders; the store lives in {@code db/} unless {@code jdbcUrl} is given
     * @param jdbcUrl a {@code jdbc:postgresql:} URL of a shared store, or empty for SQLite in {@code db/}
     * @param prefix the site prefix of pseudonyms
     * @return the open store
     */
    static PseudonymStore openStore(FolderLayout layout, Optional<String> jdbcUrl, String prefix) {
        return PseudonymStores.open(layout.db(), jdbcUrl.orElse(null), prefix);
    }

    /** A one-line progress bar on a terminal; silent otherwise. */
    static final class ProgressBar {
        private final PrintWriter err;
        private final boolean on;
        private long lastDraw;

        ProgressBar(PrintWriter err, boolean on) {
            this.err = err;
            this.on = on;
        }

        synchronized void update(int done, int total) {
            if (!on) {
                return;
            }
            long now = System.nanoTime();
            if (done < total && now - lastDraw < 100_000_000L) {
                return;
            }
            lastDraw = now;
            int width = 40;
            int filled = total == 0 ? width : (int) ((long) done * width / total);
            err.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total + " instances");
            err.flush();
        }

        synchronized void finish() {
            if (on) {
                err.println();
                err.flush();
            }
        }
    }
}
