package eu.hbp.mip.anonymiser.examples;

import eu.hbp.mip.anonymiser.api.PseudonymStore;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.UUID;

/**
 * A consent withdrawal, by pseudonym: the withdrawal is recorded first (so runners stop
 * releasing the patient's files), then the patient's outputs are removed from
 * {@code out/}: deleted when the patient is their only subject, or, for a CSV table
 * shared with other patients, rewritten without the records that carry the pseudonym.
 * Works from the pseudonym alone; never sees the original ID. Not thread-safe.
 */
final class Consent {

    /** What a withdrawal did; counts only. */
    record Result(long patients, long known, long deleted, long rewritten, long rowsRemoved, long gone) {
        Result plus(Result o) {
            return new Result(patients + o.patients, known + o.known, deleted + o.deleted, rewritten + o.rewritten,
                    rowsRemoved + o.rowsRemoved, gone + o.gone);
        }

        String describe() {
            return (known == patients ? "" : (patients - known) + " never seen (withdrawal recorded for future"
                    + " files), ") + deleted + " output(s) deleted, " + rowsRemoved + " row(s) removed from "
                    + rewritten + " shared table(s), " + gone + " output(s) no longer in out/ (forwarded?)";
        }
    }

    private final Path out;
    private final PseudonymStore store;
    private final OutputIndex index;

    Consent(Path out, PseudonymStore store, OutputIndex index) {
        this.out = out;
        this.store = store;
        this.index = index;
    }

    Result withdraw(String pseudonym, boolean known) throws IOException {
        store.withdraw(PseudonymStore.PATIENT, pseudonym);
        store.flush();
        long deleted = 0;
        long rewritten = 0;
        long rows = 0;
        long gone = 0;
        for (Map.Entry<String, OutputIndex.Entry> e : index.outputsOf(pseudonym).entrySet()) {
            Path file = out.resolve(e.getKey());
            // A provisional row (a crash came between index and publish) may name another input's output:
            // act on it only if the file holds the pseudonym.
            if (!Files.isRegularFile(file) || !e.getValue().isFinal() && !contains(file, pseudonym)) {
                gone++;
                continue;
            }
            boolean shared = e.getValue().subjects() > 1;
            if (shared && e.getKey().toLowerCase(java.util.Locale.ROOT).endsWith(".csv")) {
                long removed = removeRecords(file, pseudonym);
                rows += removed;
                rewritten++;
            } else {
                Files.delete(file);
                index.removeOutput(e.getKey());
                deleted++;
            }
        }
        index.removeSubject(pseudonym);
        return new Result(1, known ? 1 : 0, deleted, rewritten, rows, gone);
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

    /**
     * Rewrites a CSV file without the records (RFC 4180: a quoted field may hold line
     * breaks) that contain {@code needle}; the header record is always kept. The new file
     * replaces the old by an atomic rename.
     *
     * @return how many records were removed
     */
    static long removeRecords(Path file, String needle) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        StringBuilder kept = new StringBuilder(text.length());
        long removed = 0;
        int start = 0;
        boolean quoted = false;
        boolean header = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\n' && !quoted) {
                String record = text.substring(start, i + 1);
                if (header || !record.contains(needle)) {
                    kept.append(record);
                } else {
                    removed++;
                }
                header = false;
                start = i + 1;
            }
        }
        if (start < text.length()) {
            String record = text.substring(start);
            if (header || !record.contains(needle)) {
                kept.append(record);
            } else {
                removed++;
            }
        }
        if (removed == 0) {
            return 0;
        }
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (OutputStream o = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW)) {
                o.write(kept.toString().getBytes(StandardCharsets.UTF_8));
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return removed;
    }
}
