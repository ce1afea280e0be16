package eu.hbp.mip.anonymiser.csv;

import eu.hbp.mip.anonymiser.api.spi.Removal;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.Objects;

/**
 * Removes one patient's records from a published CSV output (a consent withdrawal), as
 * {@link CsvAnonymiserProvider#removeSubject} promises: the output is read with the
 * dialect the anonymiser writes ({@link CsvAnonymiser#OUTPUT}), and every record but the
 * header that holds the patient's pseudonym as an exact field value is left out.
 *
 * <p>Kept records are copied as the characters they were, not printed again: a second
 * reader follows the parser by the records' character positions, so quoting, bare numbers
 * and empty cells, embedded line breaks and the CRLF record separator stay byte for byte
 * what the anonymiser wrote. Memory is bounded by the longest record (the parser's own
 * need), whatever the table's size. The copy is created only when a first record is
 * removed, so an output that does not hold the patient is never copied.
 *
 * <p>Stateless; every call is independent, so it is safe for use by many threads.
 */
final class SubjectRemoval {

    private static final int BUFFER = 1 << 16;

    private SubjectRemoval() {
    }

    /**
     * @param output the published output, read-only
     * @param subject the patient's pseudonym
     * @param rewriteTo the copy to create ({@code CREATE_NEW}) when a record is removed
     * @return how many records were left out; {@code records(0)} with nothing written when none
     * @throws IOException if the output cannot be read or is not a CSV table as the anonymiser
     *         writes it, or the copy cannot be written; a partial copy is deleted
     */
    static Removal remove(Path output, String subject, Path rewriteTo) throws IOException {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(rewriteTo, "rewriteTo");
        Writer out = null;
        boolean done = false;
        try (Reader parsed = reader(output);
             CSVParser parser = CsvAnonymiser.OUTPUT.parse(parsed);
             Reader raw = reader(output)) {
            Iterator<CSVRecord> it = parser.iterator();
            long rawAt = 0;          // characters of raw consumed, copied or skipped
            boolean dropping = false; // whether the record that starts at rawAt is left out
            long removed = 0;
            boolean header = true;
            while (true) {
                CSVRecord rec = next(it, parser, output);
                if (rec == null) {
                    break;
                }
                long start = rec.getCharacterPosition();
                if (dropping) {
                    skip(raw, start - rawAt, output);
                    rawAt = start;
                    dropping = false;
                }
                if (!header && holds(rec, subject)) {
                    if (out == null) {
                        out = writer(rewriteTo);
                    }
                    copy(raw, out, start - rawAt, output);
                    rawAt = start;
                    dropping = true;
                    removed++;
                }
                header = false;
            }
            if (out != null) {
                if (!dropping) {
                    copy(raw, out, Long.MAX_VALUE, output);
                }
                out.close();
            }
            done = true;
            return Removal.records(removed);
        } finally {
            if (out != null && !done) {
                try {
                    out.close();
                } catch (IOException e) {
                    // the copy is deleted below; the first failure is the one reported
                }
                Files.deleteIfExists(rewriteTo);
            }
        }
    }

    private static boolean holds(CSVRecord rec, String subject) {
        for (String field : rec) {
            if (subject.equals(field)) { // an unquoted empty field reads as null in this dialect
                return true;
            }
        }
        return false;
    }

    /** @return the next record, or null at the end; a parse failure names the line, never the text */
    private static CSVRecord next(Iterator<CSVRecord> it, CSVParser parser, Path output) throws IOException {
        try {
            return it.hasNext() ? it.next() : null;
        } catch (UncheckedIOException e) {
            IOException cause = e.getCause();
            if (cause instanceof CSVException || cause instanceof CharacterCodingException) {
                // the parser's own message may quote the text: not passed on
                throw new IOException("output " + output + " is not a CSV table as the csv anonymiser writes it"
                        + " (UTF-8 RFC 4180), near line " + parser.getCurrentLineNumber()
                        + "; was it edited by hand? Restore it from a backup, or delete it", null);
            }
            throw cause;
        }
    }

    /** Copies up to {@code n} characters (to the end of input for {@code Long.MAX_VALUE}). */
    private static void copy(Reader raw, Writer out, long n, Path output) throws IOException {
        char[] buf = new char[(int) Math.min(BUFFER, Math.max(n, 1))];
        long left = n;
        while (left > 0) {
            int r = raw.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                if (n == Long.MAX_VALUE) {
                    return;
                }
                throw changed(output);
            }
            out.write(buf, 0, r);
            left -= r;
        }
    }

    private static void skip(Reader raw, long n, Path output) throws IOException {
        long left = n;
        while (left > 0) {
            long s = raw.skip(left);
            if (s <= 0) {
                if (raw.read() < 0) {
                    throw changed(output);
                }
                s = 1;
            }
            left -= s;
        }
    }

    private static IOException changed(Path output) {
        return new IOException("output " + output + " ended early on its second read; was it changed while a"
                + " subject was being removed? Run forget again");
    }

    private static Reader reader(Path file) throws IOException {
        return new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    private static Writer writer(Path file) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), StandardCharsets.UTF_8), BUFFER);
    }
}
