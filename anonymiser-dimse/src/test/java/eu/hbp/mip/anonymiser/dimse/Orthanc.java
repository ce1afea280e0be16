package eu.hbp.mip.anonymiser.dimse;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Orthanc on 127.0.0.1 as a DIMSE PACS: AE title {@value #AET}, a throwaway storage,
 * one known modality (our AE title at a fixed loopback port) it may C-MOVE to. Uploads go
 * through its REST API.
 */
public final class Orthanc implements AutoCloseable {

    public static final String AET = "ORTHANC_T";
    public static final Path BINARY = Path.of("/usr/sbin/Orthanc");

    private final Path dir;
    private final int httpPort;
    private final int dicomPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Process process;

    public Orthanc(Path dir, String ourAe, int ourPort) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError("Orthanc is needed: apt-get install orthanc");
        }
        this.dir = dir;
        this.httpPort = freePort();
        this.dicomPort = freePort();
        Files.createDirectories(dir.resolve("storage"));
        String config = """
                {
                  "Name": "MIP-DIMSE-TEST",
                  "HttpPort": %d,
                  "DicomPort": %d,
                  "DicomAet": "%s",
                  "RemoteAccessAllowed": false,
                  "AuthenticationEnabled": false,
                  "StorageDirectory": "%s",
                  "IndexDirectory": "%s",
                  "SaveJobs": false,
                  "DicomAlwaysAllowFind": true,
                  "DicomCheckCalledAet": true,
                  "DicomAlwaysAllowMove": true,
                  "DicomModalities": { "mip": [ "%s", "127.0.0.1", %d ] },
                  "Plugins": []
                }
                """.formatted(httpPort, dicomPort, AET, dir.resolve("storage"), dir.resolve("storage"), ourAe, ourPort);
        Files.writeString(dir.resolve("orthanc.json"), config, StandardCharsets.UTF_8);
        process = new ProcessBuilder(BINARY.toString(), "--logdir=" + dir, dir.resolve("orthanc.json").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("orthanc.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("Orthanc exited at start; see " + dir.resolve("orthanc.out"));
            }
            try {
                if (http.send(request("system").GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new AssertionError("Orthanc did not answer within 30 s; see " + dir.resolve("orthanc.out"));
            }
            Thread.sleep(100);
        }
    }

    public int dicomPort() {
        return dicomPort;
    }

    public void upload(List<Path> files) throws IOException, InterruptedException {
        for (Path f : files) {
            HttpResponse<String> r = http.send(request("instances").header("Content-Type", "application/dicom")
                    .POST(HttpRequest.BodyPublishers.ofFile(f)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError("Orthanc refused a file: HTTP " + r.statusCode());
            }
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/" + path))
                .timeout(Duration.ofSeconds(30));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
