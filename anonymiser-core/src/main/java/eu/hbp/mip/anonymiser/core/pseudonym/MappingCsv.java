package eu.hbp.mip.anonymiser.core.pseudonym;

import eu.hbp.mip.anonymiser.api.Mapping;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.api.StoreException;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes the whole mapping of a store as CSV, for the hospital's own
 * re-identification: RFC 4180, UTF-8, header
 * {@code domain,value,pseudonym,first_seen} ({@code first_seen} in ISO-8601 UTC),
 * rows ordered as {@link PseudonymStore#export} gives them. Fields holding a comma,
 * quote, CR or LF, or starting or ending with a space, are quoted. Values are
 * written exactly as stored (no spreadsheet escaping), so the file re-identifies
 * faithfully: open it with a CSV reader, not a spreadsheet's formula parser.
 *
 * <p>The file holds patient identifiers: {@link #write(PseudonymStore, Path)}
 * creates it readable by the owner only, writing a temporary file beside it and
 * renaming it into place, so no partial export is ever visible. Stateless.
 *
 * <pre>{@code
 * long rows = MappingCsv.write(store, Path.of("/secure/mapping-2026-11.csv"));
 * }</pre>
 */
public final class MappingCsv {

    /** The header line (without its line break). */
    public static final String HEADER = "domain,value,pseudonym,first_seen";

    private MappingCsv() {
    }

    /**
     * Exports to {@code target}, replacing it if present.
     *
     * @return the number of mappings written
     * @throws StoreException if the file cannot be written (naming it) or the store fails
     */
    public static long write(PseudonymStore store, Path target) {
        return write(store, target, m -> true);
    }

    /**
     * Exports the mappings {@code filter} accepts to {@code target}, replacing it if present.
     *
     * @param filter which mappings to write, such as one domain
     * @return the number of mappings written
     * @throws StoreException if the file cannot be written (naming it) or the store fails
     */
    public static long write(PseudonymStore store, Path target, java.util.function.Predicate<Mapping> filter) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(filter, "filter");
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
                    SiteKey.ownerOnly(dir, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
            long rows;
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                 Writer w = new BufferedWriter(Channels.newWriter(ch, StandardCharsets.UTF_8), 1 << 16)) {
                rows = write(store, w, filter);
                w.flush();
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            return rows;
        } catch (IOException | UncheckedIOException e) {
            throw new StoreException("cannot write the mapping export " + target + " (" + e.getClass().getSimpleName()
                    + "): check that its folder exists and is writable by this user", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file is owner-only
                }
            }
        }
    }

    /**
     * Exports to {@code out} (not closed).
     *
     * @return the number of mappings written
     * @throws IOException if writing fails
     */
    public static long write(PseudonymStore store, Writer out) throws IOException {
        return write(store, out, m -> true);
    }

    /**
     * Exports the mappings {@code filter} accepts to {@code out} (not closed).
     *
     * @return the number of mappings written
     * @throws IOException if writing fails
     */
    public static long write(PseudonymStore store, Writer out, java.util.function.Predicate<Mapping> filter)
            throws IOException {
        out.write(HEADER);
        out.write("\r\n");
        AtomicLong rows = new AtomicLong();
        try {
            store.export(m -> {
                if (!filter.test(m)) {
                    return;
                }
                try {
                    out.write(field(m.domain()));
                    out.write(',');
                    out.write(field(m.value()));
                    out.write(',');
                    out.write(field(m.pseudonym()));
                    out.write(',');
                    out.write(m.firstSeen().toString());
                    out.write("\r\n");
                    rows.incrementAndGet();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return rows.get();
    }

    /** @return {@code s} quoted per RFC 4180 when needed */
    static String field(String s) {
        boolean quote = !s.isEmpty() && (s.charAt(0) == ' ' || s.charAt(s.length() - 1) == ' ');
        for (int i = 0; i < s.length() && !quote; i++) {
            char c = s.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
