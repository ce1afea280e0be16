package eu.hbp.mip.anonymiser.core.move;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.Bucket;
import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.StoreException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The one way a file leaves an input folder: {@linkplain #claim claimed} by an atomic
 * rename, then {@linkplain Claim#publish() published} into the output folder or
 * {@linkplain Claim#quarantine quarantined} with a reason, never both, never neither,
 * whatever instant the process dies at. Work left half-done by a dead worker is
 * {@linkplain #recover() recovered}: a decided publish or quarantine is finished, anything
 * else is rolled back (the input goes back into the input folder). Nothing in the output
 * folder is ever overwritten; a name taken gets a suffix ({@code scan-1.dcm}).
 *
 * <p>Each mover is one <em>worker</em> with a random id. Its claimed files live in
 * {@code in/.anonymiser/<worker>/}, its temp outputs in {@code out/.anonymiser/<worker>/};
 * it holds an OS file lock on {@code in/.anonymiser/<worker>/lock} for its life, by which
 * other workers, in this or other processes and machines sharing the folder, know it is
 * alive. See {@code docs/move.md} for the protocol and the recovery table.
 *
 * <p>Requirements: the input folder, its quarantine folders and the output folder each on
 * a POSIX file system supporting hard links; the input folder and the quarantine folders on
 * one file system (checked by {@link #open}). Use one mover per input folder per JVM (it is
 * thread-safe: many threads may claim and process at once); POSIX locks are per process, so
 * two movers on one folder in one JVM cannot see each other die.
 *
 * <p>It never logs a file name from the input folder (it may carry a patient's name):
 * only counts and worker ids, through {@link System.Logger}.
 *
 * <pre>{@code
 * try (FileMover mover = FileMover.open(layout)) {
 *     for (Path file : mover.pending()) {
 *         Optional<Claim> claim = mover.claim(file);
 *         if (claim.isPresent()) {
 *             try (Claim c = claim.get()) {
 *                 Outcome outcome = mover.process(c, anonymiser, store::flush);
 *             }
 *         }
 *     }
 * }
 * }</pre>
 */
public final class FileMover implements AutoCloseable {

    /** The name of the mover's work folder in the input and output folders. */
    public static final String WORK_FOLDER = ".anonymiser";

    private static final System.Logger LOG = System.getLogger(FileMover.class.getName());
    private static final String LOCK = "lock";
    private static final String STARTING = ".new-";
    private static final Duration STALE_START = Duration.ofMinutes(10);

    private final Path in;
    private final Path workRoot;
    private final Path outWorkRoot;
    private final Path workerDir;
    private final Path outWorkerDir;
    private final MoverOptions options;
    private final Protocol protocol;
    private final String processId;
    private final String workerId;
    private final FileChannel lockChannel;
    private final AtomicLong sequence = new AtomicLong();
    private final Set<Path> active = ConcurrentHashMap.newKeySet();
    private final Set<Path> activeBatches = ConcurrentHashMap.newKeySet();
    private final Map<Path, Claim> open = new ConcurrentHashMap<>();
    private final Map<Path, Seen> seen = new HashMap<>();
    private final Object recovering = new Object();
    private volatile boolean closed;

    private FileMover(Path in, Path out, MoverOptions options, Protocol protocol, String processId,
                      String workerId, FileChannel lockChannel) {
        this.in = in;
        this.workRoot = in.resolve(WORK_FOLDER);
        this.outWorkRoot = out.resolve(WORK_FOLDER);
        this.workerDir = workRoot.resolve(workerId);
        this.outWorkerDir = outWorkRoot.resolve(workerId);
        this.options = options;
        this.protocol = protocol;
        this.processId = processId;
        this.workerId = workerId;
        this.lockChannel = lockChannel;
    }

    /**
     * Starts a worker on the standard folders of {@code layout}: {@code in/}, {@code out/},
     * {@code quarantine/<bucket>/}, with {@link MoverOptions#defaults()}, and recovers the
     * work of dead workers.
     *
     * @throws IOException if the folders cannot be prepared
     */
    public static FileMover open(FolderLayout layout) throws IOException {
        return open(layout.in(), layout.out(), layout::quarantine, MoverOptions.defaults());
    }

    /**
     * Starts a worker and recovers the work of dead workers (see {@link #recover()}).
     *
     * @param in the input folder
     * @param out the output folder
     * @param quarantine the quarantine folder of each bucket; on the input's file system
     * @param options when a file is ready
     * @return the worker; close it when done
     * @throws IOException if the folders cannot be prepared, or the input and quarantine
     *         folders are not on one file system
     */
    public static FileMover open(Path in, Path out, Function<Bucket, Path> quarantine, MoverOptions options)
            throws IOException {
        return open(in, out, quarantine, options, Steps.NONE, thisProcess());
    }

    /** The factory for tests: a crash hook, and a process identity to simulate several processes. */
    static FileMover open(Path in, Path out, Function<Bucket, Path> quarantine, MoverOptions options,
                          Steps steps, String processId) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(quarantine, "quarantine");
        Objects.requireNonNull(options, "options");
        Files.createDirectories(in);
        Files.createDirectories(out);
        // The configured folders are trusted and may themselves be links (a mounted volume):
        // resolve them once; links inside them are never followed.
        Path inDir = in.toRealPath();
        Path outDir = out.toRealPath();
        if (!inDir.getFileSystem().supportedFileAttributeViews().contains("unix")) {
            throw new IOException("the crash-safe move needs a POSIX file system (hard link counts); "
                    + inDir + " is not on one");
        }
        Path workRoot = inDir.resolve(WORK_FOLDER);
        Files.createDirectories(workRoot);
        Files.createDirectories(outDir.resolve(WORK_FOLDER));
        // Claims hold originals and staged outputs: the work folders are the owner's alone.
        Durable.ownerOnly(workRoot);
        Durable.ownerOnly(outDir.resolve(WORK_FOLDER));
        String workerId = processId + "-" + HexFormat.of().formatHex(randomBytes());
        // Lock first under a name recovery ignores, then rename: a worker folder is never seen unlocked.
        Path starting = workRoot.resolve(STARTING + workerId);
        Files.createDirectory(starting);
        FileChannel lock = FileChannel.open(starting.resolve(LOCK), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        FileMover mover;
        try {
            lock.lock();
            Files.move(starting, workRoot.resolve(workerId), StandardCopyOption.ATOMIC_MOVE);
            Durable.forceDir(workRoot);
            Function<Bucket, Path> buckets = b -> quarantine.apply(b).toAbsolutePath().normalize();
            mover = new FileMover(inDir, outDir, options,
                    new Protocol(inDir, outDir, buckets, steps, Clock.systemUTC()), processId, workerId, lock);
            try {
                mover.checkSameFileSystem(buckets);
            } catch (IOException misconfigured) {
                Durable.deleteTree(workRoot.resolve(workerId)); // nothing was claimed yet
                throw misconfigured;
            }
            mover.recover();
        } catch (IOException | RuntimeException | Error e) {
            lock.close(); // as a dead process would: the lock goes, the folder stays for recovery
            throw e;
        }
        return mover;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    /** @return this JVM's identity: its process id and start time */
    private static String thisProcess() {
        ProcessHandle self = ProcessHandle.current();
        long start = self.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
        return "p" + self.pid() + "t" + Long.toString(start, 36);
    }

    private void checkSameFileSystem(Function<Bucket, Path> quarantine) throws IOException {
        Path probe = workerDir.resolve("probe");
        Files.createFile(probe);
        try {
            for (Bucket bucket : List.of(Bucket.UNKNOWN)) {
                Path folder = quarantine.apply(bucket);
                Files.createDirectories(folder);
                Path link = folder.resolve(WORK_FOLDER + "-probe-" + workerId);
                try {
                    Files.createLink(link, probe);
                } catch (IOException e) {
                    throw new IOException("the quarantine folder " + folder + " must be on the same file system as "
                            + in + " (a file moves there by hard link); put both on one file system", e);
                }
                Files.delete(link);
            }
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** @return this worker's id (safe to log) */
    public String workerId() {
        return workerId;
    }

    // ---------------------------------------------------------------- pending

    /**
     * Lists the files of the input folder ready to be claimed: every file in nested
     * folders (symbolic links are listed, not followed, and end in quarantine) whose size
     * and modification time have not changed for the quiet period, observed across calls
     * or read from a modification time older than the quiet period. The mover's work
     * folder, and hidden names if so configured, are left out.
     *
     * @return the files, sorted by relative path
     * @throws IOException if the input folder cannot be read
     */
    public List<Path> pending() throws IOException {
        ensureOpen();
        long nanos = System.nanoTime();
        long wall = System.currentTimeMillis();
        long quietMillis = options.quietPeriod().toMillis();
        long quietNanos = options.quietPeriod().toNanos();
        Map<Path, Seen> now = new HashMap<>();
        List<Path> ready = new ArrayList<>();
        synchronized (seen) {
            Files.walkFileTree(in, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                            if (dir.equals(in)) {
                                return FileVisitResult.CONTINUE;
                            }
                            if (dir.equals(workRoot) || options.skipHidden() && hidden(dir)) {
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (attrs.isDirectory() || options.skipHidden() && hidden(file)) {
                                return FileVisitResult.CONTINUE;
                            }
                            FileTime modified = attrs.lastModifiedTime();
                            Seen previous = seen.get(file);
                            boolean unchanged = previous != null && previous.size() == attrs.size()
                                    && previous.modified().equals(modified);
                            Seen current = unchanged ? previous : new Seen(attrs.size(), modified, nanos);
                            now.put(file, current);
                            boolean old = wall - modified.toMillis() >= quietMillis;
                            boolean quiet = unchanged && nanos - previous.since() >= quietNanos;
                            if ((previous == null || unchanged) && (old || quiet)) {
                                ready.add(file);
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            return FileVisitResult.CONTINUE; // taken or removed meanwhile
                        }

                        @Override
                        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                            return FileVisitResult.CONTINUE;
                        }
                    });
            seen.clear();
            seen.putAll(now);
        }
        ready.sort(Comparator.comparing(p -> in.relativize(p).toString()));
        return ready;
    }

    private static boolean hidden(Path path) {
        return path.getFileName().toString().startsWith(".");
    }

    private record Seen(long size, FileTime modified, long since) {
    }

    // ------------------------------------------------------------------ claim

    /**
     * Takes {@code file} out of the input folder by an atomic rename into this worker's
     * claim folder. Of several workers (threads or processes) claiming one file, exactly
     * one gets it.
     *
     * @param file a file in the input folder, as listed by {@link #pending()}
     * @return the claim, or empty if the file is gone (another worker took it first)
     * @throws IOException if the rename fails for another reason
     * @throws IllegalArgumentException if {@code file} is not a file inside the input folder
     */
    public Optional<Claim> claim(Path file) throws IOException {
        return claim(file, false);
    }

    /**
     * {@link #claim} for a group commit: the same atomic rename, without forcing it to disk
     * yet. {@link #publishAll} forces the folders the claims of a batch left once per batch
     * (and, should the claim be quarantined or released instead, that step forces it first),
     * so a crash at any instant still leaves the input in exactly one place.
     *
     * @param file a file in the input folder, as listed by {@link #pending()}
     * @return the claim, or empty if the file is gone (another worker took it first)
     * @throws IOException if the rename fails for another reason
     * @throws IllegalArgumentException if {@code file} is not a file inside the input folder
     */
    public Optional<Claim> claimForBatch(Path file) throws IOException {
        return claim(file, true);
    }

    private Optional<Claim> claim(Path file, boolean deferForce) throws IOException {
        ensureOpen();
        Path source = file.isAbsolute() ? file.normalize() : in.resolve(file).normalize();
        if (!source.startsWith(in) || source.equals(in) || source.startsWith(workRoot)) {
            throw new IllegalArgumentException("only a file inside the input folder " + in + " can be claimed");
        }
        if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("a folder cannot be claimed, only the files in it");
        }
        Path relative = in.relativize(source);
        Path slotDir = workerDir.resolve("c" + sequence.incrementAndGet());
        Slot slot = new Slot(slotDir, outWorkerDir.resolve(slotDir.getFileName().toString()));
        active.add(slotDir);
        Path target = slot.inputRoot().resolve(relative); // keeps the name's bytes, even if not valid text
        try {
            Files.createDirectories(target.getParent());
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException gone) {
            Durable.deleteTree(slotDir);
            active.remove(slotDir);
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            Durable.deleteTree(slotDir);
            active.remove(slotDir);
            throw e;
        }
        if (!deferForce) {
            Durable.forceDir(target.getParent());
            Durable.forceDirIfExists(source.getParent());
        }
        Claim claim = new Claim(this, protocol, slot, target, slot.relativeName(target),
                deferForce ? source.getParent() : null);
        open.put(slotDir, claim);
        protocol.steps().reached("claim:claimed");
        return Optional.of(claim);
    }

    void forget(Path slotDir) {
        open.remove(slotDir);
        active.remove(slotDir);
    }

    void forget(Slot slot) {
        forget(slot.dir());
    }

    // ---------------------------------------------------------------- process

    /**
     * Runs {@code anonymiser} on a claim and ends the claim by its outcome:
     * <ul>
     * <li>an input that is a symbolic link, not a regular file, or whose path holds control
     *     or invisible characters is quarantined in {@link Bucket#UNKNOWN} (code
     *     {@code unsafe-name}) without being read;</li>
     * <li>{@link Outcome.Anonymised}: {@code beforePublish} runs (the runner flushes the
     *     pseudonym store), then the outputs are published;</li>
     * <li>{@link Outcome.Rejected}: the input is quarantined in the rejection's bucket;</li>
     * <li>an {@link IOException} from the anonymiser, a {@link StoreException}, or any
     *     exception from {@code beforePublish}: the claim is released back into {@code in/}
     *     and the exception rethrown (the machine failed, not the file);</li>
     * <li>any other unchecked exception from the anonymiser, or an outcome that does not
     *     match what it wrote: quarantined in {@link Bucket#UNKNOWN} with code
     *     {@code internal-error} and a reason naming only the exception's class.</li>
     * </ul>
     *
     * @return the outcome; for a publish, an {@link Outcome.Anonymised} whose outputs are the
     *         final relative names used in {@code out/}
     * @throws IOException if the anonymiser or the move failed for reasons of the machine
     */
    public Outcome process(Claim claim, Anonymiser anonymiser, Runnable beforePublish) throws IOException {
        Objects.requireNonNull(beforePublish, "beforePublish");
        Outcome outcome = stage(claim, anonymiser);
        if (outcome instanceof Outcome.Rejected) {
            return outcome;
        }
        Outcome.Anonymised anonymised = (Outcome.Anonymised) outcome;
        try {
            beforePublish.run();
        } catch (RuntimeException e) {
            throw releaseAfter(claim, e);
        }
        List<String> written = claim.writtenInOrder();
        List<String> finals = claim.publish();
        Map<String, String> finalByName = new HashMap<>();
        for (int i = 0; i < written.size(); i++) {
            finalByName.put(written.get(i), finals.get(i));
        }
        return renamed(anonymised, finalByName);
    }

    /**
     * @param staged an outcome returned by {@link #stage}
     * @param finalByName each output's name to the name it got in {@code out/}, as returned by
     *        {@link #publishAll}
     * @return the outcome with the final names
     */
    public static Outcome.Anonymised renamed(Outcome.Anonymised staged, Map<String, String> finalByName) {
        return new Outcome.Anonymised(staged.outputs().stream().map(finalByName::get).toList(),
                staged.counts(), staged.subjects());
    }

    /**
     * The first half of {@link #process}, for a group commit: runs {@code anonymiser} on the
     * claim and, when it is {@link Outcome.Rejected} (or unsafe, or a bug), quarantines it at
     * once, or, on a machine failure, releases it and throws, as {@code process} does. An
     * {@link Outcome.Anonymised} leaves the claim open with its outputs staged (invisible in
     * {@code out/}) for {@link #publishAll}; a crash before that puts the input back.
     *
     * @return the outcome; an {@code Anonymised} one carries the names the anonymiser chose
     * @throws IOException if the anonymiser or the move failed for reasons of the machine
     */
    public Outcome stage(Claim claim, Anonymiser anonymiser) throws IOException {
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(anonymiser, "anonymiser");
        Optional<Outcome.Rejected> unsafe = unsafe(claim);
        if (unsafe.isPresent()) {
            return quarantine(claim, unsafe.get());
        }
        Outcome outcome;
        try {
            outcome = anonymiser.anonymise(claim.file(), claim.sink());
        } catch (IOException e) {
            throw releaseAfter(claim, e);
        } catch (StoreException e) {
            throw releaseAfter(claim, e);
        } catch (RuntimeException e) {
            return quarantine(claim, internalError("the anonymiser stopped with an internal error ("
                    + e.getClass().getName() + ")"));
        }
        if (outcome instanceof Outcome.Rejected rejected) {
            return quarantine(claim, rejected);
        }
        Outcome.Anonymised anonymised = (Outcome.Anonymised) outcome;
        List<String> written = claim.writtenInOrder();
        if (written.isEmpty() || anonymised.outputs().size() != written.size()
                || !Set.copyOf(anonymised.outputs()).equals(Set.copyOf(written))) {
            return quarantine(claim, internalError("the anonymiser reported outputs that differ from the files it"
                    + " wrote (" + anonymised.outputs().size() + " reported, " + written.size() + " written)"));
        }
        try {
            claim.forceStaged(); // a claim for a group commit: its own forces now, in this thread
        } catch (IOException e) {
            throw releaseAfter(claim, e);
        }
        return anonymised;
    }

    /**
     * Publishes several staged claims with one group commit: their temps are forced, then
     * one batch journal decides all of them at once (one file force and one folder force),
     * then their outputs are linked into {@code out/} with one force per {@code out/} folder,
     * and their claim folders are removed with one force of the worker folder. The guarantee
     * is that of {@link Claim#publish()} for each claim: a crash before the batch journal is
     * complete puts every input back, one after it publishes every one.
     *
     * @param claims open claims of this mover, each with something written (from {@link #stage})
     * @return per claim, in order, each output's name (as written) to its final name in {@code out/}
     * @throws IOException if it fails; before the batch is decided every input is put back into
     *         {@code in/}, after it the work is finished by the next recovery
     * @throws IllegalStateException if a claim has ended or has nothing written
     */
    public List<Map<String, String>> publishAll(List<Claim> claims) throws IOException {
        ensureOpen();
        if (claims.isEmpty()) {
            return List.of();
        }
        for (Claim claim : claims) {
            claim.checkPublishable();
        }
        Path batchJournal = workerDir.resolve(BatchJournal.PREFIX + sequence.incrementAndGet());
        activeBatches.add(batchJournal);
        List<Slot> slots = new ArrayList<>();
        List<Journal> journals = new ArrayList<>();
        List<List<String>> written = new ArrayList<>();
        try {
            try {
                Map<String, Journal> entries = new java.util.LinkedHashMap<>();
                Set<Path> sources = new java.util.LinkedHashSet<>();
                for (Claim claim : claims) {
                    written.add(claim.writtenInOrder());
                    Journal journal = claim.prepareBatched(sources);
                    slots.add(claim.slot());
                    journals.add(journal);
                    entries.put(claim.slot().dir().getFileName().toString(), journal);
                }
                for (Path source : sources) {
                    Durable.forceDirIfExists(source); // the claims' renames out of in/
                }
                Durable.forceDir(outWorkerDir); // the claims' temp folders
                protocol.steps().reached("batch:temps-forced");
                BatchJournal.write(batchJournal, entries);
            } catch (IOException e) {
                throw undecided(claims, batchJournal, e);
            }
            for (Claim claim : claims) {
                claim.decided();
            }
            protocol.steps().reached("batch:journalled");
            List<List<String>> finals = protocol.completeBatch(slots, journals,
                    claims.stream().map(Claim::file).toList(), workerDir, batchJournal);
            List<Map<String, String>> result = new ArrayList<>();
            for (int i = 0; i < claims.size(); i++) {
                Map<String, String> finalByName = new HashMap<>();
                for (int k = 0; k < written.get(i).size(); k++) {
                    finalByName.put(written.get(i).get(k), finals.get(i).get(k));
                }
                result.add(finalByName);
            }
            return result;
        } finally {
            for (Claim claim : claims) {
                forget(claim.slot());
            }
            activeBatches.remove(batchJournal);
        }
    }

    /**
     * A batch failed before it was decided: makes sure its journal counts for nothing, then
     * gives every input back. If even that fails, the claims are left to recovery, which reads
     * whatever the journal says.
     */
    private IOException undecided(List<Claim> claims, Path batchJournal, IOException failure) {
        try {
            if (Files.deleteIfExists(batchJournal)) {
                Durable.forceDir(workerDir);
            }
        } catch (IOException e) {
            failure.addSuppressed(e);
            for (Claim claim : claims) {
                claim.decided(); // not given back: the journal may be complete; recovery decides
            }
            return failure;
        }
        for (Claim claim : claims) {
            claim.releaseAfter(failure);
        }
        return failure;
    }

    private static Outcome.Rejected internalError(String what) {
        return new Outcome.Rejected("internal-error", what + "; the file itself may be fine: report this code and"
                + " the SHA-256 below to the anonymiser's maintainers, and move the file back into the input folder"
                + " once it is fixed", Bucket.UNKNOWN);
    }

    private static Optional<Outcome.Rejected> unsafe(Claim claim) {
        Path file = claim.file();
        if (Files.isSymbolicLink(file)) {
            return Optional.of(new Outcome.Rejected("unsafe-name", "the input is a symbolic link; links are never"
                    + " followed, so its target was not read: put the file itself into the input folder",
                    Bucket.UNKNOWN));
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(new Outcome.Rejected("unsafe-name", "the input is not a regular file (a pipe, socket"
                    + " or device) and was not read: put a regular file into the input folder", Bucket.UNKNOWN));
        }
        if (Names.hasUnsafe(claim.relativeName())) {
            return Optional.of(new Outcome.Rejected("unsafe-name", "the input's path holds control characters,"
                    + " invisible characters or bytes that are not valid text (they are shown as '_' in the"
                    + " quarantined name): rename it with letters, digits, '.', '_' or '-' and move it back into the"
                    + " input folder", Bucket.UNKNOWN));
        }
        return Optional.empty();
    }

    private static Outcome.Rejected quarantine(Claim claim, Outcome.Rejected rejected) throws IOException {
        claim.quarantine(rejected.bucket(), rejected.code(), rejected.reason());
        return rejected;
    }

    private static <E extends Exception> E releaseAfter(Claim claim, E failure) {
        try {
            claim.release();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    // --------------------------------------------------------------- recovery

    /**
     * Recovers the work of dead workers on this input folder (those whose lock can be
     * taken; a live worker, in any process, is never touched) and this worker's own claims
     * abandoned after a failure: a journalled publish, quarantine or release is finished, an
     * unjournalled claim is rolled back (outputs deleted, input put back under its relative
     * path, suffixed if a new file took it). Safe to run from several processes at once.
     * Also done by {@link #open}.
     *
     * @return how many claimed inputs were recovered
     * @throws IOException if the work folder cannot be listed; a claim that cannot be
     *         recovered is left in place (counted in the log) and retried next time
     */
    public int recover() throws IOException {
        ensureOpen();
        synchronized (recovering) {
            int[] counts = new int[3]; // recovered, failed, workers
            Map<Path, Map<String, Journal>> batches = batches(workerDir, activeBatches);
            for (Path slotDir : children(workerDir)) {
                if (slotDir.getFileName().toString().startsWith("c") && !active.contains(slotDir)) {
                    recoverSlot(slotDir, workerId, counts, batches);
                }
            }
            dropFinished(workerDir, batches);
            for (Path dir : children(workRoot)) {
                String name = dir.getFileName().toString();
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || name.equals(workerId)
                        || name.startsWith(processId + "-") || name.startsWith(STARTING + processId + "-")) {
                    continue; // our own, or another mover of this JVM: never probe its lock (POSIX locks are per process)
                }
                if (name.startsWith(STARTING)) {
                    if (olderThan(dir, STALE_START)) {
                        takeOver(dir, name.substring(STARTING.length()), counts);
                    }
                    continue;
                }
                takeOver(dir, name, counts);
            }
            for (Path dir : children(outWorkRoot)) {
                if (!Durable.exists(workRoot.resolve(dir.getFileName().toString()))) {
                    Durable.deleteTree(dir); // temps of a worker whose claims are all recovered
                }
            }
            if (counts[0] > 0 || counts[1] > 0) {
                LOG.log(System.Logger.Level.INFO, "worker {0} recovered {1} claimed file(s) of {2} stopped worker(s);"
                        + " {3} could not be recovered yet", workerId, counts[0], counts[2], counts[1]);
            }
            return counts[0];
        }
    }

    private void takeOver(Path dir, String deadWorker, int[] counts) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (NoSuchFileException gone) {
            return; // recovered by someone else meanwhile
        }
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldInThisJvm) {
                return;
            }
            if (lock == null) {
                return; // alive, or being recovered by another process
            }
            counts[2]++;
            boolean clean = true;
            Map<Path, Map<String, Journal>> batches = batches(dir, Set.of());
            for (Path slotDir : children(dir)) {
                if (slotDir.getFileName().toString().startsWith("c")) {
                    clean &= recoverSlot(slotDir, deadWorker, counts, batches);
                }
            }
            dropFinished(dir, batches);
            if (clean) {
                Durable.deleteTree(outWorkRoot.resolve(deadWorker));
                Files.deleteIfExists(dir.resolve(LOCK));
                Durable.deleteTree(dir);
            }
        } finally {
            channel.close();
        }
    }

    /**
     * @return the batch journals in a worker folder (those not being written by this worker),
     *         each as claim folder name to publish journal; an incomplete one maps to nothing
     */
    private static Map<Path, Map<String, Journal>> batches(Path worker, Set<Path> skip) throws IOException {
        Map<Path, Map<String, Journal>> batches = new java.util.LinkedHashMap<>();
        for (Path file : children(worker)) {
            if (BatchJournal.named(file.getFileName().toString()) && !skip.contains(file)) {
                batches.put(file, BatchJournal.read(file).orElse(Map.of()));
            }
        }
        return batches;
    }

    /** Deletes the batch journals none of whose claim folders is left. */
    private static void dropFinished(Path worker, Map<Path, Map<String, Journal>> batches) throws IOException {
        for (Map.Entry<Path, Map<String, Journal>> batch : batches.entrySet()) {
            if (batch.getValue().keySet().stream().noneMatch(slot -> Durable.exists(worker.resolve(slot)))) {
                Files.deleteIfExists(batch.getKey());
            }
        }
    }

    private boolean recoverSlot(Path slotDir, String worker, int[] counts, Map<Path, Map<String, Journal>> batches) {
        Slot slot = new Slot(slotDir, outWorkRoot.resolve(worker).resolve(slotDir.getFileName().toString()));
        try {
            boolean hadInput = slot.input().isPresent();
            Optional<Journal> journal = Journal.read(slot.journal());
            if (journal.isEmpty()) {
                String name = slotDir.getFileName().toString();
                journal = batches.values().stream().map(b -> b.get(name)).filter(Objects::nonNull).findFirst();
            }
            if (journal.isEmpty()) {
                protocol.rollback(slot);
            } else {
                switch (journal.get().kind()) {
                    case PUBLISH -> protocol.completePublish(slot, journal.get());
                    case QUARANTINE -> protocol.completeQuarantine(slot, journal.get());
                    case RELEASE -> protocol.completeRelease(slot, journal.get());
                }
            }
            if (hadInput) {
                counts[0]++;
            }
            return true;
        } catch (IOException e) {
            counts[1]++;
            LOG.log(System.Logger.Level.WARNING, "worker {0} could not recover a claim of worker {1} ({2}); it stays"
                    + " in place and is retried at the next recovery", workerId, worker, e.getClass().getName());
            return false;
        }
    }

    private static boolean olderThan(Path dir, Duration age) {
        try {
            FileTime modified = Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS);
            return System.currentTimeMillis() - modified.toMillis() > age.toMillis();
        } catch (IOException e) {
            return false;
        }
    }

    private static List<Path> children(Path dir) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(children::add);
        } catch (NoSuchFileException gone) {
            return List.of();
        }
        children.sort(Comparator.naturalOrder());
        return children;
    }

    // ------------------------------------------------------------------ close

    /**
     * Ends this worker: releases the claims still open (their inputs go back into
     * {@code in/}), finishes its own abandoned claims, removes its work folders and releases
     * its lock. Call it once the threads using this mover are done.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            for (Claim claim : List.copyOf(open.values())) {
                try {
                    claim.close();
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "worker {0} could not release a claim at close ({1});"
                            + " the next recovery puts it back", workerId, e.getClass().getName());
                }
            }
            recover();
            if (active.isEmpty() && children(workerDir).stream()
                    .noneMatch(p -> p.getFileName().toString().startsWith("c"))) {
                Durable.deleteTree(outWorkerDir);
                Files.deleteIfExists(workerDir.resolve(LOCK));
                Durable.deleteTree(workerDir);
            }
        } finally {
            closed = true;
            lockChannel.close();
        }
    }

    /** For tests: dies as a killed process would, releasing the lock and cleaning up nothing. */
    void abandon() throws IOException {
        closed = true;
        lockChannel.close();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this file mover is closed");
        }
    }
}
