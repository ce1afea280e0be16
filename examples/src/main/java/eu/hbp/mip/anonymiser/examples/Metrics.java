package eu.hbp.mip.anonymiser.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import eu.hbp.mip.anonymiser.pipeline.Pipeline;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code watch}'s service endpoints, through the Prometheus Java client: {@code /metrics} in
 * the Prometheus text format (files by outcome, bytes, quarantines by reason code, pass
 * duration, files waiting) and {@code /health} ({@code 200 ok} while no machine failure has
 * stopped the pipeline, {@code 503} after one). Bound to 127.0.0.1 unless told otherwise; no
 * label ever holds a file name or a patient value (outcomes, formats and reason codes only).
 */
final class Metrics implements Pipeline.Listener, AutoCloseable {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter files = Counter.builder().name("mip_anonymiser_files_total")
            .help("files finished, by outcome and format").labelNames("outcome", "format").register(registry);
    private final Counter bytes = Counter.builder().name("mip_anonymiser_bytes_total")
            .help("bytes of the files finished").register(registry);
    private final Counter quarantined = Counter.builder().name("mip_anonymiser_quarantined_total")
            .help("files quarantined, by reason code").labelNames("code").register(registry);
    private final Histogram passes = Histogram.builder().name("mip_anonymiser_pass_duration_seconds")
            .help("duration of a pass over the inbox").register(registry);
    private final Gauge waiting = Gauge.builder().name("mip_anonymiser_queue_length")
            .help("files waiting at the start of the latest pass").register(registry);
    private final AtomicBoolean healthy = new AtomicBoolean(true);
    private final HttpServer server;

    /**
     * Starts the endpoints.
     *
     * @param bind the address to listen on, such as 127.0.0.1
     * @param port the port; 0 for any free one
     * @throws IOException if the port cannot be bound
     */
    Metrics(String bind, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(bind), port), 16);
        server.createContext("/metrics", this::metrics);
        server.createContext("/health", this::health);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "anonymiser-metrics");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** @return the port listened on */
    int port() {
        return server.getAddress().getPort();
    }

    private void metrics(HttpExchange exchange) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(body, registry.scrape());
        exchange.getResponseHeaders().set("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE);
        answer(exchange, 200, body.toByteArray());
    }

    private void health(HttpExchange exchange) throws IOException {
        boolean ok = healthy.get();
        answer(exchange, ok ? 200 : 503, (ok ? "ok\n" : "machine failure: see the log\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void passStarted(int count, long size) {
        waiting.set(count);
    }

    @Override
    public void passFinished(Duration elapsed) {
        passes.observe(elapsed.toNanos() / 1e9);
    }

    @Override
    public void finished(Pipeline.FileResult r) {
        if (r.kind() == Pipeline.Kind.TAKEN) {
            return;
        }
        files.labelValues(r.kind().name().toLowerCase(java.util.Locale.ROOT),
                r.provider() == null ? "none" : r.provider()).inc();
        bytes.inc(r.bytes());
        if (r.kind() == Pipeline.Kind.QUARANTINED) {
            quarantined.labelValues(r.code()).inc();
        }
    }

    @Override
    public void failure(String message) {
        healthy.set(false);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
