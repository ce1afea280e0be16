package eu.hbp.mip.anonymiser.examples.pacs;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's Orthanc with its DICOMweb plugin, started on 127.0.0.1 with a throwaway
 * configuration and storage folder, basic authentication on, remote access off.
 * {@link #stop()} and {@link #start()} keep the storage, as a restarted server would.
 */
final class OrthancServer implements AutoCloseable {

    static final String USER = "mip";
    static final String PASSWORD = "orthanc-test-secret";
    static final Path BINARY = Path.of("/usr/sbin/Orthanc");
    static final Path PLUGIN = Path.of("/usr/share/orthanc/plugins/libOrthancDicomWeb.so");

    private final Path dir;
    private final int httpPort;
    private final int dicomPort;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    private OrthancServer(Path dir) throws IOException {
        this.dir = dir;
        this.httpPort = freePort();
        this.dicomPort = freePort();
        Files.createDirectories(dir.resolve("storage"));
        Files.createDirectories(dir.resolve("index"));
        String config = """
                {
                  "Name": "MIP-TEST",
                  "HttpPort": %d,
                  "DicomPort": %d,
                  "RemoteAccessAllowed": false,
                  "AuthenticationEnabled": true,
                  "RegisteredUsers": { "%s": "%s" },
                  "StorageDirectory": "%s",
                  "IndexDirectory": "%s",
                  "StorageCompression": false,
                  "SaveJobs": false,
                  "HttpCompressionEnabled": false,
                  "Plugins": [ "%s" ],
                  "DicomWeb": { "Enable": true, "Root": "/dicom-web/", "EnableWado": false }
                }
                """.formatted(httpPort, dicomPort, USER, PASSWORD, dir.resolve("storage"), dir.resolve("index"), PLUGIN);
        Files.writeString(dir.resolve("orthanc.json"), config, StandardCharsets.UTF_8);
    }

    /**
     * Starts Orthanc with its storage in {@code dir}; fails the test if it is not installed.
     */
    static OrthancServer start(Path dir) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY) || !Files.exists(PLUGIN)) {
            fail("Orthanc with its DICOMweb plugin is needed: install orthanc orthanc-dicomweb"
                    + " (apt-get install orthanc orthanc-dicomweb)");
        }
        OrthancServer server = new OrthancServer(dir);
        server.start();
        return server;
    }

    /** (Re)starts the server on the same ports and storage; waits until it answers (at most 30 s). */
    void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return;
        }
        process = new ProcessBuilder(BINARY.toString(), "--logdir=" + dir, dir.resolve("orthanc.json").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("orthanc.out").toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("Orthanc exited with code " + process.exitValue() + " at start; see " + dir.resolve("orthanc.out"));
            }
            try {
                HttpResponse<String> r = http.send(request("system").GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        fail("Orthanc did not answer within 30 s; see " + dir.resolve("orthanc.out"));
    }

    /** Stops the server (as a crash would: no clean-up), keeping its storage. */
    void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** @return the DICOMweb root */
    URI dicomWeb() {
        return URI.create("http://127.0.0.1:" + httpPort + "/dicom-web/");
    }

    /** Stores DICOM files with the REST API ({@code POST /instances}). */
    void upload(List<Path> files) throws IOException, InterruptedException {
        for (Path f : files) {
            HttpResponse<String> r = http.send(request("instances")
                            .header("Content-Type", "application/dicom")
                            .POST(HttpRequest.BodyPublishers.ofFile(f)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                fail("Orthanc refused " + f.getFileName() + ": HTTP " + r.statusCode() + " " + r.body());
            }
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/" + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
