package eu.hbp.mip.anonymiser.pipeline.pacs;

import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.core.dates.DateReduction;
import eu.hbp.mip.anonymiser.pipeline.Pipeline;
import eu.hbp.mip.anonymiser.pipeline.Route;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Finds studies on a PACS and pulls them through the one {@link Pipeline}: each instance is
 * retrieved with WADO-RS into {@code pacs/download} and, once complete on disk, handed to the
 * pipeline on its {@link Route#pacs PACS route}, which anonymises it into {@code pacs/dicoms}
 * (or moves it to {@code quarantine/pacs} with the reason) with the same consent gate, output
 * index and crash-safe move as every other source. A manifest of what was pulled is written to
 * {@code pacs/csv}.
 *
 * <p>Resumable: a {@link DownloadJournal} in {@code pacs/download/.pull} records each
 * instance once it is done (by its site-keyed UID, never the original), so a pull cut
 * short is completed by running it again, without fetching or publishing anything twice.
 * A file left complete in {@code pacs/download} is anonymised, not fetched again. An
 * instance anonymised or quarantined by an earlier pull is skipped (recorded in the pseudonym
 * store, domain {@value #PULLED_DOMAIN}, which only the hospital reads): a quarantined
 * instance is the data manager's to handle from {@code quarantine/pacs}. When every instance is done, the journal and
 * its temporary files are deleted.
 *
 * <p>Never prints, logs or writes an original value (IDs, names, UIDs, dates): the
 * manifest holds pseudonyms, replacement UIDs and months only. One instance per call of
 * {@link #pull}; the instance is not thread-safe for concurrent pulls, but a pull uses
 * {@code threads} workers internally.
 *
 * <pre>{@code
 * PacsPull pull = new PacsPull(PacsConnection.of(URI.create("https://pacs/dicom-web/"),
 *         new PacsAuth.Basic("mip", password)), pipeline, site.store(), 2, Clock.systemUTC());
 * PacsPull.Summary s = pull.pull(new PacsPull.Query(Optional.of(from), Optional.of(to),
 *         Optional.of("MR"), cohortIds));
 * }</pre>
 */
public final class PacsPull {

    /** The pseudonym-store domain recording SOPInstanceUIDs already pulled and anonymised. */
    public static final String PULLED_DOMAIN = "pacs-instance";
    /** The header of the manifest written into {@code pacs/csv}. */
    public static final String MANIFEST_HEADER =
            "patient,study_uid,series_uid,modality,study_month,instances,anonymised,quarantined,pulled_before";

    private final DicomWebClient client;
    private final Pipeline pipeline;
    private final Route route;
    private final FolderLayout layout;
    private final PseudonymStore store;
    private final int threads;
    private final Clock clock;

    /**
     * What to pull. Empty fields do not filter; an empty patient list means every patient.
     *
     * @param from first study date, inclusive
     * @param to last study date, inclusive
     * @param modality a modality such as {@code MR}
     * @param patientIds the cohort's patient IDs (as the PACS knows them)
     */
    public record Query(Optional<LocalDate> from, Optional<LocalDate> to, Optional<String> modality,
                        List<String> patientIds) {
        public Query {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(modality, "modality");
            patientIds = List.copyOf(patientIds);
        }

        @Override
        public String toString() {
            return "Query[" + patientIds.size() + " patients]";
        }
    }

    /**
     * What a pull did.
     *
     * @param studies studies found
     * @param series series found
     * @param instances instances found
     * @param anonymised instances anonymised into {@code pacs/dicoms} (this run or an interrupted earlier one)
     * @param quarantined instances moved to {@code quarantine/pacs}
     * @param pulledBefore instances skipped because an earlier pull anonymised or quarantined them
     * @param leftovers files found complete in {@code pacs/download} that no series of this query holds
     *        (left by an earlier, different pull) and processed too
     * @param manifest the manifest written to {@code pacs/csv}
     */
    public record Summary(int studies, int series, int instances, int anonymised, int quarantined, int pulledBefore,
                          int leftovers, Path manifest) {
    }

    /**
     * One line of {@code pacs find}: a patient's pseudonym and counts, never the ID.
     *
     * @param patient the patient's pseudonym
     * @param studies studies found
     * @param months the study months, {@code yyyy-MM}, in order
     */
    public record FoundPatient(String patient, int studies, List<String> months) {
    }

    /**
     * @param connection the PACS
     * @param pipeline the pipeline every retrieved file goes through; its listener shows progress
     * @param store the pseudonym store
     * @param threads workers that retrieve and anonymise at once (1 to 64)
     * @param clock dates the manifest's name
     */
    public PacsPull(PacsConnection connection, Pipeline pipeline, PseudonymStore store, int threads, Clock clock) {
        this(new DicomWebClient(connection), pipeline, store, threads, clock);
    }

    PacsPull(DicomWebClient client, Pipeline pipeline, PseudonymStore store, int threads, Clock clock) {
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("threads must be between 1 and 64");
        }
        this.client = client;
        this.pipeline = pipeline;
        this.layout = pipeline.layout();
        this.route = Route.pacs(layout);
        this.store = store;
        this.threads = threads;
        this.clock = clock;
    }

    /**
     * Lists what a pull would fetch, by patient pseudonym.
     *
     * @param connection the PACS
     * @param store the site's pseudonym store (the pseudonyms shown are the site's)
     * @param query what a pull would fetch
     * @throws PacsException if the PACS cannot be reached or refuses us
     */
    public static List<FoundPatient> find(PacsConnection connection, PseudonymStore store, Query query) {
        DicomWebClient client = new DicomWebClient(connection);
        client.ping();
        Map<String, List<String>> byPatient = new TreeMap<>();
        for (DicomWebClient.Study s : studies(client, query)) {
            String patient = store.pseudonym(PseudonymStore.PATIENT, s.patientId());
            byPatient.computeIfAbsent(patient, k -> new ArrayList<>()).add(month(s.studyDate()));
        }
        List<FoundPatient> out = new ArrayList<>();
        byPatient.forEach((p, months) -> out.add(new FoundPatient(p, months.size(),
                months.stream().sorted().toList())));
        return out;
    }

    /**
     * Pulls, anonymises and records every instance the query finds; resumes an earlier
     * pull cut short.
     *
     * @param query what to pull
     * @return the counts and the manifest
     * @throws PacsException if the PACS fails after every retry; what was done so far stays
     *         done, and running the pull again completes it
     * @throws UncheckedIOException if the local folders cannot be written
     */
    public Summary pull(Query query) {
        FolderLayout.createFolder(layout.pacsDownload(), true);
        try (DownloadJournal journal = DownloadJournal.open(layout.pacsDownload())) {
            dropPartials(journal);
            client.ping();
            List<DicomWebClient.Study> studies = studies(client, query);
            List<Task> tasks = new ArrayList<>();
            List<SeriesCount> series = new ArrayList<>();
            for (DicomWebClient.Study study : studies) {
                for (DicomWebClient.Series se : client.series(study.studyUid(), query.modality())) {
                    SeriesCount count = new SeriesCount(study, se);
                    series.add(count);
                    for (String sop : client.instances(study.studyUid(), se.seriesUid())) {
                        tasks.add(new Task(count, sop, store.uid(sop)));
                    }
                }
            }
            Worker worker = new Worker(journal);
            pipeline.listener().passStarted(tasks.size(), 0);
            run(tasks, worker);
            int recovered = worker.leftovers();
            Path manifest = writeManifest(series);
            int anonymised = 0;
            int quarantined = 0;
            int before = 0;
            for (SeriesCount c : series) {
                anonymised += c.anonymised.get();
                quarantined += c.quarantined.get();
                before += c.pulledBefore.get();
            }
            journal.delete();
            return new Summary(studies.size(), series.size(), tasks.size(), anonymised, quarantined, before,
                    recovered, manifest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write in " + layout.pacs() + " (" + e.getClass().getSimpleName()
                    + "): check free space and permissions", e);
        }
    }

    private static List<DicomWebClient.Study> studies(DicomWebClient client, Query query) {
        if (query.patientIds().isEmpty()) {
            return client.studies(new DicomWebClient.Filter(Optional.empty(), query.from(), query.to(),
                    query.modality()));
        }
        List<DicomWebClient.Study> all = new ArrayList<>();
        for (String id : query.patientIds()) {
            all.addAll(client.studies(new DicomWebClient.Filter(Optional.of(id), query.from(), query.to(),
                    query.modality())));
        }
        return all;
    }

    /** Partial downloads of a pull that stopped are dropped (complete ones are in pacs/download). */
    private void dropPartials(DownloadJournal journal) throws IOException {
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(journal.folder(), "*.part")) {
            for (Path p : parts) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void run(List<Task> tasks, Worker worker) throws IOException {
        AtomicBoolean failed = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "pacs-pull");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Task task : tasks) {
                futures.add(pool.submit(() -> {
                    if (failed.get()) {
                        return null;
                    }
                    try {
                        worker.run(task);
                    } catch (RuntimeException | IOException e) {
                        failed.set(true);
                        throw e;
                    }
                    return null;
                }));
            }
            Throwable first = null;
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new PacsException(PacsException.Kind.UNREACHABLE, "pull interrupted; run it again to resume");
                }
            }
            if (first instanceof IOException io) {
                throw io;
            }
            if (first instanceof RuntimeException re) {
                throw re;
            }
            if (first instanceof Error err) {
                throw err;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Retrieves instances and hands them to the pipeline; shared by the pull's threads. */
    private final class Worker {
        private final DownloadJournal journal;

        Worker(DownloadJournal journal) {
            this.journal = journal;
        }

        private void skipped() {
            pipeline.listener().finished(new Pipeline.FileResult(Pipeline.Kind.TAKEN, null, 0, 0, null, null));
        }

        void run(Task task) throws IOException {
            SeriesCount count = task.series;
            Path file = layout.pacsDownload().resolve(task.key + ".dcm");
            if (!Files.exists(file)) {
                Optional<DownloadJournal.State> state = journal.state(task.key);
                if (state.isPresent()) {
                    (state.get() == DownloadJournal.State.ANONYMISED ? count.anonymised : count.quarantined)
                            .incrementAndGet();
                    skipped();
                    return;
                }
                if (store.lookup(PULLED_DOMAIN, task.sopUid).isPresent()) {
                    count.pulledBefore.incrementAndGet();
                    skipped();
                    return;
                }
                Path part = journal.folder().resolve(task.key + ".part");
                client.retrieveInstance(count.study.studyUid(), count.series.seriesUid(), task.sopUid, part);
                try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
            }
            Pipeline.FileResult result = pipeline.process(route, file, () -> {
                // Recorded before the output becomes visible: a crash after this line leaves the claim,
                // which the mover's recovery puts back into pacs/download, where it is processed again.
                store.pseudonym(PULLED_DOMAIN, task.sopUid);
                store.flush();
                try {
                    journal.record(task.key, DownloadJournal.State.ANONYMISED);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write the pull journal in " + journal.folder(), e);
                }
            });
            if (result.kind() == Pipeline.Kind.TAKEN) {
                return; // another worker on this folder took it
            }
            if (result.kind() == Pipeline.Kind.FAILED) {
                throw new IOException("the machine failed while anonymising a retrieved instance; it was left in "
                        + layout.pacsDownload() + " and the next pull resumes there");
            }
            if (result.kind() == Pipeline.Kind.ANONYMISED) {
                journal.record(task.key, DownloadJournal.State.ANONYMISED);
                count.anonymised.incrementAndGet();
            } else {
                // The data manager handles it from quarantine/pacs: a later pull does not fetch it again.
                store.pseudonym(PULLED_DOMAIN, task.sopUid);
                store.flush();
                journal.record(task.key, DownloadJournal.State.QUARANTINED);
                count.quarantined.incrementAndGet();
            }
        }

        /** Processes complete files no task claimed (left by an earlier pull of another query). */
        int leftovers() throws IOException {
            int n = 0;
            try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.pacsDownload(),
                    p -> Files.isRegularFile(p) && !p.getFileName().toString().startsWith("."))) {
                for (Path p : files) {
                    Pipeline.FileResult r = pipeline.process(route, p, () -> { });
                    if (r.kind() == Pipeline.Kind.FAILED) {
                        throw new IOException("the machine failed while anonymising a file left in "
                                + layout.pacsDownload() + "; it stays there for the next pull");
                    }
                    if (r.kind() != Pipeline.Kind.TAKEN) {
                        n++;
                    }
                }
            }
            return n;
        }
    }

    private Path writeManifest(List<SeriesCount> series) throws IOException {
        Path folder = layout.pacsCsv();
        Files.createDirectories(folder);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(clock.instant().atOffset(ZoneOffset.UTC));
        Path target = folder.resolve("pacs-pull-" + stamp + ".csv");
        for (int i = 2; Files.exists(target); i++) {
            target = folder.resolve("pacs-pull-" + stamp + "-" + i + ".csv");
        }
        StringBuilder csv = new StringBuilder(MANIFEST_HEADER).append('\n');
        for (SeriesCount c : series) {
            csv.append(store.pseudonym(PseudonymStore.PATIENT, c.study.patientId())).append(',')
                    .append(store.uid(c.study.studyUid())).append(',')
                    .append(store.uid(c.series.seriesUid())).append(',')
                    .append(safe(c.series.modality())).append(',')
                    .append(month(c.study.studyDate())).append(',')
                    .append(c.instances.get()).append(',')
                    .append(c.anonymised.get()).append(',')
                    .append(c.quarantined.get()).append(',')
                    .append(c.pulledBefore.get()).append('\n');
        }
        Path tmp = folder.resolve("." + target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(csv.toString().getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** A modality is a code string; anything else is not copied into the manifest. */
    private static String safe(String modality) {
        return modality.matches("[A-Z0-9_ ]{1,16}") ? modality.trim() : "";
    }

    private static String month(Optional<LocalDate> date) {
        return date.map(d -> DateReduction.MONTH.apply(d).toString().substring(0, 7)).orElse("");
    }

    /** Counts of one series. */
    private static final class SeriesCount {
        final DicomWebClient.Study study;
        final DicomWebClient.Series series;
        final AtomicInteger instances = new AtomicInteger();
        final AtomicInteger anonymised = new AtomicInteger();
        final AtomicInteger quarantined = new AtomicInteger();
        final AtomicInteger pulledBefore = new AtomicInteger();

        SeriesCount(DicomWebClient.Study study, DicomWebClient.Series series) {
            this.study = study;
            this.series = series;
        }
    }

    /** One instance to pull; {@code key} is its site-keyed UID. */
    private record Task(SeriesCount series, String sopUid, String key) {
        Task {
            series.instances.incrementAndGet();
        }
    }
}
