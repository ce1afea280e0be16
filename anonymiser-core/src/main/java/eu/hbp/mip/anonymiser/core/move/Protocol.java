package eu.hbp.mip.anonymiser.core.move;

import eu.hbp.mip.anonymiser.api.Bucket;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The durable steps of publishing, quarantining and releasing one claim, shared by the
 * live path and by recovery. Every {@code complete...} method is idempotent: run again
 * after a crash at any step, it finishes the same work without duplicating any file.
 * Stateless apart from its configuration; thread-safe for distinct slots.
 */
final class Protocol {

    /** Longest quarantine file name kept, in UTF-8 bytes (file systems allow 255 with the suffixes). */
    private static final int MAX_NAME_BYTES = 200;
    static final String SIDECAR_SUFFIX = ".reason.txt";

    private final Path in;
    private final Path out;
    private final Function<Bucket, Path> quarantine;
    private final Steps steps;
    private final Clock clock;

    Protocol(Path in, Path out, Function<Bucket, Path> quarantine, Steps steps, Clock clock) {
        this.in = in;
        this.out = out;
        this.quarantine = quarantine;
        this.steps = steps;
        this.clock = clock;
    }

    Steps steps() {
        return steps;
    }

    // ---------------------------------------------------------------- publish

    /**
     * Forces the temp outputs and writes the publish journal: after this returns, the
     * publish is decided and recovery completes it.
     *
     * @param outputs final relative name to temp file, in creation order
     */
    Journal preparePublish(Slot slot, Map<String, Path> outputs) throws IOException {
        Journal journal = forceTemps(slot, outputs);
        steps.reached("publish:temps-forced");
        journal.write(slot.journal());
        steps.reached("publish:journalled");
        return journal;
    }

    /** Links every temp output into {@code out/} without overwriting, then removes the input. */
    /**
     * Forces the temp outputs of one claim and its temp folder.
     *
     * @return the publish journal to write (alone, or in a batch journal)
     */
    Journal forceTemps(Slot slot, Map<String, Path> outputs) throws IOException {
        List<Journal.Output> entries = new ArrayList<>();
        for (Map.Entry<String, Path> output : outputs.entrySet()) {
            Durable.forceFile(output.getValue());
            entries.add(new Journal.Output(output.getValue().getFileName().toString(), output.getKey()));
        }
        Durable.forceDir(slot.tempDir());
        return Journal.publish(entries);
    }

    /**
     * Completes a decided group commit: links the outputs of every claim (forcing each
     * {@code out/} folder once), deletes the temps, inputs and claim folders, forces the worker
     * folder once, then deletes the batch journal. Removing a claim folder {@code c<n>}
     * (durable by the one force of the worker folder) makes its input unreachable, which
     * stands for the per-claim force of the input's folder of the single-file protocol.
     * Idempotent only through recovery: a crash part way is finished claim by claim by
     * {@link #completePublish}, from the batch journal.
     *
     * @return the final relative names of each claim, in creation order
     */
    List<List<String>> completeBatch(List<Slot> slots, List<Journal> journals, List<Path> inputs, Path workerDir,
                                     Path batchJournal) throws IOException {
        List<List<String>> finals = new ArrayList<>();
        Set<Path> folders = new LinkedHashSet<>();
        for (int i = 0; i < slots.size(); i++) {
            finals.add(linkOutputs(slots.get(i), journals.get(i), folders));
        }
        for (Path folder : folders) {
            Durable.forceDir(folder);
        }
        steps.reached("batch:out-synced");
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            Path input = inputs.get(i);
            deleteClaim(slot, journals.get(i), input);
            if (Durable.exists(slot.dir())) {
                Durable.forceDirIfExists(input.getParent()); // the folder stayed: make the delete durable itself
            }
            steps.reached("batch:claim-deleted");
        }
        Durable.forceDir(workerDir);
        steps.reached("batch:claims-synced");
        Files.deleteIfExists(batchJournal);
        steps.reached("batch:done");
        return finals;
    }

    List<String> completePublish(Slot slot, Journal journal) throws IOException {
        Set<Path> folders = new LinkedHashSet<>();
        List<String> finals = linkOutputs(slot, journal, folders);
        for (Path folder : folders) {
            Durable.forceDir(folder);
        }
        steps.reached("publish:out-synced");
        Durable.deleteTree(slot.tempDir());
        steps.reached("publish:temps-deleted");
        deleteInput(slot);
        steps.reached("publish:input-deleted");
        finish(slot);
        steps.reached("publish:done");
        return finals;
    }

    /**
     * Deletes what a published claim of a group commit left, by name (its temps, their folder,
     * its input and the folders above it up to the claim folder), without listing folders;
     * anything unexpected found on the way is deleted by a walk.
     */
    private static void deleteClaim(Slot slot, Journal journal, Path input) throws IOException {
        try {
            for (Journal.Output output : journal.outputs()) {
                Files.deleteIfExists(slot.tempDir().resolve(output.temp()));
            }
            Files.deleteIfExists(slot.tempDir());
            Files.deleteIfExists(input);
            for (Path dir = input.getParent(); dir != null && dir.startsWith(slot.dir()); dir = dir.getParent()) {
                Files.deleteIfExists(dir);
            }
        } catch (java.nio.file.DirectoryNotEmptyException unexpected) {
            Durable.deleteTree(slot.tempDir());
            Durable.deleteTree(slot.dir());
        }
    }

    /** Links each temp output not linked yet into {@code out/}; adds the folders used to {@code folders}. */
    private List<String> linkOutputs(Slot slot, Journal journal, Set<Path> folders) throws IOException {
        List<String> finals = new ArrayList<>();
        for (Journal.Output output : journal.outputs()) {
            Path temp = slot.tempDir().resolve(output.temp());
            Path relative = Path.of(output.name());
            Path folder = Durable.plainFolders(out, relative.getParent());
            String leaf = relative.getFileName().toString();
            String used = leaf;
            if (Durable.exists(temp) && Durable.links(temp) == 1) {
                used = Durable.linkNew(folder, leaf, temp);
                steps.reached("publish:linked");
            }
            folders.add(folder);
            finals.add(relative.getParent() == null ? used : parentName(output.name()) + "/" + used);
        }
        return finals;
    }

    private static String parentName(String name) {
        return name.substring(0, name.lastIndexOf('/'));
    }

    // ------------------------------------------------------------- quarantine

    /**
     * Writes the sidecar, drops any outputs and journals the quarantine: after this
     * returns, the quarantine is decided and recovery completes it.
     */
    Journal prepareQuarantine(Slot slot, Bucket bucket, String code, String reason, String worker)
            throws IOException {
        Path input = slot.input().orElseThrow(() -> new IllegalStateException("the claimed input is gone"));
        long links = Durable.links(input);
        String name = quarantineName(input.getFileName().toString());
        Files.writeString(slot.sidecar(), sidecar(input, bucket, code, reason, worker), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        // A quarantined original still holds patient data: owner only, whatever the umask.
        Durable.ownerOnly(slot.sidecar());
        Durable.ownerOnly(input);
        Durable.forceFile(slot.sidecar());
        // Its entry in the claim folder is made durable by the journal's force of that same folder,
        // before anything visible happens; until then a crash rolls the claim back.
        steps.reached("quarantine:sidecar-written");
        Durable.deleteTree(slot.tempDir());
        steps.reached("quarantine:temps-deleted");
        Journal journal = Journal.quarantine(bucket.folder(), links, name);
        journal.write(slot.journal());
        steps.reached("quarantine:journalled");
        return journal;
    }

    /** Links the input and its sidecar into the bucket without overwriting, then removes the input. */
    Path completeQuarantine(Slot slot, Journal journal) throws IOException {
        Path folder = quarantine.apply(Bucket.of(journal.bucket().toLowerCase(java.util.Locale.ROOT)));
        Files.createDirectories(folder);
        Optional<Path> input = slot.input();
        String used = null;
        if (input.isPresent()) {
            if (Durable.links(input.get()) > journal.links()) {
                used = find(folder, journal.name(), input.get());
            } else {
                used = linkPair(folder, journal.name(), input.get());
                Durable.forceDir(folder);
                steps.reached("quarantine:input-linked");
            }
        }
        String base = used == null ? journal.name() : used;
        Path sidecar = slot.sidecar();
        if (Durable.exists(sidecar)) {
            if (Durable.links(sidecar) == 1) {
                Durable.linkNew(folder, base + SIDECAR_SUFFIX, sidecar);
                Durable.forceDir(folder);
                steps.reached("quarantine:sidecar-linked");
            }
            Files.deleteIfExists(sidecar);
        }
        deleteInput(slot);
        steps.reached("quarantine:input-deleted");
        finish(slot);
        steps.reached("quarantine:done");
        return folder.resolve(base);
    }

    /**
     * Links the input under the first suffixed name whose sidecar name is free too. A
     * quarantined input never takes a name ending in {@value #SIDECAR_SUFFIX} (an input called
     * {@code x.reason.txt} becomes {@code x.reason-1.txt}), so a sidecar's name can only ever
     * be taken by the sidecar of the same quarantined file, even when recovery links it late.
     */
    private static String linkPair(Path folder, String name, Path input) throws IOException {
        for (int k = 0; k < 100_000; k++) {
            String candidate = Durable.suffixed(name, k);
            if (candidate.endsWith(SIDECAR_SUFFIX)
                    || Durable.exists(folder.resolve(candidate + SIDECAR_SUFFIX))) {
                continue;
            }
            try {
                Files.createLink(folder.resolve(candidate), input);
                return candidate;
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                // try the next suffix
            }
        }
        throw new IOException("no free name in the quarantine folder " + folder + "; clear old files from it");
    }

    /** @return the suffixed name under which {@code input} is already linked in {@code folder}, or null */
    private static String find(Path folder, String name, Path input) throws IOException {
        for (int k = 0; k < 100_000; k++) {
            String suffixed = Durable.suffixed(name, k);
            if (suffixed.endsWith(SIDECAR_SUFFIX)) {
                continue;       // never used for an input: see linkPair
            }
            Path candidate = folder.resolve(suffixed);
            if (!Durable.exists(candidate)) {
                if (Durable.exists(folder.resolve(suffixed + SIDECAR_SUFFIX))) {
                    continue;   // linkPair passed over this name because its sidecar name was taken
                }
                return null;
            }
            if (Files.isSameFile(candidate, input)) {
                return candidate.getFileName().toString();
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- release

    /** Drops any outputs and puts the input back into {@code in/} (journalled). */
    void release(Slot slot) throws IOException {
        Durable.deleteTree(slot.tempDir());
        steps.reached("release:temps-deleted");
        Optional<Path> input = slot.input();
        if (input.isEmpty()) {
            finish(slot);
            return;
        }
        Journal journal = Journal.release(Durable.links(input.get()));
        journal.write(slot.journal());
        steps.reached("release:journalled");
        completeRelease(slot, journal);
    }

    /** Links the input back under its relative path in {@code in/} (suffixed if taken), then unlinks it. */
    void completeRelease(Slot slot, Journal journal) throws IOException {
        Optional<Path> input = slot.input();
        if (input.isPresent() && Durable.links(input.get()) <= journal.links()) {
            Path relative = slot.inputRoot().relativize(input.get());
            Path folder;
            try {
                folder = Durable.plainFolders(in, relative.getParent());
            } catch (Durable.NotPlainFolderException replaced) {
                folder = in; // a folder on the way became a link or a file: put it back at the top
            }
            Durable.linkNew(folder, relative.getFileName().toString(), input.get());
            Durable.forceDir(folder);
            steps.reached("release:linked");
        }
        deleteInput(slot);
        steps.reached("release:input-deleted");
        finish(slot);
        steps.reached("release:done");
    }

    /** Rolls back a claim that has no complete journal: its outputs go, its input goes back. */
    void rollback(Slot slot) throws IOException {
        release(slot);
    }

    // ----------------------------------------------------------------- shared

    private static void deleteInput(Slot slot) throws IOException {
        Optional<Path> input = slot.input();
        if (input.isPresent()) {
            Files.deleteIfExists(input.get());
            Durable.forceDirIfExists(input.get().getParent());
        }
    }

    /** Removes the journal, then what is left of the slot and its temp folder. */
    private static void finish(Slot slot) throws IOException {
        Durable.deleteTree(slot.tempDir());
        Files.deleteIfExists(slot.journal());
        Durable.deleteTree(slot.dir());
    }

    /**
     * The file name kept in quarantine: control and invisible format characters become
     * {@code '_'}, a leading dot becomes {@code '_'} (so it is not hidden), and a very long
     * name is shortened keeping its extension.
     */
    static String quarantineName(String fileName) {
        StringBuilder name = new StringBuilder();
        fileName.codePoints().forEach(cp -> name.appendCodePoint(Names.unsafe(cp) ? '_' : cp));
        if (name.length() == 0 || name.charAt(0) == '.') {
            name.insert(0, '_');
        }
        String text = name.toString();
        while (text.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            int dot = text.lastIndexOf('.');
            String ext = dot > 0 && text.length() - dot <= 16 ? text.substring(dot) : "";
            String stem = text.substring(0, text.length() - ext.length());
            text = stem.substring(0, stem.offsetByCodePoints(stem.length(), -1)) + ext;
        }
        return text;
    }

    private String sidecar(Path input, Bucket bucket, String code, String reason, String worker)
            throws IOException {
        String digest;
        String size;
        if (Files.isRegularFile(input, LinkOption.NOFOLLOW_LINKS)) {
            digest = sha256(input);
            size = Long.toString(Files.size(input));
        } else {
            digest = "not computed: the input is not a regular file (a symbolic link or a special file), "
                    + "so it was not read";
            size = "not computed";
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        return "MIP Anonymiser quarantine record\n"
                + "code: " + oneLine(code) + "\n"
                + "reason: " + oneLine(reason) + "\n"
                + "bucket: " + bucket.folder() + "\n"
                + "quarantined-at: " + now + "\n"
                + "sha256: " + digest + "\n"
                + "size-bytes: " + size + "\n"
                + "worker: " + worker + "\n"
                + "next: fix what the reason names (or report the code to the anonymiser's maintainers), then move"
                + " the file back into the input folder to process it again, and delete this record.\n";
    }

    private static String oneLine(String text) {
        StringBuilder line = new StringBuilder();
        text.codePoints().limit(4000).forEach(cp -> line.appendCodePoint(Names.unsafe(cp) ? ' ' : cp));
        return line.toString().strip();
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        byte[] buffer = new byte[64 * 1024];
        try (InputStream stream = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            for (int n; (n = stream.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
