package eu.hbp.mip.anonymiser.dimse;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * TLS for DIMSE (the secure transport connection profiles of PS3.15 Annex B, as BCP 195 asks:
 * TLS 1.2 or 1.3 only). Builds the {@link SSLContext} of {@link StoreScp.Tls} and
 * {@link DimseScu.Peer#withTls} from a key store (our certificate and private key) and a trust
 * store (the certificates we accept from peers), in PKCS#12 ({@code .p12}, {@code .pfx}) or JKS
 * ({@code .jks}). Stateless; passwords are not kept.
 */
public final class DimseTls {

    /** The protocols offered and accepted. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private DimseTls() {
    }

    /**
     * @param keyStore our certificate and private key, or null (a client without a certificate)
     * @param keyPassword the key store's (and key's) password
     * @param trustStore the certificates accepted from peers, or null for the JDK's default ones
     * @param trustPassword the trust store's password
     * @return a context for {@link StoreScp.Tls} or {@link DimseScu.Peer#withTls}
     * @throws IllegalArgumentException if a store cannot be read, naming the file and the fix
     */
    public static SSLContext context(Path keyStore, char[] keyPassword, Path trustStore, char[] trustPassword) {
        try {
            KeyManagerFactory kmf = null;
            if (keyStore != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(load(keyStore, keyPassword), keyPassword);
            }
            TrustManagerFactory tmf = null;
            if (trustStore != null) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(load(trustStore, trustPassword));
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the TLS key or trust store (" + e.getClass().getSimpleName()
                    + "): check the password and that the key store holds a private key with its certificate", e);
        }
    }

    private static KeyStore load(Path file, char[] password) throws GeneralSecurityException {
        Objects.requireNonNull(password, "password");
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        KeyStore ks = KeyStore.getInstance(name.endsWith(".jks") ? "JKS" : "PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
            return ks;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the key or trust store " + file + " ("
                    + e.getClass().getSimpleName() + "): check the path, the password and that it is PKCS#12 (.p12)"
                    + " or JKS (.jks)", e);
        }
    }
}
