package eu.hbp.mip.anonymiser.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code watch} as a service, in a child process as systemd runs it: SIGTERM finishes the files
 * in hand, prints the summary and exits 0; what holds patient data is owner-only.
 */
class WatchServiceJarTests {

    @Test
    void sigtermFinishesPrintsTheSummaryAndExits0WithPrivateFolders(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("site");
        RunnerProcess.Result init = RunnerProcess.run(Duration.ofSeconds(60), true, "init", "--data", data.toString());
        assertEquals(0, init.exit(), init::toString);
        for (String folder : new String[] {"db", "quarantine", "pacs/download", "quarantine/unknown"}) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(folder))),
                    folder + " must be owner-only");
        }

        Path logs = tmp.resolve("logs");
        Process watch = RunnerProcess.start(logs, true, "watch", "--data", data.toString(), "--poll", "200ms",
                "--quiet-period", "0", "--progress", "none", "--metrics-port", "0");
        Cli.txt(data.resolve("in"), "1.txt", "HOSP-1", "1", "x");
        Cli.txt(data.resolve("in"), "2.txt", "HOSP-2", "2", "REJECT");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (Cli.files(data.resolve("quarantine/unknown")).size() < 2 || Cli.files(data.resolve("out")).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "watch did not process the files in 60 s");
            assertTrue(watch.isAlive(), "watch stopped by itself");
            Thread.sleep(100);
        }
        String endpoint = null;
        while (endpoint == null) {
            assertTrue(System.nanoTime() < deadline, "watch printed no metrics address");
            try (var files = Files.list(logs)) {
                Path err = files.filter(p -> p.toString().endsWith(".err")).findFirst().orElseThrow();
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("metrics: (http://127\\.0\\.0\\.1:\\d+)/metrics")
                        .matcher(Files.readString(err));
                endpoint = m.find() ? m.group(1) : null;
            }
            Thread.sleep(50);
        }
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        java.net.http.HttpResponse<String> metrics = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(endpoint + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("mip_anonymiser_files_total{format=\"txt\",outcome=\"anonymised\"} 1"),
                metrics.body());
        assertTrue(metrics.body().contains("mip_anonymiser_quarantined_total{code=\"txt-rejected\"} 1"),
                metrics.body());
        assertTrue(metrics.body().contains("mip_anonymiser_pass_duration_seconds"), metrics.body());
        java.net.http.HttpResponse<String> health = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(endpoint + "/health")).timeout(Duration.ofSeconds(10)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());

        watch.destroy(); // SIGTERM
        assertTrue(watch.waitFor(60, TimeUnit.SECONDS), "watch did not stop on SIGTERM");
        String out;
        try (var files = Files.list(logs)) {
            Path log = files.filter(p -> p.toString().endsWith(".out")).findFirst().orElseThrow();
            out = Files.readString(log, StandardCharsets.UTF_8);
        }
        assertEquals(0, watch.exitValue(), "SIGTERM is a normal stop (systemd): " + out);
        assertTrue(out.contains("files: 2"), "the summary is printed: " + out);
        Path quarantined = data.resolve("quarantine/unknown/2.txt");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(quarantined)),
                "a quarantined original still holds patient data");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                data.resolve("quarantine/unknown/2.txt.reason.txt"))));
    }
}
