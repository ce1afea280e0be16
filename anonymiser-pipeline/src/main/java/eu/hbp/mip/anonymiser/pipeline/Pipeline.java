package eu.hbp.mip.anonymiser.pipeline;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.AnonymiserRegistry;
import eu.hbp.mip.anonymiser.api.FormatException;
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
 * The one pipeline: every file of every source is claimed, recognised by the providers of
 * an {@link AnonymiserRegistry}, anonymised, passed through one consent gate, recorded in
 * the {@link OutputIndex}, and published into its route's target, or moved to quarantine
 * with a reason, through the crash-safe {@link FileMover}. The folder source
 * ({@link #runOnce()}, {@link #watch}) is {@code in/} to {@code out/}; the PACS sources
 * fetch into {@code pacs/download} and hand each complete file to {@link #process}. Another
 * service embeds it the same way:
 *
 * <pre>{@code
 * try (Site site = Site.open(FolderLayout.standard(Path.of("/data/anonymiser")), null, null);
 *      Pipeline pipeline = Pipeline.builder(site).threads(4).build()) {
 *     RunSummary summary = pipeline.runOnce();
 * }
 * }</pre>
 *
 * <p>What it guarantees: each input ends in exactly one of its inbox (given back after a
 * machine failure), the target or {@code quarantine/}; the pseudonym store is flushed, and
 * the subjects of every output are recorded in the {@link OutputIndex}, before an output is
 * published; a file of a subject who withdrew consent is quarantined with code
 * {@value #CONSENT_WITHDRAWN}, whatever its source; a file the codec cannot read or write
 * (a {@link FormatException}, whichever step raises it) is quarantined with code
 * {@code <format>-malformed}, never taken for a machine failure. Several pipelines, in one or
 * many processes, may share one folder: a file is claimed by an atomic rename, so it is
 * processed once. The anonymisers are built once, in {@link Builder#build()}; a run option no
 * provider declares is refused there.
 *
 * <p>What it never does: log, print or return a file name from an inbox (it may hold a
 * patient's name), or a patient value. One {@code runOnce} or {@code watch} at a time per
 * instance; {@link #process} may be called from many threads; {@link #stop()} from any thread.
 */
public final class Pipeline implements AutoCloseable {

    /** The reason code of a file whose subject withdrew consent. */
    public static final String CONSENT_WITHDRAWN = "consent-withdrawn";
    /** The reason code of a file no provider recognises. */
    public static final String UNRECOGNISED = "unrecognised";

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
     * @param counts how many values each rule or action touched (the anonymiser's counts), when anonymised
     */
    public record FileResult(Kind kind, String provider, long bytes, int outputs, String code, Bucket bucket,
                             Map<String, Long> counts) {
        public FileResult {
            counts = Map.copyOf(counts);
        }

        /** A result without counts. */
        public FileResult(Kind kind, String provider, long bytes, int outputs, String code, Bucket bucket) {
            this(kind, provider, bytes, outputs, code, bucket, Map.of());
        }
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

        /**
         * A pass over an inbox ended.
         *
         * @param elapsed how long it took
         */
        default void passFinished(Duration elapsed) {
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
    private final Route folderRoute;
    private final FileMover mover;
    private final Map<Route, FileMover> movers = new ConcurrentHashMap<>();
    private final Map<String, Anonymiser> anonymisers;
    private final Map<String, AnonymiserProvider> providers;
    private final MoverOptions moverOptions;
    private final int threads;
    private final Duration quietPeriod;
    private final Listener listener;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Anonymiser unrecognised;
    private final Runnable storeCheck;

    private Pipeline(Builder b, FileMover mover, Map<String, Anonymiser> anonymisers, OutputIndex index,
                     boolean ownIndex) {
        this.layout = b.layout;
        this.registry = b.registry;
        this.store = b.store;
        this.index = index;
        this.ownIndex = ownIndex;
        this.folderRoute = Route.folder(b.layout);
        this.mover = mover;
        this.movers.put(folderRoute, mover);
        this.moverOptions = b.moverOptions();
        this.providers = Map.copyOf(b.registry.providers());
        this.anonymisers = anonymisers;
        this.storeCheck = b.storeCheck;
        this.threads = b.threads;
        this.quietPeriod = b.quietPeriod;
        this.listener = b.listener;
        String known = String.join(", ", anonymisers.keySet());
        this.unrecognised = (input, sink) -> new Outcome.Rejected(UNRECOGNISED, Files.size(input) == 0
                ? "the file is empty; no anonymiser accepts an empty file"
                : "no anonymiser recognises this file's content or name (formats known: " + known
                + "); each format's documentation says what it accepts; another format needs its own provider"
                + " jar on the class path", Bucket.UNKNOWN);
    }

    /**
     * @param layout the folders; {@code in/}, {@code out/} and {@code quarantine/} must exist
     * @param store the pseudonym store, shared by every provider; the caller closes it
     * @return a builder
     */
    public static Builder builder(FolderLayout layout, PseudonymStore store) {
        return new Builder(layout, store);
    }

    /**
     * @param site an open site: its layout, store and output index are used; the caller closes it
     * @return a builder
     */
    public static Builder builder(Site site) {
        return new Builder(site.layout(), site.store()).index(site.index()).storeCheck(site::checkStore);
    }

    /** @return the listener every source reports to (the one given to the builder) */
    public Listener listener() {
        return listener;
    }

    /** @return the providers, by name */
    public Map<String, AnonymiserProvider> providerMap() {
        return providers;
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
            IOException first = null;
            for (FileMover m : movers.values()) {
                try {
                    m.close();
                } catch (IOException e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
            if (first != null) {
                throw first;
            }
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
        long passStart = System.nanoTime();
        AtomicInteger done = new AtomicInteger();
        Committer committer = new Committer(stats, done);
        Thread committing = new Thread(committer, "anonymiser-commit");
        committing.setDaemon(true);
        committing.start();
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
                    committer.busy.incrementAndGet();
                    try {
                        Staged staged = stage(mover, p, r -> {
                            stats.add(r);
                            if (r.kind() != Kind.TAKEN) {
                                done.incrementAndGet();
                            }
                            listener.finished(r);
                        });
                        if (staged != null) {
                            committer.add(staged);
                        }
                    } catch (RuntimeException e) {
                        // A bug: the claim was given back by its close(); stop rather than loop over the file.
                        stats.add(failed(0, null, "internal error " + e.getClass().getName()
                                + "; the file was left in in/, please report it"));
                    } finally {
                        committer.busy.decrementAndGet();
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
            committer.closing = true;
            try {
                committing.join(); // the files staged are published (or given back) before the pass ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        listener.passFinished(Duration.ofNanos(System.nanoTime() - passStart));
        return done.get();
    }

    /** The most files published by one group commit of the folder source. */
    static final int BATCH_FILES = 32;
    /** The longest a staged file waits for more files to join its group commit while others are in hand. */
    static final Duration BATCH_WAIT = Duration.ofMillis(200);

    /** A file of the folder source, anonymised, its outputs staged, waiting for its group commit. */
    private record Staged(Claim claim, Outcome.Anonymised outcome, long size, String provider) {
    }

    /**
     * Claims (without forcing yet), recognises and anonymises one file of {@code in/}: a file that
     * ends here (quarantined, taken, failed) is reported to {@code done}; an anonymised one is
     * returned staged, its claim open, for {@link Committer}.
     */
    private Staged stage(FileMover mover, Path pending, java.util.function.Consumer<FileResult> done) {
        long size = sizeOf(pending);
        Optional<Claim> claimed;
        try {
            claimed = mover.claimForBatch(pending);
        } catch (IOException e) {
            done.accept(failed(size, null, "cannot claim a file in in/ (" + e.getClass().getSimpleName() + ")"));
            return null;
        } catch (IllegalArgumentException e) {
            done.accept(new FileResult(Kind.TAKEN, null, size, 0, null, null)); // turned into a folder meanwhile
            return null;
        }
        if (claimed.isEmpty()) {
            done.accept(new FileResult(Kind.TAKEN, null, size, 0, null, null));
            return null;
        }
        Claim claim = claimed.get();
        String provider = null;
        try {
            Map.Entry<String, Anonymiser> chosen = choose(claim);
            provider = chosen.getKey();
            Outcome outcome = mover.stage(claim, checked(folderRoute, provider, chosen.getValue(), o -> { }));
            if (outcome instanceof Outcome.Rejected r) {
                done.accept(new FileResult(Kind.QUARANTINED, provider, size, 0, r.code(), r.bucket()));
                return null;
            }
            return new Staged(claim, (Outcome.Anonymised) outcome, size, provider);
        } catch (IOException | StoreException e) {
            // The mover gave the file back to in/ (or its next recovery will).
            done.accept(failed(size, provider, givenBack(e, provider)));
            return null;
        } catch (RuntimeException e) {
            try {
                claim.close();
            } catch (IOException ignored) {
                e.addSuppressed(ignored); // the next recovery puts it back
            }
            throw e;
        }
    }

    private static String givenBack(Exception e, String provider) {
        return "a file was given back to in/: " + e.getClass().getSimpleName() + " while "
                + (provider == null ? "reading it" : "anonymising it as " + provider)
                + "; check disk space, permissions and the pseudonym store";
    }

    /**
     * The group commit of the folder source: collects staged files (up to {@value #BATCH_FILES},
     * or for {@link #BATCH_WAIT} while workers are still anonymising), then writes the store and
     * the output index once for them, publishes them with one {@link FileMover#publishAll}, and
     * confirms their final names in the index once. One thread per pass.
     */
    private final class Committer implements Runnable {
        private final java.util.concurrent.BlockingQueue<Staged> queue =
                new java.util.concurrent.ArrayBlockingQueue<>(2 * BATCH_FILES);
        private final Stats stats;
        private final AtomicInteger done;
        /** Workers anonymising a file now. */
        final AtomicInteger busy = new AtomicInteger();
        /** Set once no worker will add a file. */
        volatile boolean closing;

        Committer(Stats stats, AtomicInteger done) {
            this.stats = stats;
            this.done = done;
        }

        void add(Staged staged) {
            try {
                queue.put(staged);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped.set(true);
                release(List.of(staged));
                report(staged, failed(staged.size(), staged.provider(), "interrupted: a file was given back to in/"));
            }
        }

        @Override
        public void run() {
            try {
                while (true) {
                    Staged first = queue.poll(10, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        if (closing && queue.isEmpty()) {
                            return;
                        }
                        continue;
                    }
                    List<Staged> batch = new java.util.ArrayList<>();
                    batch.add(first);
                    long deadline = System.nanoTime() + BATCH_WAIT.toNanos();
                    while (batch.size() < BATCH_FILES) {
                        Staged next = queue.poll();
                        if (next == null) {
                            long left = deadline - System.nanoTime();
                            if (left <= 0 || closing || busy.get() == 0) {
                                break; // nothing more is coming soon: do not hold the staged files back
                            }
                            next = queue.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)), TimeUnit.NANOSECONDS);
                            if (next == null) {
                                continue;
                            }
                        }
                        batch.add(next);
                    }
                    commitSafely(batch);
                }
            } catch (InterruptedException e) {
                stopped.set(true);
                List<Staged> rest = new java.util.ArrayList<>();
                queue.drainTo(rest);
                commitSafely(rest);
            }
        }

        private void commitSafely(List<Staged> batch) {
            if (batch.isEmpty()) {
                return;
            }
            try {
                commit(batch);
            } catch (RuntimeException e) {
                // A bug: give the files back rather than lose them; stop rather than loop over them.
                release(batch);
                FileResult failure = failed(0, null, "internal error " + e.getClass().getName()
                        + "; the files were left in in/, please report it");
                for (Staged s : batch) {
                    report(s, new FileResult(Kind.FAILED, s.provider(), s.size(), 0, null, null));
                }
                assert failure.kind() == Kind.FAILED;
            }
        }

        private void commit(List<Staged> batch) {
            String target = folderRoute.target();
            List<Claim> claims = batch.stream().map(Staged::claim).toList();
            // Index and store before the publish: a crash leaves index rows without outputs, never the reverse.
            try {
                storeCheck.run();
                index.record(target, batch.stream()
                        .map(s -> new OutputIndex.Written(s.outcome().subjects(), s.outcome().outputs())).toList());
                store.flush();
            } catch (StoreException e) {
                release(batch);
                failAll(batch, e);
                return;
            }
            List<Map<String, String>> finals;
            try {
                finals = mover.publishAll(claims);
            } catch (IOException e) {
                failAll(batch, e); // given back, or finished by the next recovery once decided
                return;
            }
            List<Outcome.Anonymised> published = new java.util.ArrayList<>();
            List<OutputIndex.Renamed> renamed = new java.util.ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                Outcome.Anonymised staged = batch.get(i).outcome();
                Outcome.Anonymised p = FileMover.renamed(staged, finals.get(i));
                published.add(p);
                renamed.add(new OutputIndex.Renamed(p.subjects(), staged.outputs(), p.outputs()));
            }
            try {
                index.finalise(target, renamed);
            } catch (StoreException e) {
                // Published already; the provisional rows remain, which 'forget' checks against the files.
                listener.failure("the output index could not confirm published files' outputs ("
                        + e.getClass().getSimpleName() + "); 'forget' will check those files' content");
            }
            for (int i = 0; i < batch.size(); i++) {
                Staged s = batch.get(i);
                report(s, new FileResult(Kind.ANONYMISED, s.provider(), s.size(), published.get(i).outputs().size(),
                        null, null, published.get(i).counts()));
            }
        }

        private void failAll(List<Staged> batch, Exception e) {
            listener.failure(batch.size() + " file(s) given back to in/: " + e.getClass().getSimpleName()
                    + " while publishing them; check disk space, permissions and the pseudonym store");
            stop(); // a machine failure hits every file: stop rather than churn through in/
            for (Staged s : batch) {
                report(s, new FileResult(Kind.FAILED, s.provider(), s.size(), 0, null, null));
            }
        }

        private void release(List<Staged> batch) {
            for (Staged s : batch) {
                try {
                    s.claim().close(); // gives it back if it has not ended
                } catch (IOException e) {
                    // the next recovery puts it back
                }
            }
        }

        private void report(Staged s, FileResult r) {
            stats.add(r);
            if (r.kind() != Kind.TAKEN) {
                done.incrementAndGet();
            }
            listener.finished(r);
        }
    }

    /** @return the provider recognising the claimed file (null if none) and the anonymiser to run */
    private Map.Entry<String, Anonymiser> choose(Claim claim) throws IOException {
        String provider = null;
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
        return new java.util.AbstractMap.SimpleImmutableEntry<>(provider, chosen);
    }

    /**
     * The anonymiser as every source runs it: a format error is the file's fault, a route's bucket
     * overrides the provider's, and the one consent gate; an accepted outcome goes to {@code reported}.
     */
    private Anonymiser checked(Route route, String name, Anonymiser anonymiser,
                               java.util.function.Consumer<Outcome.Anonymised> reported) {
        Bucket bucket = route.bucket().orElse(bucketOf(name));
        return (input, sink) -> {
            Outcome o;
            try {
                o = anonymiser.anonymise(input, sink);
            } catch (FormatException e) {
                // The file's fault, whichever step found it (reading, editing, writing): never the machine's.
                return new Outcome.Rejected(name + "-malformed", "the file breaks the " + name + " format: "
                        + e.getMessage(), bucket);
            }
            if (o instanceof Outcome.Rejected r && route.bucket().isPresent()) {
                return new Outcome.Rejected(r.code(), r.reason(), bucket);
            }
            if (o instanceof Outcome.Anonymised a) {
                // The one consent gate, for every source and format.
                for (String subject : a.subjects()) {
                    if (store.isWithdrawn(PseudonymStore.PATIENT, subject)) {
                        return new Outcome.Rejected(CONSENT_WITHDRAWN, "the patient with pseudonym " + subject
                                + " withdrew consent (recorded by 'forget'); their files are no longer released",
                                bucket);
                    }
                }
                reported.accept(a);
            }
            return o;
        };
    }

    /**
     * Processes one complete file waiting in a route's inbox, as every source does: claim,
     * recognise, anonymise, consent gate, index, publish or quarantine. Safe from many threads.
     *
     * @param route the route whose inbox holds the file
     * @param pending a file inside the route's inbox
     * @param beforePublish run after the store and index are written and before the outputs
     *        appear (a source records there that the file is done); an exception from it gives
     *        the file back
     * @return how it ended; {@link Kind#TAKEN} if another worker claimed it first
     * @throws IOException if the route's folders cannot be prepared
     */
    public FileResult process(Route route, Path pending, Runnable beforePublish) throws IOException {
        FileResult r = handle(route, mover(route), pending, beforePublish);
        listener.finished(r);
        return r;
    }

    /** @return the mover of a route, opened (and recovered) on first use */
    private FileMover mover(Route route) throws IOException {
        FileMover m = movers.get(route);
        if (m != null) {
            return m;
        }
        synchronized (movers) {
            m = movers.get(route);
            if (m == null) {
                FolderLayout.createFolder(route.inbox(), true);
                FolderLayout.createFolder(route.outbox(), false);
                m = FileMover.open(route.inbox(), route.outbox(), quarantineOf(route), moverOptions);
                movers.put(route, m);
            }
            return m;
        }
    }

    private java.util.function.Function<Bucket, Path> quarantineOf(Route route) {
        return b -> FolderLayout.createFolder(layout.quarantine(route.bucket().orElse(b)), true);
    }

    private FileResult handle(Route route, FileMover mover, Path pending, Runnable sourceHook) {
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
            Map.Entry<String, Anonymiser> chosen = choose(claim);
            provider = chosen.getKey();
            AtomicReference<Outcome.Anonymised> reported = new AtomicReference<>();
            Anonymiser checked = checked(route, provider, chosen.getValue(), reported::set);
            // Index and store before the publish: a crash leaves index rows without outputs, never the reverse.
            Outcome outcome = mover.process(claim, checked, () -> {
                storeCheck.run();
                Outcome.Anonymised a = reported.get();
                index.record(route.target(), a.subjects(), a.outputs());
                store.flush();
                sourceHook.run();
            });
            if (outcome instanceof Outcome.Rejected r) {
                return new FileResult(Kind.QUARANTINED, provider, size, 0, r.code(), r.bucket());
            }
            Outcome.Anonymised published = (Outcome.Anonymised) outcome;
            try {
                index.finalise(route.target(), published.subjects(), reported.get().outputs(), published.outputs());
            } catch (StoreException e) {
                // Published already; the provisional rows remain, which 'forget' checks against the files.
                listener.failure("the output index could not confirm a published file's outputs ("
                        + e.getClass().getSimpleName() + "); 'forget' will check those files' content");
            }
            return new FileResult(Kind.ANONYMISED, provider, size, published.outputs().size(), null, null,
                    published.counts());
        } catch (IOException | StoreException e) {
            // The mover gave the file back to in/ (or its next recovery will).
            return failed(size, provider, givenBack(e, provider));
        }
    }

    private FileResult failed(long size, String provider, String message) {
        listener.failure(message);
        stop(); // a machine failure hits every file: stop rather than churn through in/
        return new FileResult(Kind.FAILED, provider, size, 0, null, null);
    }

    private Bucket bucketOf(String provider) {
        AnonymiserProvider p = provider == null ? null : providers.get(provider);
        return p == null ? Bucket.UNKNOWN : p.bucket();
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
        private Runnable storeCheck = () -> { };

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

        /**
         * @param check run before every publish; throws if the store is gone or replaced (the file is then
         *        given back and the run stops); {@link #builder(Site)} sets {@link Site#checkStore()}
         */
        public Builder storeCheck(Runnable check) {
            this.storeCheck = Objects.requireNonNull(check, "check");
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
        MoverOptions moverOptions() {
            return MoverOptions.defaults().withQuietPeriod(quietPeriod);
        }

        public Pipeline build() throws IOException {
            for (Path folder : List.of(layout.in(), layout.out(), layout.quarantine())) {
                if (!Files.isDirectory(folder)) {
                    throw new ProfileException("folder " + folder + " does not exist: run 'init' first, or create"
                            + " the layout with FolderLayout.create()");
                }
            }
            if (registry == null) {
                registry = AnonymiserRegistry.discover();
            }
            checkOptions(registry, options);
            Map<String, Anonymiser> anonymisers = new LinkedHashMap<>();
            for (AnonymiserProvider p : registry.providers().values()) {
                FolderLayout.createFolder(layout.quarantine(p.bucket()), true);
                String name = p.name().toLowerCase(Locale.ROOT);
                AnonymiserContext context = new AnonymiserContext(layout.profiles(name), store, options, clock);
                anonymisers.put(p.name(), p.create(context));
            }
            boolean own = index == null;
            OutputIndex idx = own ? OutputIndex.open(layout.db(), null) : index;
            FolderLayout.createFolder(layout.quarantine(Bucket.UNKNOWN), true);
            FileMover mover;
            try {
                mover = FileMover.open(layout.in(), layout.out(),
                        b -> FolderLayout.createFolder(layout.quarantine(b), true), moverOptions());
            } catch (IOException | RuntimeException e) {
                if (own) {
                    idx.close();
                }
                throw e;
            }
            return new Pipeline(this, mover, anonymisers, idx, own);
        }

        /** Refuses a run option that no provider declares, listing the known ones. */
        static void checkOptions(AnonymiserRegistry registry, Map<String, String> options) {
            java.util.Set<String> known = new java.util.TreeSet<>();
            for (AnonymiserProvider p : registry.providers().values()) {
                known.addAll(p.options());
            }
            for (String key : options.keySet()) {
                if (!known.contains(key)) {
                    throw new SiteException("unknown option '" + key + "': the providers on the class path read "
                            + (known.isEmpty() ? "no option" : String.join(", ", known)));
                }
            }
        }
    }
}
