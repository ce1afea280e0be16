package eu.hbp.mip.anonymiser.pipeline.pacs;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A streaming reader of a {@code multipart/related} (RFC 2046, RFC 2387) body, as a
 * WADO-RS server answers: each part is handed out as an {@link InputStream} that ends
 * at the part's delimiter, so a part of any size passes through a fixed buffer and is
 * never held in memory.
 *
 * <p>The preamble before the first delimiter and the epilogue after the closing one are
 * skipped; transport padding after a delimiter is allowed; a body that ends before the
 * closing delimiter is an {@link IOException} (a truncated download never looks complete).
 * Part headers are bounded ({@value #MAX_HEADER_BYTES} bytes per part).
 *
 * <p>Not thread-safe: one reader per response, used by one thread.
 *
 * <pre>{@code
 * try (MultipartReader parts = new MultipartReader(body, MultipartReader.boundaryOf(contentType).orElseThrow())) {
 *     while (parts.next()) {
 *         Files.copy(parts.body(), target);
 *     }
 * }
 * }</pre>
 */
final class MultipartReader implements Closeable {

    static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buf;
    private int pos;
    private int limit;
    private boolean eof;
    /** True after the closing delimiter. */
    private boolean finished;
    /** True when the current body has reached its delimiter. */
    private boolean bodyEnded;
    private Map<String, String> headers = Map.of();
    private final InputStream body = new PartStream();

    /**
     * @param in the response body; closed by {@link #close()}
     * @param boundary the boundary parameter of the content type, unquoted
     */
    MultipartReader(InputStream in, String boundary) {
        if (boundary == null || boundary.isEmpty() || boundary.length() > 200) {
            throw new IllegalArgumentException("multipart boundary must be 1 to 200 characters");
        }
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buf = new byte[Math.max(BUFFER, delimiter.length * 4)];
        // A delimiter at the very start has no CRLF before it: pretend the body starts with one,
        // and treat the preamble as the body of a part that is never handed out.
        buf[0] = '\r';
        buf[1] = '\n';
        limit = 2;
        bodyEnded = false;
    }

    /**
     * Reads the boundary parameter of a {@code multipart/...} content type, quoted or not.
     *
     * @param contentType the Content-Type header value
     * @return the boundary, if the type is multipart and names one
     */
    static Optional<String> boundaryOf(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String[] typeAndParams = contentType.split(";", 2);
        if (!typeAndParams[0].trim().toLowerCase(Locale.ROOT).startsWith("multipart/") || typeAndParams.length < 2) {
            return Optional.empty();
        }
        return Optional.ofNullable(parameters(typeAndParams[1]).get("boundary"));
    }

    /**
     * @param params the part of a content type after its first {@code ;}
     * @return parameter names (lower case) to values, quotes and escapes removed
     */
    static Map<String, String> parameters(String params) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = params.length();
        while (i < n) {
            while (i < n && (params.charAt(i) == ';' || Character.isWhitespace(params.charAt(i)))) {
                i++;
            }
            int nameStart = i;
            while (i < n && params.charAt(i) != '=' && params.charAt(i) != ';') {
                i++;
            }
            String name = params.substring(nameStart, i).trim().toLowerCase(Locale.ROOT);
            if (i >= n || params.charAt(i) == ';') {
                continue;
            }
            i++; // '='
            StringBuilder value = new StringBuilder();
            if (i < n && params.charAt(i) == '"') {
                i++;
                while (i < n && params.charAt(i) != '"') {
                    char c = params.charAt(i++);
                    if (c == '\\' && i < n) {
                        c = params.charAt(i++);
                    }
                    value.append(c);
                }
                i++; // closing quote
                while (i < n && params.charAt(i) != ';') {
                    i++;
                }
            } else {
                int start = i;
                while (i < n && params.charAt(i) != ';') {
                    i++;
                }
                value.append(params, start, i);
            }
            if (!name.isEmpty()) {
                out.putIfAbsent(name, value.toString().trim());
            }
        }
        return out;
    }

    /**
     * Moves to the next part, skipping whatever is left of the current one (or the preamble).
     *
     * @return true if there is a part; false after the closing delimiter
     * @throws IOException if the stream fails or ends before the closing delimiter
     */
    boolean next() throws IOException {
        if (finished) {
            return false;
        }
        body.skip(Long.MAX_VALUE);
        while (!bodyEnded) {
            body.skip(Long.MAX_VALUE);
        }
        // pos is at the delimiter
        pos += delimiter.length;
        if (!ensure(2)) {
            throw new IOException("multipart body ends inside a delimiter: the download is truncated");
        }
        if (buf[pos] == '-' && buf[pos + 1] == '-') {
            finished = true;
            headers = Map.of();
            return false;
        }
        // transport padding, then CRLF (a bare LF is tolerated)
        while (true) {
            if (!ensure(1)) {
                throw new IOException("multipart body ends after a delimiter: the download is truncated");
            }
            byte b = buf[pos];
            if (b == ' ' || b == '\t') {
                pos++;
            } else {
                break;
            }
        }
        if (buf[pos] == '\r') {
            pos++;
            if (!ensure(1) || buf[pos] != '\n') {
                throw new IOException("multipart delimiter line is not ended by CRLF");
            }
        } else if (buf[pos] != '\n') {
            throw new IOException("multipart delimiter is followed by unexpected bytes (wrong boundary?)");
        }
        pos++;
        headers = readHeaders();
        bodyEnded = false;
        return true;
    }

    /** @return the current part's headers, names in lower case; empty before {@link #next()} */
    Map<String, String> headers() {
        return headers;
    }

    /**
     * @return the current part's body; it ends (returns -1) at the part's delimiter.
     *         Closing it does nothing.
     */
    InputStream body() {
        return body;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private Map<String, String> readHeaders() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        int total = 0;
        while (true) {
            int lineEnd = findLineEnd();
            int len = lineEnd - pos;
            total += len + 1;
            if (total > MAX_HEADER_BYTES) {
                throw new IOException("multipart part headers exceed " + MAX_HEADER_BYTES + " bytes");
            }
            int contentEnd = lineEnd > pos && buf[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            String line = new String(buf, pos, contentEnd - pos, StandardCharsets.ISO_8859_1);
            pos = lineEnd + 1;
            if (line.isEmpty()) {
                return out;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                out.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
    }

    /** @return the index of the next LF at or after pos, filling as needed */
    private int findLineEnd() throws IOException {
        int from = pos;
        while (true) {
            for (int i = from; i < limit; i++) {
                if (buf[i] == '\n') {
                    return i;
                }
            }
            from = limit - pos;
            if (!fill()) {
                throw new IOException("multipart body ends inside part headers: the download is truncated");
            }
            from += pos;
            if (limit - pos >= buf.length) {
                throw new IOException("multipart header line longer than " + buf.length + " bytes");
            }
        }
    }

    /** @return whether at least n bytes are buffered at pos */
    private boolean ensure(int n) throws IOException {
        while (limit - pos < n) {
            if (!fill()) {
                return false;
            }
        }
        return true;
    }

    /** Compacts and reads more; @return false at end of stream. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            return true;
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
            return false;
        }
        limit += n;
        return true;
    }

    /** @return the index of the delimiter in buf[pos, limit), or -1 */
    private int findDelimiter() {
        byte first = delimiter[0];
        int last = limit - delimiter.length;
        outer:
        for (int i = pos; i <= last; i++) {
            if (buf[i] != first) {
                continue;
            }
            for (int j = 1; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private final class PartStream extends InputStream {

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int available = available0();
            if (available < 0) {
                return -1;
            }
            int n = Math.min(len, available);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = 0;
            while (skipped < n) {
                int available = available0();
                if (available < 0) {
                    break;
                }
                int step = (int) Math.min(n - skipped, available);
                pos += step;
                skipped += step;
            }
            return skipped;
        }

        /** @return bytes of body that may be handed out now (> 0), or -1 at the delimiter */
        private int available0() throws IOException {
            if (bodyEnded || finished) {
                return -1;
            }
            while (true) {
                int at = findDelimiter();
                if (at == pos) {
                    bodyEnded = true;
                    return -1;
                }
                if (at > pos) {
                    return at - pos;
                }
                int safe = limit - delimiter.length + 1 - pos;
                if (safe > 0) {
                    return safe;
                }
                if (!fill()) {
                    throw new IOException("multipart body ends before its closing delimiter: the download is truncated");
                }
            }
        }

        @Override
        public void close() {
            // the reader owns the stream
        }
    }
}
