package eu.hbp.mip.anonymiser.examples;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.AnonymiserRegistry;
import eu.hbp.mip.anonymiser.api.Bucket;
import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.ProfileException;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.api.StoreException;
import eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider;
import eu.hbp.mip.anonymiser.core.move.Claim;
import eu.hbp.mip.anonymiser.core.move.FileMover;
import eu.hbp.mip.anonymiser.core.move.MoverOptions;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * The folder pipeline: every file in {@code in/} (nested folders too) is claimed,
 * recognised by the providers of an {@link AnonymiserRegistry}, anonymised, and
 * moved to {@code out/} or to {@code quarantine/<bucket>/} with a reason, through
 * the crash-safe {@link FileMover}. The runner's {@code run} and {@code watch}
 * commands are this class; another service embeds it the same way:
 *
 * <pre>{@code
 * FolderLayout layout = FolderLayout.standard(Path.of("/data/anonymiser")).create();
 * try (PseudonymStore store = PseudonymStores.open(layout.db(), null, "");
 *      FolderPipeline pipeline = FolderPipeline.builder(layout, store).threads(4).build()) {
 *     RunSummary summary = pipeline.runOnce();
 * }
 * }</pre>
 *
 * <p>What it guarantees: each input ends in exactly one of {@code in/} (given back
 * after a machine failure), {@code out/} or {@code quarantine/}; the pseudonym store
 * is flushed, and the subjects of every output are recorded in the {@link OutputIndex},
 * before an output is published; a file of a subject who withdrew consent is
 * quarantined with code {@value #CONSENT_WITHDRAWN}. Several pipelines, in one or many
 * processes, may share one folder: a file is claimed by an atomic rename, so it is
 * processed once. The anonymisers are built once, in {@link Builder#build()}.
 *
 * <p>What it never does: log, print or return a file name from {@code in/} (it may
 * hold a patient's name), or a patient value. One {@code runOnce} or {@code watch}
 * at a time per instance; {@link #stop()} may be called from any thread.
 */
public final class FolderPipeline implements AutoCloseable {

    /** The reason code of a file whose subject withdrew consent. */
    public static final String CONSENT_WITHDRAWN = "consent-withdrawn";
    /** The reason code of a file no provider recognises. */
    public static final String UNRECOGNISED = "unrecognised";
    /** How long the answer "this subject did not withdraw consent" is reused before the store is asked again. */
    public static final Duration WITHDRAWAL_TTL = Duration.ofSeconds(5);

    /** The reason code of a file the runner's user may not read. */
    public static final String UNREADABLE = "unreadable";

    private static final Anonymiser UNREADABLE_FILE = (input, sink) -> new Outcome.Rejected(UNREADABLE,
            "the runner's user may not read this file (permission denied): fix its permissions and move it back"
                    + " into in/", Bucket.UNKNOWN);

    /** How one input ended. */
    public enum Kind {
        /** Published into {@code out/}. */
        ANONYMISED,
        /** Moved to {@code quarantine/}. */
        QUARANTINED,
        /** Claimed by another runner first: nothing done. */
        TAKEN,
        /** Given back to {@code in/} after a failure of the machine (disk, store). */
        FAILED
    }

    /**
     * One finished input, for progress reports; no file name.
     *
     * @param kind how it ended
     * @param provider the provider's name, or {@code null} if none recognised it
     * @param bytes its size
     * @param outputs how many files it published
     * @param code the reason code when quarantined, else {@code null}
     * @param bucket the quarantine bucket when quarantined, else {@code null}
     */
    public record FileResult(Kind kind, String provider, long bytes, int outputs, String code, Bucket bucket) {
    }

    /** Follows a run; called from worker threads, so implementations are thread-safe. */
    public interface Listener {
        /**
         * A pass over {@code in/} begins.
         *
         * @param files how many files are waiting
         * @param bytes their total size
         */
        default void passStarted(int files, long bytes) {
        }

        /** @param result an input is finished */
        default void finished(FileResult result) {
        }

        /** @param message a failure of the machine, one line without file names */
        default void failure(String message) {
        }
    }

    private final FolderLayout layout;
    private final AnonymiserRegistry registry;
    private final PseudonymStore store;
    private final OutputIndex index;
    private final boolean ownIndex;
    private final FileMover mover;
    private final Map<String, Anonymiser> anonymisers;
    private final int threads;
    private final Duration quietPeriod;
    private final Listener listener;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Anonymiser unrecognised;
    /** Withdrawals are never undone: a subject seen withdrawn stays so. */
    private final Set<String> withdrawn = ConcurrentHashMap.newKeySet();
    /** Subjects seen not withdrawn, until when (nanoTime) that answer is trusted. */
    private final Map<String, Long> notWithdrawnUntil = new ConcurrentHashMap<>();

    private FolderPipeline(Builder b, FileMover mover, Map<String, Anonymiser> anonymisers, OutputIndex index,
                           boolean ownIndex) {
        this.layout = b.layout;
        this.registry = b.registry;
        this.store = b.store;
        this.index = index;
        this.ownIndex = ownIndex;
        this.mover = mover;
        this.anonymisers = anonymisers;
        this.threads = b.threads;
        this.quietPeriod = b.quietPeriod;
        this.listener = b.listener;
        String known = String.join(", ", anonymisers.keySet());
        this.unrecognised = (input, sink) -> new Outcome.Rejected(UNRECOGNISED, Files.size(input) == 0
                ? "the file is empty; no anonymiser accepts an empty file"
                : "no anonymiser recognises this file's content or name (formats known: " + known
                + "); a DICOM file needs 'DICM' at byte 128 or a valid data set, a CSV file a header line;"
                + " other formats need their own provider", Bucket.UNKNOWN);
    }

    /**
     * @param layout the folders; {@code in/}, {@code out/} and {@code quarantine/} must exist
     * @param store the pseudonym store, shared by every provider; the caller closes it
     * @return a builder
     */
    public static Builder builder(FolderLayout layout, PseudonymStore store) {
        return new Builder(layout, store);
    }

    /** @return the layout this pipeline works on */
    public FolderLayout layout() {
        return layout;
    }

    /** @return the names of the providers it uses */
    public List<String> providers() {
        return List.copyOf(anonymisers.keySet());
    }

    /**
     * Recovers what a crash left half-done, then processes every file in {@code in/}
     * until a pass finds nothing left to claim, and returns.
     *
     * @return what was done
     * @throws IOException if {@code in/} cannot be listed or recovery fails
     */
    public RunSummary runOnce() throws IOException {
        Stats stats = new Stats();
        mover.recover();
        boolean waited = false;
        for (int passes = 0; passes < 10_000 && !stopped.get(); passes++) {
            if (pass(stats) > 0) {
                waited = false;
                continue;
            }
            // Files younger than the quiet period are not offered yet: wait for them once.
            if (waited || !hasVisibleFiles(layout.in())) {
                break;
            }
            waited = true;
            sleep(quietPeriod.plusMillis(200));
        }
        return stats.summary();
    }

    /**
     * Keeps processing as files arrive: a file-system watch on {@code in/} and its
     * sub-folders wakes the pipeline at once, and a pass every {@code poll} also finds
     * files on network shares, whose changes raise no events. Returns when
     * {@link #stop()} is called, or when nothing was processed for {@code idleExit}.
     *
     * @param poll the time between passes without events, such as 10 s
     * @param idleExit return after this long without work; null to run until stopped
     * @return what was done
     * @throws IOException if {@code in/} cannot be listed or recovery fails
     */
    public RunSummary watch(Duration poll, Duration idleExit) throws IOException {
        Objects.requireNonNull(poll, "poll");
        Stats stats = new Stats();
        mover.recover();
        WatchService watcher = openWatcher();
        try {
            long lastWork = System.nanoTime();
            while (!stopped.get()) {
                if (pass(stats) > 0) {
                    lastWork = System.nanoTime();
                }
                if (idleExit != null && System.nanoTime() - lastWork >= idleExit.toNanos()) {
                    break;
                }
                await(watcher, poll);
            }
        } finally {
            if (watcher != null) {
                watcher.close();
            }
        }
        return stats.summary();
    }

    private static boolean hasVisibleFiles(Path in) throws IOException {
        try (Stream<Path> walk = Files.walk(in)) {
            return walk.filter(p -> !p.equals(in))
                    .anyMatch(p -> !in.relativize(p).toString().startsWith(".") && Files.isRegularFile(p));
        } catch (java.io.UncheckedIOException e) {
            return true; // something moved while we looked: look again
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped.set(true);
        }
    }

    /** Asks a running {@link #runOnce()} or {@link #watch} to finish the files in hand and return. */
    public void stop() {
        stopped.set(true);
    }

    /**
     * Closes the mover (its worker lock) and the output index if the pipeline opened it;
     * the store is the caller's.
     *
     * @throws IOException if the mover cannot close its work folder
     */
    @Override
    public void close() throws IOException {
        stop();
        try {
            mover.close();
        } finally {
            if (ownIndex) {
                index.close();
            }
        }
    }

    private WatchService openWatcher() {
        try {
            WatchService ws = FileSystems.getDefault().newWatchService();
            registerTree(ws, layout.in());
            return ws;
        } catch (IOException | UnsupportedOperationException e) {
            return null; // polling alone
        }
    }

    private static void registerTree(WatchService ws, Path root) throws IOException {
        try (Stream<Path> dirs = Files.walk(root)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                d.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            }
        } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
            // a folder vanished while we looked: the next pass sees the tree again
        }
    }

    private void await(WatchService watcher, Duration poll) {
        try {
            if (watcher == null) {
                Thread.sleep(poll.toMillis());
                return;
            }
            WatchKey key = watcher.poll(poll.toMillis(), TimeUnit.MILLISECONDS);
            boolean newFolders = false;
            while (key != null) {
                for (var event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        newFolders = true;
                    } else if (event.context() instanceof Path p && key.watchable() instanceof Path dir
                            && Files.isDirectory(dir.resolve(p))) {
                        newFolders = true;
                    }
                }
                key.reset();
                key = watcher.poll(); // drain what else arrived
            }
            if (newFolders) {
                registerTree(watcher, layout.in());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped.set(true);
        } catch (IOException | ClosedWatchServiceException e) {
            // fall back to polling on the next round
        }
    }

    /** One pass over what is waiting now; returns how many inputs this runner finished. */
    private int pass(Stats stats) throws IOException {
        List<Path> pending = mover.pending();
        if (pending.isEmpty()) {
            return 0;
        }
        long bytes = 0;
        for (Path p : pending) {
            bytes += sizeOf(p);
        }
        listener.passStarted(pending.size(), bytes);
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "anonymiser-worker");
            t.setDaemon(true);
            return t;
        });
        Semaphore slots = new Semaphore(threads * 2);
        try {
            for (Path p : pending) {
                if (stopped.get()) {
                    break;
                }
                slots.acquireUninterruptibly();
                pool.execute(() -> {
                    try {
                        FileResult r = handle(p);
                        stats.add(r);
                        if (r.kind() != Kind.TAKEN) {
                            done.incrementAndGet();
                        }
                        listener.finished(r);
                    } catch (RuntimeException e) {
                        // A bug: the claim was given back by its close(); stop rather than loop over the file.
                        stats.add(failed(0, null, "internal error " + e.getClass().getName()
                                + "; the file was left in in/, please report it"));
                    } finally {
                        slots.release();
                    }
                });
            }
        } finally {
            pool.shutdown();
            try {
                while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    // files in hand are finished, however long they take
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return done.get();
    }

    private FileResult handle(Path pending) {
        long size = sizeOf(pending);
        Optional<Claim> claimed;
        try {
            claimed = mover.claim(pending);
        } catch (IOException e) {
            return failed(size, null, "cannot claim a file in in/ (" + e.getClass().getSimpleName() + ")");
        } catch (IllegalArgumentException e) {
            return new FileResult(Kind.TAKEN, null, size, 0, null, null); // turned into a folder meanwhile
        }
        if (claimed.isEmpty()) {
            return new FileResult(Kind.TAKEN, null, size, 0, null, null);
        }
        String provider = null;
        try (Claim claim = claimed.get()) {
            Anonymiser chosen = unrecognised;
            if (Files.isRegularFile(claim.file(), LinkOption.NOFOLLOW_LINKS)) {
                // Links and special files are never read: the mover quarantines them as unsafe.
                try {
                    Optional<AnonymiserProvider> recognised = registry.recognise(claim.file());
                    if (recognised.isPresent()) {
                        provider = recognised.get().name();
                        chosen = anonymisers.get(provider);
                    }
                } catch (AccessDeniedException e) {
                    chosen = UNREADABLE_FILE;
                } catch (RuntimeException e) {
                    // A provider's recognise() failed: the mover quarantines the file as an internal error.
                    chosen = (input, sink) -> {
                        throw e;
                    };
                }
            }
            String name = provider;
            Anonymiser anonymiser = chosen;
            AtomicReference<Outcome.Anonymised> reported = new AtomicReference<>();
            Anonymiser checked = (input, sink) -> {
                Outcome o = anonymiser.anonymise(input, sink);
                if (o instanceof Outcome.Anonymised a) {
                    for (String subject : a.subjects()) {
                        if (isWithdrawn(subject)) {
                            return new Outcome.Rejected(CONSENT_WITHDRAWN, "the patient with pseudonym " + subject
                                    + " withdrew consent (recorded by 'forget'); their files are no longer released",
                                    bucketOf(name));
                        }
                    }
                    reported.set(a);
                }
                return o;
            };
            // Index and store before the publish: a crash leaves index rows without outputs, never the reverse.
            Outcome outcome = mover.process(claim, checked, () -> {
                Outcome.Anonymised a = reported.get();
                index.record(a.subjects(), a.outputs());
                store.flush();
            });
            if (outcome instanceof Outcome.Rejected r) {
                return new FileResult(Kind.QUARANTINED, provider, size, 0, r.code(), r.bucket());
            }
            Outcome.Anonymised published = (Outcome.Anonymised) outcome;
            try {
                index.finalise(published.subjects(), reported.get().outputs(), published.outputs());
            } catch (StoreException e) {
                // Published already; the provisional rows remain, which 'forget' checks against the files.
                listener.failure("the output index could not confirm a published file's outputs ("
                        + e.getClass().getSimpleName() + "); 'forget' will check those files' content");
            }
            return new FileResult(Kind.ANONYMISED, provider, size, published.outputs().size(), null, null);
        } catch (IOException | StoreException e) {
            // The mover gave the file back to in/ (or its next recovery will).
            return failed(size, provider, "a file was given back to in/: " + e.getClass().getSimpleName()
                    + " while " + (provider == null ? "reading it" : "anonymising it as " + provider)
                    + "; check disk space, permissions and the pseudonym store");
        }
    }

    /**
     * Whether a subject withdrew consent; a "no" is trusted for {@link #WITHDRAWAL_TTL}, so a
     * table of 500 patients costs 500 queries per interval rather than per file. An output
     * published in that interval after a 'forget' is in the index, and a second 'forget' removes it.
     */
    private boolean isWithdrawn(String subject) {
        if (withdrawn.contains(subject)) {
            return true;
        }
        long now = System.nanoTime();
        Long until = notWithdrawnUntil.get(subject);
        if (until != null && now - until < 0) {
            return false;
        }
        if (store.isWithdrawn(PseudonymStore.PATIENT, subject)) {
            withdrawn.add(subject);
            notWithdrawnUntil.remove(subject);
            return true;
        }
        if (notWithdrawnUntil.size() > 1_000_000) {
            notWithdrawnUntil.clear(); // bounded memory on huge sites
        }
        notWithdrawnUntil.put(subject, now + WITHDRAWAL_TTL.toNanos());
        return false;
    }

    private FileResult failed(long size, String provider, String message) {
        listener.failure(message);
        stop(); // a machine failure hits every file: stop rather than churn through in/
        return new FileResult(Kind.FAILED, provider, size, 0, null, null);
    }

    private static Bucket bucketOf(String provider) {
        for (Bucket b : Bucket.values()) {
            if (b.folder().equals(provider)) {
                return b;
            }
        }
        return Bucket.UNKNOWN;
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Counters of a run, safe for the worker threads. */
    private static final class Stats {
        private final long start = System.nanoTime();
        private final LongAdder files = new LongAdder();
        private final LongAdder bytes = new LongAdder();
        private final LongAdder anonymised = new LongAdder();
        private final LongAdder outputs = new LongAdder();
        private final LongAdder failed = new LongAdder();
        private final Map<String, LongAdder> quarantined = new ConcurrentHashMap<>();

        void add(FileResult r) {
            switch (r.kind()) {
                case TAKEN -> {
                    return;
                }
                case ANONYMISED -> {
                    anonymised.increment();
                    outputs.add(r.outputs());
                }
                case QUARANTINED -> quarantined.computeIfAbsent(r.code(), c -> new LongAdder()).increment();
                case FAILED -> failed.increment();
            }
            if (r.kind() != Kind.FAILED) {
                files.increment();
                bytes.add(r.bytes());
            }
        }

        RunSummary summary() {
            Map<String, Long> q = new LinkedHashMap<>();
            quarantined.forEach((k, v) -> q.put(k, v.sum()));
            return new RunSummary(files.sum(), bytes.sum(), anonymised.sum(), outputs.sum(), q, failed.sum(),
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /** Builds a pipeline; not thread-safe, use once. */
    public static final class Builder {
        private final FolderLayout layout;
        private final PseudonymStore store;
        private AnonymiserRegistry registry;
        private Map<String, String> options = Map.of();
        private Clock clock = Clock.systemUTC();
        private int threads = Runtime.getRuntime().availableProcessors();
        private Listener listener = new Listener() {
        };
        private OutputIndex index;
        private Duration quietPeriod = MoverOptions.defaults().quietPeriod();

        private Builder(FolderLayout layout, PseudonymStore store) {
            this.layout = Objects.requireNonNull(layout, "layout");
            this.store = Objects.requireNonNull(store, "store");
        }

        /** @param registry the providers; default {@link AnonymiserRegistry#discover()} */
        public Builder registry(AnonymiserRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** @param options run options handed to every provider, such as {@code dicom.admit-secondary=true} */
        public Builder options(Map<String, String> options) {
            this.options = Map.copyOf(options);
            return this;
        }

        /** @param clock the clock that dates the export; default UTC system clock */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @param threads files processed at once; default all cores */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1");
            }
            this.threads = threads;
            return this;
        }

        /**
         * @param quietPeriod how long a file in {@code in/} must stay unchanged before it is taken
         *        (protects files still being copied in); default 2 s
         */
        public Builder quietPeriod(Duration quietPeriod) {
            if (quietPeriod.isNegative()) {
                throw new IllegalArgumentException("quiet period must not be negative");
            }
            this.quietPeriod = quietPeriod;
            return this;
        }

        /** @param listener follows the run; default none */
        public Builder listener(Listener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** @param index the output index; default an SQLite file in {@code db/}, closed with the pipeline */
        public Builder index(OutputIndex index) {
            this.index = Objects.requireNonNull(index, "index");
            return this;
        }

        /**
         * Builds every provider's anonymiser from its profiles in {@code scripts/<name>/}.
         *
         * @return the pipeline
         * @throws ProfileException if a provider's profiles are missing or invalid
         * @throws IOException if the folders cannot be opened
         */
        public FolderPipeline build() throws IOException {
            for (Path folder : List.of(layout.in(), layout.out(), layout.quarantine())) {
                if (!Files.isDirectory(folder)) {
                    throw new ProfileException("folder " + folder + " does not exist: run 'init' first, or create"
                            + " the layout with FolderLayout.create()");
                }
            }
            if (registry == null) {
                registry = AnonymiserRegistry.discover();
            }
            Map<String, Anonymiser> anonymisers = new LinkedHashMap<>();
            for (AnonymiserProvider p : registry.providers().values()) {
                String name = p.name().toLowerCase(Locale.ROOT);
                AnonymiserContext context = new AnonymiserContext(layout.profiles(name), store, options, clock);
                anonymisers.put(p.name(), p.create(context));
            }
            boolean own = index == null;
            OutputIndex idx = own ? OutputIndex.open(layout.db(), null) : index;
            FileMover mover = FileMover.open(layout.in(), layout.out(), layout::quarantine,
                    MoverOptions.defaults().withQuietPeriod(quietPeriod));
            return new FolderPipeline(this, mover, anonymisers, idx, own);
        }
    }
}
