package eu.hbp.mip.anonymiser.pipeline.pacs;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach a DICOMweb server: its base URL (for Orthanc
 * {@code http://host:8042/dicom-web/}), credentials, TLS trust, time-outs and retries.
 *
 * @param baseUrl the DICOMweb root; a trailing {@code /} is added if missing
 * @param auth the credentials sent with every request
 * @param trustStore a PKCS#12 or JKS trust store for the server's certificate
 *        (empty: the Java runtime's default trust)
 * @param trustStorePassword its password, empty for none
 * @param connectTimeout time allowed to open a connection
 * @param readTimeout time allowed for the server to start its answer
 * @param retries how many times a failed request is retried (connection errors,
 *        HTTP 429 and 5xx), with exponential back-off; 0 for none
 * @param backoff the first back-off; doubled on each retry, capped at {@link #MAX_BACKOFF}
 */
public record PacsConnection(URI baseUrl, PacsAuth auth, Optional<Path> trustStore, char[] trustStorePassword,
                             Duration connectTimeout, Duration readTimeout, int retries, Duration backoff) {

    /** The longest wait between two attempts. */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    public PacsConnection {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String s = baseUrl.toString();
        if (!s.endsWith("/")) {
            baseUrl = URI.create(s + "/");
        }
        String scheme = baseUrl.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("PACS URL must start with http:// or https://");
        }
        if (baseUrl.getRawQuery() != null || baseUrl.getRawUserInfo() != null) {
            throw new IllegalArgumentException("PACS URL must have no query and no user:password part;"
                    + " use --user and --password");
        }
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(trustStore, "trustStore");
        trustStorePassword = trustStorePassword == null ? new char[0] : trustStorePassword.clone();
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (retries < 0 || retries > 20) {
            throw new IllegalArgumentException("retries must be between 0 and 20");
        }
        Objects.requireNonNull(backoff, "backoff");
    }

    /**
     * A connection with defaults: no TLS trust store, 10 s to connect, 60 s to answer,
     * 4 retries from 500 ms.
     *
     * @param baseUrl the DICOMweb root
     * @param auth the credentials
     * @return the connection
     */
    public static PacsConnection of(URI baseUrl, PacsAuth auth) {
        return new PacsConnection(baseUrl, auth, Optional.empty(), new char[0], Duration.ofSeconds(10),
                Duration.ofSeconds(60), 4, Duration.ofMillis(500));
    }

    /** @return this connection with other retry settings */
    public PacsConnection withRetries(int retries, Duration backoff) {
        return new PacsConnection(baseUrl, auth, trustStore, trustStorePassword, connectTimeout, readTimeout,
                retries, backoff);
    }

    /** Shows the URL only, never a secret. */
    @Override
    public String toString() {
        return "PacsConnection[" + baseUrl + ", " + auth + "]";
    }
}
