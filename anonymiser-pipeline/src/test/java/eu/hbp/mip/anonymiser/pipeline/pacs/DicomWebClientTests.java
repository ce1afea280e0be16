package eu.hbp.mip.anonymiser.pipeline.pacs;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client against a real HTTP server on loopback (the JDK's), scripted to fail:
 * retries with back-off on 503 and on a body cut short, no retry on 401, bounded
 * attempts, credentials sent, a bad trust store refused with one line.
 */
class DicomWebClientTests {

    HttpServer server;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicReference<String> authorization = new AtomicReference<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/dicom-web");
    }

    DicomWebClient client(PacsAuth auth, int retries) {
        return new DicomWebClient(PacsConnection.of(base(), auth).withRetries(retries, Duration.ofMillis(10)));
    }

    /** Answers the n-th call (1-based) with the given status and body, later calls with 200 and {@code ok}. */
    void script(int failures, int status, byte[] ok, String okType) {
        server.createContext("/dicom-web/", exchange -> {
            int n = calls.incrementAndGet();
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            if (n <= failures) {
                exchange.sendResponseHeaders(status, -1);
            } else {
                exchange.getResponseHeaders().set("Content-Type", okType);
                exchange.sendResponseHeaders(200, ok.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(ok);
                }
            }
            exchange.close();
        });
    }

    @Test
    void retriesServerErrorsWithBackoffThenSucceeds() {
        script(2, 503, ("[{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.2.3\"]},\"00100020\":{\"vr\":\"LO\",\"Value\":[\"P1\"]},"
                + "\"00080020\":{\"vr\":\"DA\",\"Value\":[\"20210315\"]}}]").getBytes(StandardCharsets.UTF_8),
                DicomWebClient.DICOM_JSON);
        List<DicomWebClient.Study> studies = client(new PacsAuth.Bearer("tok-123"), 3).studies(
                new DicomWebClient.Filter(Optional.of("P1"), Optional.empty(), Optional.empty(), Optional.empty()));
        assertEquals(3, calls.get());
        assertEquals(1, studies.size());
        assertEquals("1.2.3", studies.get(0).studyUid());
        assertEquals("2021-03-15", studies.get(0).studyDate().orElseThrow().toString());
        assertEquals("Bearer tok-123", authorization.get());
    }

    @Test
    void givesUpAfterTheBoundedRetries() {
        script(100, 503, new byte[0], "text/plain");
        PacsException e = assertThrows(PacsException.class, () -> client(new PacsAuth.None(), 2).ping());
        assertEquals(3, calls.get(), "one attempt and two retries");
        assertEquals(PacsException.Kind.UNREACHABLE, e.kind());
        assertTrue(e.getMessage().contains("after 3 attempts: server error HTTP 503"), e.getMessage());
    }

    @Test
    void neverRetriesARefusedPassword() {
        script(100, 401, new byte[0], "text/plain");
        PacsException e = assertThrows(PacsException.class,
                () -> client(new PacsAuth.Basic("mip", "s3cret"), 4).ping());
        assertEquals(1, calls.get());
        assertEquals(PacsException.Kind.AUTHENTICATION, e.kind());
        assertFalse(e.getMessage().contains("s3cret"));
        assertEquals("Basic bWlwOnMzY3JldA==", authorization.get());
    }

    @Test
    void retriesAMultipartBodyCutShort(@TempDir Path dir) throws IOException {
        byte[] whole = "--B\r\nContent-Type: application/dicom\r\n\r\nDICOM-BYTES\r\n--B--".getBytes(StandardCharsets.ISO_8859_1);
        byte[] cut = java.util.Arrays.copyOf(whole, 30);
        server.createContext("/dicom-web/", exchange -> {
            byte[] body = calls.incrementAndGet() == 1 ? cut : whole;
            exchange.getResponseHeaders().set("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=\"B\"");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            exchange.close();
        });
        Path target = dir.resolve("x.dcm");
        long n = client(new PacsAuth.None(), 2).retrieveInstance("1.2", "1.2.3", "1.2.3.4", target);
        assertEquals(2, calls.get(), "the truncated answer was retried");
        assertEquals(11, n);
        assertArrayEquals("DICOM-BYTES".getBytes(StandardCharsets.ISO_8859_1), Files.readAllBytes(target));
    }

    @Test
    void refusesAnUnreadableTrustStoreInOneLine(@TempDir Path dir) throws IOException {
        Path bogus = dir.resolve("trust.p12");
        Files.writeString(bogus, "not a key store");
        PacsConnection c = new PacsConnection(URI.create("https://127.0.0.1:1/dicom-web/"), new PacsAuth.None(),
                Optional.of(bogus), new char[0], Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ofMillis(1));
        PacsException e = assertThrows(PacsException.class, () -> new DicomWebClient(c));
        assertTrue(e.getMessage().startsWith("cannot read trust store " + bogus), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void refusesAUidThatIsNotAUid() {
        script(0, 200, "[{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"../../etc\"]}}]".getBytes(StandardCharsets.UTF_8),
                DicomWebClient.DICOM_JSON);
        PacsException e = assertThrows(PacsException.class, () -> client(new PacsAuth.None(), 0).studies(
                new DicomWebClient.Filter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty())));
        assertEquals(PacsException.Kind.PROTOCOL, e.kind());
    }

    void serveStudies(int total, boolean honourOffset) {
        server.createContext("/dicom-web/", exchange -> {
            calls.incrementAndGet();
            String q = exchange.getRequestURI().getRawQuery();
            int offset = honourOffset ? Integer.parseInt(q.replaceAll(".*offset=(\\d+).*", "$1")) : 0;
            int limit = Integer.parseInt(q.replaceAll(".*limit=(\\d+).*", "$1"));
            StringBuilder json = new StringBuilder("[");
            for (int i = offset; i < Math.min(total, offset + limit); i++) {
                json.append(i > offset ? "," : "").append("{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.2.")
                        .append(i).append("\"]}}");
            }
            byte[] body = json.append(']').toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", DicomWebClient.DICOM_JSON);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            exchange.close();
        });
    }

    @Test
    void pagesThroughQidoAnswersWithLimitAndOffset() {
        serveStudies(1_234, true);
        assertEquals(1_234, client(new PacsAuth.None(), 0).studies(new DicomWebClient.Filter(Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty())).size());
        assertEquals(3, calls.get());
    }

    @Test
    void stopsPagingWhenTheServerIgnoresOffset() {
        serveStudies(1_234, false);
        assertEquals(500, client(new PacsAuth.None(), 0).studies(new DicomWebClient.Filter(Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty())).size());
        assertEquals(2, calls.get());
    }

    @Test
    void connectionHidesSecrets() {
        assertFalse(new PacsAuth.Basic("mip", "s3cret").toString().contains("s3cret"));
        assertFalse(new PacsAuth.Bearer("tok-123").toString().contains("tok-123"));
        assertThrows(IllegalArgumentException.class,
                () -> PacsConnection.of(URI.create("http://u:p@host/dicom-web/"), new PacsAuth.None()));
    }
}
