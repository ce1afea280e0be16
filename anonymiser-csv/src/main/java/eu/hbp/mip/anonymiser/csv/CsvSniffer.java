package eu.hbp.mip.anonymiser.csv;

import eu.hbp.mip.anonymiser.api.spi.Recognition;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Recognises delimited text tables from a file's first bytes. Text means: no NUL byte,
 * no control character but tab, CR, LF and form feed, and either valid UTF-8 (a
 * sequence cut at the end of the sample is fine) or plausibly Latin-1; its first line
 * must hold a separator ({@code , ; tab |}). Then the file is {@code BY_CONTENT} when at
 * least three complete records all have the same number of fields (two or more), else
 * {@code BY_NAME} when named {@code *.csv}, {@code *.tsv} or {@code *.txt}, else {@code NO}.
 */
final class CsvSniffer {

    private static final String SEPARATORS = ",;\t|";
    private static final int MIN_RECORDS = 3;

    private CsvSniffer() {
    }

    static Recognition recognise(String fileName, ByteBuffer head) {
        ByteBuffer bytes = head.duplicate();
        int n = bytes.remaining();
        if (n == 0) {
            return Recognition.NO;
        }
        byte[] b = new byte[n];
        bytes.get(b);
        int start = 0;
        if (n >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
            start = 3;
        }
        if (n - start >= 4 && b[start] == '%' && b[start + 1] == 'P' && b[start + 2] == 'D' && b[start + 3] == 'F') {
            return Recognition.NO;
        }
        for (int i = start; i < n; i++) {
            int c = b[i] & 0xFF;
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' || c == 0x7F) {
                return Recognition.NO;
            }
        }
        String text = utf8(b, start);
        if (text == null) {
            text = new String(b, start, n - start, StandardCharsets.ISO_8859_1);
        }
        if (text.isBlank()) {
            return Recognition.NO;
        }
        int eol = text.indexOf('\n');
        String firstLine = eol < 0 ? text : text.substring(0, eol);
        char separator = 0;
        int most = 0;
        for (char s : SEPARATORS.toCharArray()) {
            int count = count(firstLine, s);
            if (count > most) {
                most = count;
                separator = s;
            }
        }
        if (separator == 0) {
            return Recognition.NO;
        }
        if (table(text, separator)) {
            return Recognition.BY_CONTENT;
        }
        String lower = fileName.toLowerCase(Locale.ROOT);
        return lower.endsWith(".csv") || lower.endsWith(".tsv") || lower.endsWith(".txt")
                ? Recognition.BY_NAME : Recognition.NO;
    }

    /** @return whether the complete lines of {@code text} read as a table of at least three even records */
    private static boolean table(String text, char separator) {
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return false;
        }
        String complete = text.substring(0, end + 1);
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(separator).get();
        int records = 0;
        int width = -1;
        try (CSVParser parser = format.parse(new StringReader(complete))) {
            for (CSVRecord r : parser) {
                if (width < 0) {
                    width = r.size();
                } else if (r.size() != width) {
                    return false;
                }
                records++;
            }
        } catch (IOException | UncheckedIOException e) {
            // a quoted field cut by the sample end reads as an unclosed quote
            return records >= MIN_RECORDS && width >= 2;
        }
        return records >= MIN_RECORDS && width >= 2;
    }

    private static int count(String line, char separator) {
        int count = 0;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                count++;
            }
        }
        return count;
    }

    /** @return the text if the bytes are UTF-8 (allowing a sequence cut at the end), else null */
    private static String utf8(byte[] b, int start) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b, start, b.length - start);
        CharBuffer out = CharBuffer.allocate(b.length);
        CoderResult result = decoder.decode(in, out, false);
        if (result.isError() || in.remaining() > 3) {
            return null;
        }
        out.flip();
        return out.toString();
    }
}
