package eu.hbp.mip.anonymiser.dimse;

import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.pipeline.Pipeline;
import eu.hbp.mip.anonymiser.pipeline.Site;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TlsTests {

    private static final String AE = "MIP_TLS";
    private static final char[] PASSWORD = "secret".toCharArray();

    @TempDir
    static Path pki;

    /** Self-signed server and client certificates for 127.0.0.1, as PEM (for DCMTK) and PKCS#12 (for us). */
    @BeforeAll
    static void makeCertificates() throws Exception {
        for (String n : List.of("server", "client", "stranger")) {
            Tools.ok("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", pki.resolve(n + ".key")
                    .toString(), "-out", pki.resolve(n + ".crt").toString(), "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
            Tools.ok("openssl", "pkcs12", "-export", "-in", pki.resolve(n + ".crt").toString(), "-inkey",
                    pki.resolve(n + ".key").toString(), "-out", pki.resolve(n + ".p12").toString(), "-passout",
                    "pass:secret", "-name", n);
        }
        trust("server-trust.p12", "client.crt");
        trust("client-trust.p12", "server.crt");
    }

    private static void trust(String store, String cert) throws Exception {
        Tools.ok("keytool", "-importcert", "-noprompt", "-alias", "peer", "-file", pki.resolve(cert).toString(),
                "-keystore", pki.resolve(store).toString(), "-storetype", "PKCS12", "-storepass", "secret");
    }

    private static StoreScp.Config config(boolean requireClient) {
        SSLContext ctx = DimseTls.context(pki.resolve("server.p12"), PASSWORD, pki.resolve("server-trust.p12"),
                PASSWORD);
        return new StoreScp.Config(AE, InetAddress.getLoopbackAddress(), 0, List.of(), 2, 1 << 20,
                Duration.ofSeconds(5), Duration.ofSeconds(20)).withTls(new StoreScp.Tls(ctx, requireClient));
    }

    private static Tools.Run storescu(StoreScp scp, Path file, String... tls) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("storescu", "-aet", "SENDER", "-aec", AE, "-to", "20",
                "-ta", "20", "-td", "20"));
        cmd.addAll(List.of(tls));
        cmd.addAll(List.of("127.0.0.1", Integer.toString(scp.port()), file.toString()));
        return Tools.run(cmd.toArray(String[]::new));
    }

    @Test
    void storescuOverTlsIsReceivedThroughThePipelineAndAPlainConnectionIsNot(@TempDir Path tmp) throws Exception {
        FolderLayout layout = Tools.site(tmp.resolve("data"));
        Path file = Tools.image(tmp.resolve("corpus"), 1, "+te", false);
        try (Site site = Site.open(layout, null, null); Pipeline pipeline = Tools.pipeline(site);
             StoreScp scp = new StoreScp(config(false), pipeline)) {
            scp.start();
            Tools.Run plain = storescu(scp, file);
            assertNotEquals(0, plain.exit(), plain.output());
            Tools.Run secure = storescu(scp, file, "+tla", "+cf", pki.resolve("server.crt").toString());
            assertEquals(0, secure.exit(), secure.output());
            scp.stop();
            assertEquals(1, scp.counts().received());
            assertEquals(1, scp.counts().anonymised());
        }
        assertEquals(1, Tools.files(layout.pacsDicoms()).size());
        assertEquals(List.of(), Tools.files(layout.pacsDownload()));
    }

    @Test
    void clientCertificateIsRequiredWhenAskedAndAnUntrustedOneIsRefused(@TempDir Path tmp) throws Exception {
        FolderLayout layout = Tools.site(tmp.resolve("data"));
        Path file = Tools.image(tmp.resolve("corpus"), 1, "+te", false);
        try (Site site = Site.open(layout, null, null); Pipeline pipeline = Tools.pipeline(site);
             StoreScp scp = new StoreScp(config(true), pipeline)) {
            scp.start();
            String serverCert = pki.resolve("server.crt").toString();
            Tools.Run anonymous = storescu(scp, file, "+tla", "+cf", serverCert);
            assertNotEquals(0, anonymous.exit(), anonymous.output());
            Tools.Run stranger = storescu(scp, file, "+tls", pki.resolve("stranger.key").toString(),
                    pki.resolve("stranger.crt").toString(), "+cf", serverCert);
            assertNotEquals(0, stranger.exit(), stranger.output());
            Tools.Run known = storescu(scp, file, "+tls", pki.resolve("client.key").toString(),
                    pki.resolve("client.crt").toString(), "+cf", serverCert);
            assertEquals(0, known.exit(), known.output());
            scp.stop();
            assertEquals(1, scp.counts().received());
        }
    }

    @Test
    void scuEchoesOverTlsAndRefusesAServerItDoesNotTrust(@TempDir Path tmp) throws Exception {
        FolderLayout layout = Tools.site(tmp.resolve("data"));
        try (Site site = Site.open(layout, null, null); Pipeline pipeline = Tools.pipeline(site);
             StoreScp scp = new StoreScp(config(true), pipeline)) {
            scp.start();
            DimseScu.Peer peer = new DimseScu.Peer("127.0.0.1", scp.port(), AE, "SCU", Duration.ofSeconds(5),
                    Duration.ofSeconds(20));
            new DimseScu(peer.withTls(DimseTls.context(pki.resolve("client.p12"), PASSWORD,
                    pki.resolve("client-trust.p12"), PASSWORD))).echo();
            SSLContext trustsNothingOfOurs = DimseTls.context(pki.resolve("client.p12"), PASSWORD,
                    pki.resolve("server-trust.p12"), PASSWORD);
            DimseException e = assertThrows(DimseException.class,
                    () -> new DimseScu(peer.withTls(trustsNothingOfOurs)).echo());
            assertEquals(DimseException.Kind.REFUSED, e.kind(), e.getMessage());
            DimseException plain = assertThrows(DimseException.class, () -> new DimseScu(peer).echo());
            assertNotEquals(null, plain.getMessage());
        }
    }
}
