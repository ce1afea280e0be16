package eu.hbp.mip.anonymiser.core.move;

import eu.hbp.mip.anonymiser.api.Bucket;
import eu.hbp.mip.anonymiser.api.OutputSink;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One input file taken out of the input folder by one worker, until it is
 * {@linkplain #publish() published}, {@linkplain #quarantine quarantined} or
 * {@linkplain #release() released}; exactly one of these ends it. Closing a claim
 * that has not ended releases it.
 *
 * <p>While a claim is open, its input sits in the worker's claim folder where no other
 * worker takes it, and its outputs are temp files invisible in {@code out/}. If the
 * process dies, the next {@link FileMover#recover()} finishes a decided publish or
 * quarantine, or puts the input back.
 *
 * <p>A claim is used by one thread at a time (its sink may be written from several).
 * {@link #relativeName()} may contain a patient's name: never log it.
 */
public final class Claim implements AutoCloseable {

    private enum State { OPEN, DONE }

    private final FileMover mover;
    private final Protocol protocol;
    private final Slot slot;
    private final Path file;
    private final String relativeName;
    private final Map<String, Path> outputs = new LinkedHashMap<>();
    private final List<FileChannel> channels = new ArrayList<>();
    private final OutputSink sink = this::create;
    private State state = State.OPEN;
    /** The folder the input was renamed out of, while the claim's rename is not forced yet (batched claims). */
    private Path unforcedSource;
    /** The publish journal of a claim whose temps were forced when it was staged. */
    private Journal staged;

    Claim(FileMover mover, Protocol protocol, Slot slot, Path file, String relativeName, Path unforcedSource) {
        this.mover = mover;
        this.protocol = protocol;
        this.slot = slot;
        this.file = file;
        this.relativeName = relativeName;
        this.unforcedSource = unforcedSource;
    }

    Slot slot() {
        return slot;
    }

    /**
     * Makes the claim's rename durable if it was deferred: its input folder (which the
     * quarantine and release steps rely on) and the folder it left.
     */
    private void forceClaim() throws IOException {
        if (unforcedSource != null) {
            Durable.forceDir(file.getParent());
            Durable.forceDirIfExists(unforcedSource);
            unforcedSource = null;
        }
    }

    /**
     * First half of a group commit, for {@link FileMover#publishAll}: closes the sink, forces
     * the temps and the temp folder; adds the folder the input left, if its rename is not
     * forced yet, to {@code sources} (the batch forces each such folder once).
     *
     * @return the claim's publish journal
     */
    synchronized Journal prepareBatched(java.util.Set<Path> sources) throws IOException {
        checkOpen();
        Journal journal = staged != null && staged.outputs().size() == outputs.size() ? staged : forceTemps();
        if (unforcedSource != null) {
            sources.add(unforcedSource);
        }
        return journal;
    }

    /**
     * Closes the sink and forces the temps and the temp folder of a claim made for a group
     * commit, in the thread that staged it, so that the forces of many claims overlap and the
     * group commit itself makes only the forces shared by its claims. Forcing early is always
     * safe: it only makes durable what already is the claim's state.
     */
    synchronized void forceStaged() throws IOException {
        checkOpen();
        if (unforcedSource != null) {
            staged = forceTemps();
        }
    }

    private Journal forceTemps() throws IOException {
        closeChannels();
        return protocol.forceTemps(slot, outputs);
    }

    /** @throws IllegalStateException unless the claim is open with something written */
    synchronized void checkPublishable() {
        checkOpen();
        if (outputs.isEmpty()) {
            throw new IllegalStateException("nothing was written for this input: quarantine or release it instead");
        }
    }

    /** The batch holding this claim is decided: the claim has ended, recovery finishes it if need be. */
    synchronized void decided() {
        state = State.DONE;
        unforcedSource = null;
    }

    /** The batch failed before it was decided: gives the input back, adding any failure to {@code failure}. */
    synchronized void releaseAfter(IOException failure) {
        if (state == State.OPEN) {
            rollBack(failure);
        }
    }

    /** @return the claimed input, to read and never to modify */
    public Path file() {
        return file;
    }

    /** @return the input's path relative to the input folder, {@code '/'}-separated; never log it */
    public String relativeName() {
        return relativeName;
    }

    /**
     * @return the sink whose files become visible in {@code out/} only on {@link #publish()};
     *         they are temp files in a hidden folder inside {@code out/} until then. A name
     *         may be used once per claim; names are checked by {@link OutputSink#checkName}.
     */
    public OutputSink sink() {
        return sink;
    }

    /** @return the output names created in the sink so far, in creation order */
    public synchronized Set<String> written() {
        return Set.copyOf(outputs.keySet());
    }

    synchronized List<String> writtenInOrder() {
        return List.copyOf(outputs.keySet());
    }

    private synchronized WritableByteChannel create(String name) throws IOException {
        checkOpen();
        OutputSink.checkName(name);
        if (outputs.containsKey(name)) {
            throw new IllegalArgumentException("output name already used for this input; each output needs its own name");
        }
        Files.createDirectories(slot.tempDir());
        Path temp = slot.tempDir().resolve("t" + outputs.size());
        FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        outputs.put(name, temp);
        channels.add(channel);
        return channel;
    }

    /**
     * Makes every output visible in {@code out/} under its name (or a suffixed name
     * {@code name-1.ext} if the name is taken: nothing is overwritten), then removes the input.
     *
     * @return the final relative names used, in creation order
     * @throws IOException if it fails; before the publish is decided the input is put back
     *         into {@code in/}, after it the work is finished by the next recovery
     * @throws IllegalStateException if nothing was written (an input never just vanishes)
     *         or the claim has ended
     */
    public synchronized List<String> publish() throws IOException {
        checkOpen();
        if (outputs.isEmpty()) {
            throw new IllegalStateException("nothing was written for this input: quarantine or release it instead");
        }
        Journal journal;
        try {
            forceClaim();
            closeChannels();
            journal = protocol.preparePublish(slot, outputs);
        } catch (IOException e) {
            throw rollBack(e);
        }
        state = State.DONE;
        try {
            return protocol.completePublish(slot, journal);
        } finally {
            mover.forget(slot);
        }
    }

    /**
     * Moves the input into the bucket's quarantine folder, keeping its file name (control
     * characters replaced, suffixed on collision), with a sidecar {@code <name>.reason.txt}
     * holding the code, reason, UTC time and SHA-256 (never the input's original path).
     * Outputs written so far are dropped.
     *
     * @param bucket the quarantine bucket
     * @param code a machine-readable code such as {@code csv-missing-column}
     * @param reason words a data manager can act on; never a patient value
     * @return the quarantined file
     * @throws IOException as for {@link #publish()}
     */
    public synchronized Path quarantine(Bucket bucket, String code, String reason) throws IOException {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(reason, "reason");
        checkOpen();
        Journal journal;
        try {
            forceClaim();
            closeChannels();
            journal = protocol.prepareQuarantine(slot, bucket, code, reason, mover.workerId());
        } catch (IOException e) {
            throw rollBack(e);
        }
        state = State.DONE;
        try {
            return protocol.completeQuarantine(slot, journal);
        } finally {
            mover.forget(slot);
        }
    }

    /**
     * Drops any outputs and puts the input back into {@code in/} under its relative path
     * (suffixed if a new file took that name meanwhile).
     *
     * @throws IOException if it fails; the next recovery finishes it
     */
    public synchronized void release() throws IOException {
        checkOpen();
        state = State.DONE;
        try {
            closeChannels();
            forceClaim();
            protocol.release(slot);
        } finally {
            mover.forget(slot);
        }
    }

    /** Releases the claim if it has not ended; does nothing otherwise. */
    @Override
    public synchronized void close() throws IOException {
        if (state == State.OPEN) {
            release();
        }
    }

    private IOException rollBack(IOException failure) {
        state = State.DONE;
        try {
            closeChannels();
            forceClaim();
            protocol.release(slot);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
        mover.forget(slot);
        return failure;
    }

    private void closeChannels() throws IOException {
        IOException first = null;
        for (FileChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        channels.clear();
        if (first != null) {
            throw first;
        }
    }

    private void checkOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("this claim has ended (published, quarantined or released)");
        }
    }
}
