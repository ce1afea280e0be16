package eu.hbp.mip.anonymiser.spark;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.AnonymiserRegistry;
import eu.hbp.mip.anonymiser.api.Bucket;
import eu.hbp.mip.anonymiser.api.FormatException;
import eu.hbp.mip.anonymiser.api.OutputSink;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider;
import eu.hbp.mip.anonymiser.core.pseudonym.KeyedPseudonyms;
import eu.hbp.mip.anonymiser.core.pseudonym.PseudonymStores;
import eu.hbp.mip.anonymiser.core.pseudonym.SiteKey;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One task of the job: anonymises the inputs of one partition on the executor's local disk,
 * stages their outputs under an attempt-private folder, flushes the partition's pseudonym
 * mappings to the shared store in one go, then publishes each input's files
 * ({@link Publish#noReplace}) and its done marker. A task that dies anywhere leaves only its
 * staging folder behind; its retry publishes the same names and finds what the first attempt
 * published already.
 */
final class PartitionWork implements FlatMapFunction<Iterator<InputFile>, Row> {

    static final String ANONYMISED = "anonymised";
    static final String QUARANTINED = "quarantined";
    static final String SKIPPED = "done-before";
    static final String CONSENT_WITHDRAWN = "consent-withdrawn";
    static final String UNRECOGNISED = "unrecognised";
    /** The domain of the keyed ids of inputs (computed, never stored). */
    static final String INPUT_DOMAIN = "spark-input";

    private static final long serialVersionUID = 1L;

    private final JobSpec spec;
    private final HadoopConf conf;
    private final Broadcast<Set<String>> done;
    private final Broadcast<Set<String>> withdrawn;
    private final TaskHook hook;

    PartitionWork(JobSpec spec, HadoopConf conf, Broadcast<Set<String>> done, Broadcast<Set<String>> withdrawn,
                  TaskHook hook) {
        this.spec = spec;
        this.conf = conf;
        this.done = done;
        this.withdrawn = withdrawn;
        this.hook = hook;
    }

    /** A file of one input waiting in staging, and where it goes. */
    private record Staged(org.apache.hadoop.fs.Path from, org.apache.hadoop.fs.Path to) {
    }

    /** One input after anonymisation, before its publish. */
    private record Done(String fileId, Row result, FileSystem fs, List<Staged> files, String marker) {
    }

    @Override
    public Iterator<Row> call(Iterator<InputFile> inputs) throws IOException {
        TaskContext task = TaskContext.get();
        String attempt = task == null ? "driver-" + System.nanoTime()
                : task.stageId() + "-" + task.partitionId() + "-" + task.taskAttemptId();
        Path local = Files.createTempDirectory("mip-anonymiser-spark-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            return process(inputs, attempt, local).iterator();
        } finally {
            deleteTree(local);
        }
    }

    private List<Row> process(Iterator<InputFile> inputs, String attempt, Path local) throws IOException {
        Configuration hadoop = conf.get();
        Path db = local.resolve("db");
        SiteKey key = SiteSecret.install(spec.keyFile(), System.getenv(), db);
        KeyedPseudonyms ids = new KeyedPseudonyms(key, "");
        Path scripts = copyProfiles(hadoop, local.resolve("scripts"));
        Clock clock = Clock.fixed(Instant.ofEpochMilli(spec.exportEpochMillis()), ZoneOffset.UTC);

        org.apache.hadoop.fs.Path inputRoot = new org.apache.hadoop.fs.Path(spec.input());
        FileSystem inFs = inputRoot.getFileSystem(hadoop);
        org.apache.hadoop.fs.Path outRoot = new org.apache.hadoop.fs.Path(spec.output());
        org.apache.hadoop.fs.Path quarantineRoot = new org.apache.hadoop.fs.Path(spec.quarantine());
        FileSystem outFs = Publish.writable(outRoot, hadoop);
        FileSystem qFs = Publish.writable(quarantineRoot, hadoop);
        org.apache.hadoop.fs.Path outStage = new org.apache.hadoop.fs.Path(outRoot, JobSpec.WORK + "/staging/" + attempt);
        org.apache.hadoop.fs.Path qStage = new org.apache.hadoop.fs.Path(quarantineRoot,
                JobSpec.WORK + "/staging/" + attempt);

        List<Row> results = new ArrayList<>();
        List<Done> pending = new ArrayList<>();
        try (PseudonymStore store = PseudonymStores.open(db, spec.storeUrl(), storeLogin(), spec.prefix())) {
            AnonymiserRegistry registry = AnonymiserRegistry.discover();
            Map<String, Anonymiser> anonymisers = new LinkedHashMap<>();
            for (AnonymiserProvider p : registry.providers().values()) {
                Path profiles = scripts.resolve(p.name().toLowerCase(Locale.ROOT));
                anonymisers.put(p.name(), p.create(new AnonymiserContext(profiles, store, spec.options(), clock)));
            }
            int n = 0;
            while (inputs.hasNext()) {
                InputFile input = inputs.next();
                String fileId = ids.pseudonym(INPUT_DOMAIN, input.relative());
                if (done.value().contains(fileId)) {
                    results.add(row(fileId, null, input.size(), SKIPPED, SKIPPED, 0));
                    continue;
                }
                Path work = Files.createDirectories(local.resolve("work").resolve(Integer.toString(n++)));
                try {
                    String base = baseName(input.relative());
                    Path copy = work.resolve(base.isEmpty() || base.startsWith(".") ? "input" : base);
                    try (InputStream in = inFs.open(new org.apache.hadoop.fs.Path(inputRoot, input.relative()))) {
                        Files.copy(in, copy);
                    }
                    Optional<AnonymiserProvider> recognised = registry.recognise(copy);
                    String provider = recognised.map(AnonymiserProvider::name).orElse(null);
                    Bucket bucket = recognised.map(AnonymiserProvider::bucket).orElse(Bucket.UNKNOWN);
                    Path outputs = work.resolve("out");
                    Outcome outcome = provider == null ? unrecognised(copy, registry)
                            : anonymise(anonymisers.get(provider), provider, bucket, copy, OutputSink.into(outputs));
                    if (outcome instanceof Outcome.Anonymised a) {
                        for (String subject : a.subjects()) {
                            if (withdrawn.value().contains(subject)) {
                                outcome = new Outcome.Rejected(CONSENT_WITHDRAWN, "the patient with pseudonym "
                                        + subject + " withdrew consent (recorded by 'forget'); their files are no"
                                        + " longer released", bucket);
                                break;
                            }
                        }
                    }
                    if (outcome instanceof Outcome.Anonymised a) {
                        List<Staged> staged = new ArrayList<>();
                        for (String name : a.outputs()) {
                            org.apache.hadoop.fs.Path from = new org.apache.hadoop.fs.Path(outStage,
                                    fileId + "/" + name);
                            Publish.upload(outputs.resolve(name), outFs, from);
                            staged.add(new Staged(from, new org.apache.hadoop.fs.Path(outRoot,
                                    finalName(name, fileId))));
                        }
                        String marker = ANONYMISED + "\n" + String.join("\n",
                                staged.stream().map(s -> s.to().getName()).toList()) + "\n";
                        pending.add(new Done(fileId, row(fileId, provider, input.size(), ANONYMISED, "ok",
                                staged.size()), outFs, staged, marker));
                    } else {
                        Outcome.Rejected r = (Outcome.Rejected) outcome;
                        String target = r.bucket().folder() + "/" + input.relative();
                        org.apache.hadoop.fs.Path from = new org.apache.hadoop.fs.Path(qStage, fileId + "/input");
                        org.apache.hadoop.fs.Path sidecar = new org.apache.hadoop.fs.Path(qStage, fileId + "/reason");
                        Publish.upload(copy, qFs, from);
                        Publish.write(("code: " + r.code() + "\nreason: " + r.reason() + "\nfile-id: " + fileId
                                + "\nexport: " + Instant.ofEpochMilli(spec.exportEpochMillis()) + "\n")
                                .getBytes(StandardCharsets.UTF_8), qFs, sidecar);
                        List<Staged> staged = List.of(
                                new Staged(from, new org.apache.hadoop.fs.Path(quarantineRoot, target)),
                                new Staged(sidecar, new org.apache.hadoop.fs.Path(quarantineRoot,
                                        target + ".reason.txt")));
                        pending.add(new Done(fileId, row(fileId, provider, input.size(), QUARANTINED, r.code(), 0),
                                qFs, staged, QUARANTINED + " " + r.bucket().folder() + " " + r.code() + "\n"));
                    }
                } catch (IOException e) {
                    // Spark logs a failed task's exception: name the input by its keyed id, never its path.
                    throw new IOException("input " + fileId + " could not be read, anonymised or staged ("
                            + e.getClass().getSimpleName() + "); check the input, output and quarantine"
                            + " locations and the executor's local disk");
                } finally {
                    deleteTree(work);
                }
            }
            // The partition's mappings reach the shared store before any of its outputs is visible.
            store.flush();
        }
        hook.at(TaskHook.STAGED, "");
        for (Done d : pending) {
            try {
                for (Staged s : d.files()) {
                    Publish.noReplace(d.fs(), s.from(), s.to());
                }
            } catch (IOException e) {
                throw new IOException("input " + d.fileId() + " could not be published ("
                        + e.getClass().getSimpleName() + "); check that the output and quarantine locations are"
                        + " writable by the job's user");
            }
            hook.at(TaskHook.PUBLISHED, d.fileId());
            markDone(outFs, outRoot, outStage, d.fileId(), d.marker());
            results.add(d.result());
        }
        outFs.delete(outStage, true);
        qFs.delete(qStage, true);
        return results;
    }

    private static Outcome anonymise(Anonymiser anonymiser, String provider, Bucket bucket, Path input,
                                     OutputSink sink) throws IOException {
        try {
            return anonymiser.anonymise(input, sink);
        } catch (FormatException e) {
            return new Outcome.Rejected(provider + "-malformed", "the file breaks the " + provider + " format: "
                    + e.getMessage(), bucket);
        } catch (RuntimeException e) {
            return new Outcome.Rejected("internal-error", "the " + provider + " anonymiser failed with "
                    + e.getClass().getName() + "; please report it with the file's digest", bucket);
        }
    }

    private static Outcome unrecognised(Path input, AnonymiserRegistry registry) throws IOException {
        String known = String.join(", ", registry.providers().keySet());
        return new Outcome.Rejected(UNRECOGNISED, Files.size(input) == 0
                ? "the file is empty; no anonymiser accepts an empty file"
                : "no anonymiser recognises this file's content or name (formats known: " + known
                + "); another format needs its own provider jar on the class path", Bucket.UNKNOWN);
    }

    /** Writes the done marker of an input ({@code done/<2 chars>/<fileId>}), unless one is there. */
    static void markDone(FileSystem fs, org.apache.hadoop.fs.Path outRoot, org.apache.hadoop.fs.Path stage,
                         String fileId, String content) throws IOException {
        org.apache.hadoop.fs.Path staged = new org.apache.hadoop.fs.Path(stage, fileId + ".done");
        Publish.write(content.getBytes(StandardCharsets.UTF_8), fs, staged);
        Publish.noReplace(fs, staged, donePath(outRoot, fileId));
    }

    static org.apache.hadoop.fs.Path donePath(org.apache.hadoop.fs.Path outRoot, String fileId) {
        return new org.apache.hadoop.fs.Path(outRoot, JobSpec.WORK + "/done/" + fileId.substring(0, 2) + "/" + fileId);
    }

    /**
     * The published name of an output: the provider's name with the input's keyed id before the
     * extension ({@code DICOM/2026/20260102/V/0001/00001-<id>.dcm}), so that two inputs never
     * share a name, and two attempts of one input always do.
     */
    static String finalName(String name, String fileId) {
        int slash = name.lastIndexOf('/');
        int dot = name.lastIndexOf('.');
        if (dot <= slash + 1) {
            return name + "-" + fileId;
        }
        return name.substring(0, dot) + "-" + fileId + name.substring(dot);
    }

    private Path copyProfiles(Configuration hadoop, Path target) throws IOException {
        Files.createDirectories(target);
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(spec.profiles());
        FileSystem fs = root.getFileSystem(hadoop);
        String prefix = fs.makeQualified(root).toUri().getPath();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
        while (it.hasNext()) {
            LocatedFileStatus f = it.next();
            String rel = f.getPath().toUri().getPath().substring(prefix.length()).replaceFirst("^/", "");
            Path to = target.resolve(rel).normalize();
            if (!to.startsWith(target) || rel.contains(".crc")) {
                continue;
            }
            Files.createDirectories(to.getParent());
            try (InputStream in = fs.open(f.getPath())) {
                Files.copy(in, to);
            }
        }
        return target;
    }

    private static Properties storeLogin() {
        Properties p = new Properties();
        String user = System.getenv(JobSpec.STORE_USER_ENV);
        String password = System.getenv(JobSpec.STORE_PASSWORD_ENV);
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        return p;
    }

    private static String baseName(String relative) {
        int slash = relative.lastIndexOf('/');
        return relative.substring(slash + 1);
    }

    private static Row row(String fileId, String provider, long bytes, String outcome, String code, int outputs) {
        return RowFactory.create(fileId, provider, bytes, outcome, code, outputs);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean the task's local folder " + root, e);
        }
    }
}
