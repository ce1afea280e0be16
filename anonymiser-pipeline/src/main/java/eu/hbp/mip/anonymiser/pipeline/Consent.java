package eu.hbp.mip.anonymiser.pipeline;

import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider;
import eu.hbp.mip.anonymiser.api.spi.Removal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * A consent withdrawal, by pseudonym: the withdrawal is recorded first (so every source stops
 * releasing the patient's files), then the patient's outputs are removed from every target
 * ({@code out/}, {@code pacs/dicoms/}): deleted when the patient is their only subject, or,
 * for an output shared with other patients, handed to the format that wrote it (the provider
 * whose output root is the output's first folder), which rewrites it without the patient's
 * records in bounded memory; the rewritten copy is forced and renamed over the output. Works
 * from the pseudonym alone; never sees the original ID. Not thread-safe.
 *
 * <p>A rewrite killed half-way leaves a hidden {@code .<name>.<uuid>.forget} file beside the
 * output; the next withdrawal removes such leftovers first.
 */
public final class Consent {

    /** The suffix of a rewrite in progress. */
    static final String TEMP_SUFFIX = ".forget";

    /**
     * What a withdrawal did; counts only.
     *
     * @param patients patients withdrawn
     * @param known of those, patients the store had seen
     * @param deleted outputs deleted
     * @param rewritten shared outputs rewritten
     * @param recordsRemoved records left out of the rewritten outputs
     * @param gone outputs recorded but no longer there (forwarded, or never published)
     */
    public record Result(long patients, long known, long deleted, long rewritten, long recordsRemoved, long gone) {
        /** @return the sum of both */
        public Result plus(Result o) {
            return new Result(patients + o.patients, known + o.known, deleted + o.deleted, rewritten + o.rewritten,
                    recordsRemoved + o.recordsRemoved, gone + o.gone);
        }

        /** @return one line for a person */
        public String describe() {
            return (known == patients ? "" : (patients - known) + " never seen (withdrawal recorded for future"
                    + " files), ") + deleted + " output(s) deleted, " + recordsRemoved + " record(s) removed from "
                    + rewritten + " shared output(s), " + gone + " output(s) no longer there (forwarded?)";
        }
    }

    private final Map<String, Path> targets;
    private final PseudonymStore store;
    private final OutputIndex index;
    private final Collection<AnonymiserProvider> providers;

    /**
     * @param layout the site's folders
     * @param store the pseudonym store
     * @param index the output index
     * @param providers the formats, which know how to remove a subject from their outputs
     */
    public Consent(FolderLayout layout, PseudonymStore store, OutputIndex index,
                   Collection<AnonymiserProvider> providers) {
        this.targets = Route.targets(layout);
        this.store = store;
        this.index = index;
        this.providers = providers;
    }

    /**
     * Withdraws one patient.
     *
     * @param pseudonym the patient's pseudonym
     * @param known whether the store had seen the patient (for the report)
     * @return what was done
     * @throws IOException if an output cannot be deleted or rewritten
     */
    public Result withdraw(String pseudonym, boolean known) throws IOException {
        store.withdraw(PseudonymStore.PATIENT, pseudonym);
        store.flush();
        long deleted = 0;
        long rewritten = 0;
        long records = 0;
        long gone = 0;
        for (Map.Entry<OutputIndex.Output, OutputIndex.Entry> e : index.outputsOf(pseudonym).entrySet()) {
            OutputIndex.Output output = e.getKey();
            Path root = targets.get(output.target());
            Path file = root == null ? null : root.resolve(output.name());
            // A provisional row (a crash came between index and publish) may name another input's output:
            // act on it only if the file holds the pseudonym.
            if (file == null || !Files.isRegularFile(file) || !e.getValue().isFinal() && !contains(file, pseudonym)) {
                gone++;
                continue;
            }
            removeLeftovers(file.getParent());
            Removal removal = e.getValue().subjects() > 1 ? removeFromShared(file, output.name(), pseudonym)
                    : Removal.wholeFile();
            if (removal.deleteFile()) {
                Files.delete(file);
                index.removeOutput(output);
                deleted++;
            } else if (removal.records() > 0) {
                rewritten++;
                records += removal.records();
            }
        }
        index.removeSubject(pseudonym);
        return new Result(1, known ? 1 : 0, deleted, rewritten, records, gone);
    }

    private Removal removeFromShared(Path file, String name, String pseudonym) throws IOException {
        String root = name.contains("/") ? name.substring(0, name.indexOf('/')) : "";
        AnonymiserProvider owner = null;
        for (AnonymiserProvider p : providers) {
            if (p.outputRoot().equals(root)) {
                owner = p;
            }
        }
        if (owner == null) {
            return Removal.wholeFile(); // no format claims it: it cannot be separated, so it goes
        }
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + TEMP_SUFFIX);
        try {
            Removal r = owner.removeSubject(file, pseudonym, tmp);
            if (!r.deleteFile() && r.records() > 0) {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return r;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Removes rewrites a killed withdrawal left beside outputs (they hold withdrawn patients' records). */
    private static void removeLeftovers(Path folder) throws IOException {
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(folder, ".*" + TEMP_SUFFIX)) {
            for (Path t : temps) {
                Files.deleteIfExists(t);
            }
        }
    }

    static boolean contains(Path file, String needle) throws IOException {
        MultiPatternSearch.Builder b = new MultiPatternSearch.Builder();
        b.add(needle.getBytes(StandardCharsets.UTF_8));
        MultiPatternSearch.Scan scan = b.build().scan();
        boolean[] found = {false};
        byte[] buf = new byte[1 << 16];
        try (java.io.InputStream in = Files.newInputStream(file)) {
            int n;
            while (!found[0] && (n = in.read(buf)) > 0) {
                scan.feed(buf, 0, n, id -> found[0] = true);
            }
        }
        return found[0];
    }
}
