package eu.hbp.mip.anonymiser.examples.dimse;

import eu.hbp.mip.anonymiser.dimse.Orthanc;
import eu.hbp.mip.anonymiser.dimse.Tools;
import eu.hbp.mip.anonymiser.api.FolderLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DimseListenCommandTests {

    private static final String AE = "MIP_ANON";

    private static void storescu(int port, String aet, String propose, Path file, boolean mustSucceed)
            throws Exception {
        Tools.Run r = Tools.run("storescu", "-v", propose, "-aet", aet, "-aec", AE, "-to", "20", "-ta",
                "20", "-td", "20", "127.0.0.1", Integer.toString(port), file.toString());
        if (mustSucceed) {
            assertEquals(0, r.exit(), r.output());
        } else {
            assertNotEquals(0, r.exit(), r.output());
        }
    }

    private static String proposal(String syntax) {
        return switch (syntax) {
            case "+ti" -> "-xi";
            case "+tb" -> "-xb";
            case "+td" -> "-xd";
            case "rle" -> "-xr";
            default -> "-xe";
        };
    }

    @Test
    void listenAnonymisesWhatStorescuSendsRefusesStrangersAndExitsWhenIdle(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        FolderLayout layout = Tools.site(data);
        String[] syntaxes = {"+te", "+ti", "+tb", "+td", "rle", "+te"};
        List<Path> corpus = new ArrayList<>();
        for (int i = 0; i < syntaxes.length; i++) {
            corpus.add(Tools.image(tmp.resolve("corpus"), i, syntaxes[i], i == syntaxes.length - 1));
        }
        int port = Orthanc.freePort();
        DimseCli.Running listen = new DimseCli.Running("dimse", "listen", "--data", data.toString(), "--aet", AE,
                "--port", Integer.toString(port), "--allow", "SENDER@127.0.0.1", "--idle-exit", "4s",
                "--progress", "none", "--threads", "1");
        Tools.await(() -> listen.err().contains("listening as " + AE), "the SCP listens");
        for (int i = 0; i < corpus.size(); i++) {
            storescu(port, "SENDER", proposal(syntaxes[i]), corpus.get(i), true);
        }
        Tools.ok("echoscu", "-aet", "SENDER", "-aec", AE, "127.0.0.1", Integer.toString(port));
        storescu(port, "STRANGER", "-xe", corpus.get(0), false);
        DimseCli.Result r = listen.await();
        assertEquals(1, r.exit(), "one SECONDARY image quarantined: " + r);
        assertTrue(r.out().startsWith("received " + corpus.size() + " instances in " + (corpus.size() + 1)
                + " associations: " + (corpus.size() - 1) + " anonymised"), r.toString());
        assertTrue(r.out().contains("1 associations rejected"), r.toString());
        assertEquals(List.of(), Tools.files(layout.pacsDownload()), "pacs/download is left empty");
        List<Path> outputs = Tools.files(layout.pacsDicoms());
        assertEquals(corpus.size() - 1, outputs.size());
        for (Path f : outputs) {
            Tools.ok("dcmdump", "-q", f.toString());
        }
        assertEquals(List.of(), Tools.leaks(layout.pacsDicoms(), Tools.originals(corpus.size())));
        assertEquals(2, Tools.files(layout.quarantine(FolderLayout.PACS_BUCKET)).size(),
                "the SECONDARY instance and its reason");
        for (String original : Tools.originals(corpus.size())) {
            assertTrue(!r.out().contains(original) && !r.err().contains(original), "no original value printed");
        }
    }

    @Test
    void sigtermStopsListenWhichPrintsItsSummaryAndExitsZero(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        FolderLayout layout = Tools.site(data);
        Path file = Tools.image(tmp.resolve("corpus"), 1, "+te", false);
        int port = Orthanc.freePort();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "eu.hbp.mip.anonymiser.examples.Main", "dimse", "listen", "--data", data.toString(), "--aet", AE,
                "--port", Integer.toString(port), "--progress", "none")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("listen.out").toFile()).start();
        try {
            Tools.await(() -> read(tmp.resolve("listen.out")).contains("listening as " + AE), "the SCP listens");
            storescu(port, "SENDER", "-xe", file, true);
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "listen ends after SIGTERM");
            String out = read(tmp.resolve("listen.out"));
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("received 1 instances in 1 associations: 1 anonymised"), out);
        } finally {
            p.destroyForcibly();
        }
        assertEquals(1, Tools.files(layout.pacsDicoms()).size());
        assertEquals(List.of(), Tools.files(layout.pacsDownload()));
    }

    private static String read(Path f) {
        try {
            return java.nio.file.Files.readString(f, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void listenWithAKeyStoreSpeaksTlsOnly(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        FolderLayout layout = Tools.site(data);
        Path file = Tools.image(tmp.resolve("corpus"), 1, "+te", false);
        Tools.ok("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                tmp.resolve("server.key").toString(), "-out", tmp.resolve("server.crt").toString(), "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        Tools.ok("openssl", "pkcs12", "-export", "-in", tmp.resolve("server.crt").toString(), "-inkey",
                tmp.resolve("server.key").toString(), "-out", tmp.resolve("server.p12").toString(), "-passout",
                "pass:tls-test-secret", "-name", "server");
        java.nio.file.Files.writeString(tmp.resolve("password"), "tls-test-secret\n");
        int port = Orthanc.freePort();
        DimseCli.Running listen = new DimseCli.Running("dimse", "listen", "--data", data.toString(), "--aet", AE,
                "--port", Integer.toString(port), "--tls-keystore", tmp.resolve("server.p12").toString(),
                "--tls-keystore-password-file", tmp.resolve("password").toString(), "--idle-exit", "3s",
                "--progress", "none");
        Tools.await(() -> listen.err().contains("listening as " + AE), "the SCP listens");
        storescu(port, "SENDER", "-xe", file, false);
        Tools.Run secure = Tools.run("storescu", "+tla", "+cf", tmp.resolve("server.crt").toString(),
                "-aet", "SENDER", "-aec", AE, "-to", "20", "-ta", "20", "-td", "20", "127.0.0.1",
                Integer.toString(port), file.toString());
        assertEquals(0, secure.exit(), secure.output());
        DimseCli.Result r = listen.await();
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().startsWith("received 1 instances in 1 associations: 1 anonymised"), r.toString());
        assertEquals(1, Tools.files(layout.pacsDicoms()).size());
        assertTrue(!r.err().contains("tls-test-secret") && !r.out().contains("tls-test-secret"));
    }

    @Test
    void badAllowEntryIsAConfigurationErrorInOneLine(@TempDir Path tmp) {
        Path data = tmp.resolve("data");
        Tools.site(data);
        DimseCli.Result r = DimseCli.run("dimse", "listen", "--data", data.toString(), "--aet", AE, "--port", "0",
                "--allow", "NOHOST", "--progress", "none");
        assertEquals(2, r.exit(), r.toString());
        assertEquals(1, r.err().strip().split("\n").length, r.toString());
        assertTrue(r.err().startsWith("dimse: allow-list entry 'NOHOST' is not AET@HOST"), r.toString());
    }

    @Test
    void unreachablePacsIsAMachineFailureInOneLine(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        Tools.site(data);
        int closed = Orthanc.freePort();
        DimseCli.Result r = DimseCli.run("dimse", "find", "--data", data.toString(), "--host", "127.0.0.1", "--port",
                Integer.toString(closed), "--aec", "PACS", "--aet", AE);
        assertEquals(4, r.exit(), r.toString());
        assertEquals(1, r.err().strip().split("\n").length, r.toString());
        assertTrue(r.err().startsWith("dimse: cannot associate with PACS@127.0.0.1:" + closed), r.toString());
    }
}
