package eu.hbp.mip.anonymiser.pipeline.pacs;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultipartReaderTests {

    /** Hands out at most {@code chunk} bytes per read, so every boundary lands across reads somewhere. */
    static InputStream trickle(byte[] data, int chunk) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    static List<byte[]> parts(InputStream in, String boundary) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (MultipartReader reader = new MultipartReader(in, boundary)) {
            while (reader.next()) {
                out.add(reader.body().readAllBytes());
            }
            assertFalse(reader.next(), "after the closing delimiter there is no part");
        }
        return out;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void readsPartsWithPreambleAndEpilogue() throws IOException {
        byte[] body = ascii("this is a preamble\r\n--XyZ\r\nContent-Type: application/dicom\r\n\r\nfirst"
                + "\r\n--XyZ\r\nContent-Type: application/dicom\r\nContent-Location: /a\r\n\r\nsecond\r\n"
                + "\r\n--XyZ--\r\nthis is an epilogue\r\n--XyZ\r\n\r\nnot a part");
        List<byte[]> parts = parts(new ByteArrayInputStream(body), "XyZ");
        assertEquals(2, parts.size());
        assertArrayEquals(ascii("first"), parts.get(0));
        assertArrayEquals(ascii("second\r\n"), parts.get(1));
    }

    @Test
    void exposesPartHeadersInLowerCase() throws IOException {
        byte[] body = ascii("--b\r\nContent-Type: application/dicom; transfer-syntax=1.2.840.10008.1.2.4.50\r\n\r\nx\r\n--b--");
        try (MultipartReader reader = new MultipartReader(new ByteArrayInputStream(body), "b")) {
            assertTrue(reader.next());
            assertEquals("application/dicom; transfer-syntax=1.2.840.10008.1.2.4.50",
                    reader.headers().get("content-type"));
        }
    }

    @Test
    void findsBoundariesSplitAcrossReads() throws IOException {
        String boundary = "0123456789abcdef-boundary";
        byte[] body = ascii("--" + boundary + "\r\n\r\nAAAA\r\n--" + boundary + "\r\n\r\n\r\n-\r\n--" + boundary
                + "\r\n\r\nBB\r\n--" + boundary + "--");
        for (int chunk = 1; chunk <= 9; chunk++) {
            List<byte[]> parts = parts(trickle(body, chunk), boundary);
            assertEquals(3, parts.size(), "chunk " + chunk);
            assertArrayEquals(ascii("AAAA"), parts.get(0));
            assertArrayEquals(ascii("\r\n-"), parts.get(1));
            assertArrayEquals(ascii("BB"), parts.get(2));
        }
    }

    @Test
    void readsTheBoundaryParameterQuotedOrNot() {
        assertEquals(Optional.of("abc"), MultipartReader.boundaryOf("multipart/related; boundary=abc"));
        assertEquals(Optional.of("a b;c\"d"), MultipartReader.boundaryOf(
                "multipart/related; type=\"application/dicom\"; boundary=\"a b;c\\\"d\""));
        assertEquals(Optional.of("x"), MultipartReader.boundaryOf(
                "Multipart/Related;type=\"application/dicom\";BOUNDARY=x;transfer-syntax=*"));
        assertEquals(Optional.empty(), MultipartReader.boundaryOf("application/dicom"));
        assertEquals(Optional.empty(), MultipartReader.boundaryOf("multipart/related; type=x"));
    }

    @Test
    void refusesATruncatedBody() {
        byte[] body = ascii("--b\r\n\r\nhalf a file");
        IOException e = assertThrows(IOException.class, () -> parts(new ByteArrayInputStream(body), "b"));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void toleratesTransportPaddingAfterADelimiter() throws IOException {
        byte[] body = ascii("--b \t\r\n\r\nx\r\n--b  \r\nA: 1\r\n\r\ny\r\n--b--");
        List<byte[]> parts = parts(new ByteArrayInputStream(body), "b");
        assertEquals(2, parts.size());
        assertArrayEquals(ascii("y"), parts.get(1));
    }

    @Test
    void skipsAnUnreadPartWhenMovingOn() throws IOException {
        byte[] big = new byte[300_000];
        new java.util.Random(1).nextBytes(big);
        byte[] head = ascii("--q\r\n\r\n");
        byte[] tail = ascii("\r\n--q\r\n\r\nsmall\r\n--q--\r\n");
        byte[] body = new byte[head.length + big.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(big, 0, body, head.length, big.length);
        System.arraycopy(tail, 0, body, head.length + big.length, tail.length);
        try (MultipartReader reader = new MultipartReader(trickle(body, 7777), "q")) {
            assertTrue(reader.next());
            assertTrue(reader.next());
            assertArrayEquals(ascii("small"), reader.body().readAllBytes());
            assertFalse(reader.next());
        }
    }
}
