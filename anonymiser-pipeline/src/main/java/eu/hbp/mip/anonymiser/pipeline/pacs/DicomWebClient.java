package eu.hbp.mip.anonymiser.pipeline.pacs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * A DICOMweb client: QIDO-RS to find studies, series and instances, WADO-RS to
 * retrieve instances as sent by the server (any transfer syntax, compressed or not).
 *
 * <p>Every request carries the configured credentials; failures of the connection,
 * HTTP 429 and 5xx answers, and bodies cut short are retried with exponential back-off,
 * a bounded number of times. A wrong password is not retried. Errors are
 * {@link PacsException}s whose message names the server's base URL and the kind of
 * request, never a query value (patient IDs travel in QIDO queries).
 *
 * <p>Thread-safe: one client may serve many threads (it shares one {@link HttpClient}).
 */
public final class DicomWebClient {

    static final String DICOM_JSON = "application/dicom+json";
    static final String MULTIPART_DICOM = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");
    private static final int PAGE = 500;
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

    private final PacsConnection connection;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    /** A study found by QIDO-RS; holds patient values: never log or print it. */
    public record Study(String studyUid, String patientId, Optional<LocalDate> studyDate) {
        @Override
        public String toString() {
            return "Study[...]";
        }
    }

    /** A series found by QIDO-RS. */
    public record Series(String seriesUid, String modality) {
        @Override
        public String toString() {
            return "Series[" + modality + "]";
        }
    }

    /** What to look for; empty fields do not filter. */
    public record Filter(Optional<String> patientId, Optional<LocalDate> from, Optional<LocalDate> to,
                  Optional<String> modality) {
    }

    /** Receives the body of a successful answer; an IOException here is retried. */
    @FunctionalInterface
    interface BodyReader<T> {
        T read(String contentType, InputStream body) throws IOException;
    }

    public DicomWebClient(PacsConnection connection) {
        this.connection = connection;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connection.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL);
        if (connection.trustStore().isPresent()) {
            builder.sslContext(sslContext(connection.trustStore().get(), connection.trustStorePassword()));
        }
        this.http = builder.build();
    }

    /** @return the server's base URL, safe to print */
    URI baseUrl() {
        return connection.baseUrl();
    }

    /**
     * QIDO-RS {@code /studies}, paged.
     *
     * @param filter what to look for
     * @return the matching studies, in the server's order, each once
     */
    public List<Study> studies(Filter filter) {
        Map<String, String> query = new LinkedHashMap<>();
        filter.patientId().ifPresent(id -> query.put("PatientID", id));
        if (filter.from().isPresent() || filter.to().isPresent()) {
            query.put("StudyDate", filter.from().map(DA::format).orElse("")
                    + "-" + filter.to().map(DA::format).orElse(""));
        }
        filter.modality().ifPresent(m -> query.put("ModalitiesInStudy", m));
        query.put("includefield", "00100020,00080020,00080061");
        Map<String, Study> found = new LinkedHashMap<>();
        for (JsonNode n : qidoPaged("QIDO-RS studies", "studies", query)) {
            String uid = text(n, "0020000D").orElse(null);
            if (uid == null || !UID.matcher(uid).matches()) {
                throw new PacsException(PacsException.Kind.PROTOCOL, "QIDO-RS studies at " + baseUrl()
                        + " answered a study without a valid StudyInstanceUID (0020,000D)");
            }
            String patientId = text(n, "00100020").orElse("");
            // The server may match loosely (wildcards, case): keep exact matches only.
            if (filter.patientId().isPresent() && !filter.patientId().get().equals(patientId)) {
                continue;
            }
            found.putIfAbsent(uid, new Study(uid, patientId, text(n, "00080020").flatMap(DicomWebClient::date)));
        }
        return new ArrayList<>(found.values());
    }

    /**
     * QIDO-RS {@code /studies/{study}/series}.
     *
     * @param studyUid the study
     * @param modality if present, only series of this modality
     * @return its series
     */
    public List<Series> series(String studyUid, Optional<String> modality) {
        Map<String, String> query = new LinkedHashMap<>();
        modality.ifPresent(m -> query.put("Modality", m));
        query.put("includefield", "00080060");
        Map<String, Series> found = new LinkedHashMap<>();
        for (JsonNode n : qidoPaged("QIDO-RS series", "studies/" + uid(studyUid) + "/series", query)) {
            String uid = text(n, "0020000E").filter(u -> UID.matcher(u).matches()).orElseThrow(() ->
                    new PacsException(PacsException.Kind.PROTOCOL, "QIDO-RS series at " + baseUrl()
                            + " answered a series without a valid SeriesInstanceUID (0020,000E)"));
            String mod = text(n, "00080060").orElse("");
            if (modality.isPresent() && !modality.get().equalsIgnoreCase(mod)) {
                continue;
            }
            found.putIfAbsent(uid, new Series(uid, mod));
        }
        return new ArrayList<>(found.values());
    }

    /**
     * QIDO-RS {@code /studies/{study}/series/{series}/instances}.
     *
     * @return the SOPInstanceUIDs of the series, each once
     */
    public List<String> instances(String studyUid, String seriesUid) {
        Set<String> found = new LinkedHashSet<>();
        for (JsonNode n : qidoPaged("QIDO-RS instances", "studies/" + uid(studyUid) + "/series/" + uid(seriesUid)
                + "/instances", Map.of("includefield", "00080018"))) {
            found.add(text(n, "00080018").filter(u -> UID.matcher(u).matches()).orElseThrow(() ->
                    new PacsException(PacsException.Kind.PROTOCOL, "QIDO-RS instances at " + baseUrl()
                            + " answered an instance without a valid SOPInstanceUID (0008,0018)")));
        }
        return new ArrayList<>(found);
    }

    /**
     * WADO-RS retrieve of one instance into {@code target} (created or replaced), in the
     * transfer syntax the server holds. The caller makes it durable and renames it.
     *
     * @return the number of bytes written
     */
    public long retrieveInstance(String studyUid, String seriesUid, String sopUid, Path target) {
        String path = "studies/" + uid(studyUid) + "/series/" + uid(seriesUid) + "/instances/" + uid(sopUid);
        return call("WADO-RS retrieve", connection.baseUrl().resolve(path), MULTIPART_DICOM, (type, body) -> {
            int parts = 0;
            long bytes = 0;
            Optional<String> boundary = MultipartReader.boundaryOf(type);
            if (boundary.isEmpty()) {
                if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/dicom")) {
                    return copy(body, target);
                }
                throw new PacsException(PacsException.Kind.PROTOCOL, "WADO-RS retrieve at " + baseUrl()
                        + " answered a body that is neither multipart/related nor application/dicom");
            }
            try (MultipartReader reader = new MultipartReader(body, boundary.get())) {
                while (reader.next()) {
                    if (++parts > 1) {
                        throw new PacsException(PacsException.Kind.PROTOCOL, "WADO-RS retrieve at " + baseUrl()
                                + " answered several parts for one instance");
                    }
                    bytes = copy(reader.body(), target);
                }
            }
            if (parts == 0) {
                throw new IOException("WADO-RS answer has no part");
            }
            return bytes;
        });
    }

    /**
     * WADO-RS retrieve of a whole series, each part written to {@code folder} as
     * {@code 00001.dcm}, {@code 00002.dcm}, ... (the plain download the benchmark compares with).
     *
     * @return the number of instances written
     */
    public int retrieveSeries(String studyUid, String seriesUid, Path folder) {
        String path = "studies/" + uid(studyUid) + "/series/" + uid(seriesUid);
        return call("WADO-RS retrieve", connection.baseUrl().resolve(path), MULTIPART_DICOM, (type, body) -> {
            String boundary = MultipartReader.boundaryOf(type).orElseThrow(() -> new PacsException(
                    PacsException.Kind.PROTOCOL, "WADO-RS series retrieve at " + baseUrl()
                    + " answered a body that is not multipart/related"));
            int parts = 0;
            try (MultipartReader reader = new MultipartReader(body, boundary)) {
                while (reader.next()) {
                    parts++;
                    copy(reader.body(), folder.resolve(String.format(Locale.ROOT, "%05d.dcm", parts)));
                }
            }
            return parts;
        });
    }

    /** Checks that the server answers and accepts our credentials (a QIDO-RS query with limit 1). */
    public void ping() {
        call("QIDO-RS studies", connection.baseUrl().resolve("studies?limit=1"), DICOM_JSON, (type, body) -> {
            body.transferTo(OutputStream.nullOutputStream());
            return null;
        });
    }

    private static long copy(InputStream in, Path target) throws IOException {
        try (OutputStream out = Files.newOutputStream(target)) {
            return in.transferTo(out);
        }
    }

    private List<JsonNode> qidoPaged(String what, String path, Map<String, String> query) {
        List<JsonNode> all = new ArrayList<>();
        for (int offset = 0; ; offset += PAGE) {
            Map<String, String> q = new LinkedHashMap<>(query);
            q.put("limit", Integer.toString(PAGE));
            q.put("offset", Integer.toString(offset));
            URI uri = connection.baseUrl().resolve(path + "?" + encode(q));
            List<JsonNode> page = call(what, uri, DICOM_JSON, (type, body) -> {
                byte[] bytes = body.readAllBytes();
                List<JsonNode> nodes = new ArrayList<>();
                if (bytes.length == 0) {
                    return nodes;
                }
                JsonNode root;
                try {
                    root = json.readTree(bytes);
                } catch (IOException e) {
                    throw new PacsException(PacsException.Kind.PROTOCOL, what + " at " + baseUrl()
                            + " answered something that is not DICOM JSON; check that --url is the DICOMweb root"
                            + " (Orthanc: http://host:8042/dicom-web/)");
                }
                if (root == null || !root.isArray()) {
                    throw new PacsException(PacsException.Kind.PROTOCOL, what + " at " + baseUrl()
                            + " answered JSON that is not an array of DICOM data sets");
                }
                root.forEach(nodes::add);
                return nodes;
            });
            // A server that ignores offset answers the first page again: stop there.
            boolean repeated = offset > 0 && !page.isEmpty() && page.get(0).equals(all.get(offset - PAGE));
            if (!repeated) {
                all.addAll(page);
            }
            if (repeated || page.size() < PAGE || offset > 1_000_000) {
                return all;
            }
        }
    }

    private static String encode(Map<String, String> query) {
        StringBuilder sb = new StringBuilder();
        query.forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("%2C", ","));
        });
        return sb.toString();
    }

    /**
     * Sends a GET and hands a 2xx body to {@code reader}, retrying connection failures,
     * 429/5xx answers and IOExceptions from the reader.
     */
    <T> T call(String what, URI uri, String accept, BodyReader<T> reader) {
        Duration wait = connection.backoff();
        for (int attempt = 0; ; attempt++) {
            boolean last = attempt >= connection.retries();
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET()
                    .timeout(connection.readTimeout())
                    .header("Accept", accept);
            connection.auth().header().ifPresent(h -> request.header("Authorization", h));
            IOException failure;
            int status = 0;
            try {
                HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                status = response.statusCode();
                try (InputStream body = response.body()) {
                    if (status == 200 || status == 206) {
                        return reader.read(response.headers().firstValue("Content-Type").orElse(null), body);
                    }
                    if (status == 204) {
                        return reader.read(null, InputStream.nullInputStream());
                    }
                    body.transferTo(OutputStream.nullOutputStream());
                }
                if (status == 401 || status == 403) {
                    throw new PacsException(PacsException.Kind.AUTHENTICATION, "PACS at " + baseUrl()
                            + " refused the credentials (HTTP " + status + "): check --user and --password,"
                            + " or --token");
                }
                if (status == 404) {
                    throw new PacsException(PacsException.Kind.PROTOCOL, what + " at " + baseUrl()
                            + " answered HTTP 404: check that --url is the DICOMweb root"
                            + " (Orthanc: http://host:8042/dicom-web/) and that the object still exists");
                }
                if (status != 429 && status < 500) {
                    throw new PacsException(PacsException.Kind.PROTOCOL, what + " at " + baseUrl()
                            + " answered HTTP " + status);
                }
                failure = new IOException("HTTP " + status);
            } catch (IOException e) {
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PacsException(PacsException.Kind.UNREACHABLE, what + " at " + baseUrl() + " was interrupted");
            }
            if (failure instanceof SSLException || last) {
                throw new PacsException(PacsException.Kind.UNREACHABLE, what + " at " + baseUrl() + " failed"
                        + (attempt > 0 ? " after " + (attempt + 1) + " attempts" : "") + ": " + describe(failure)
                        + remedy(failure), failure);
            }
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PacsException(PacsException.Kind.UNREACHABLE, what + " at " + baseUrl() + " was interrupted");
            }
            wait = wait.multipliedBy(2);
            if (wait.compareTo(PacsConnection.MAX_BACKOFF) > 0) {
                wait = PacsConnection.MAX_BACKOFF;
            }
        }
    }

    private String describe(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection within " + connection.connectTimeout().toSeconds() + " s";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + connection.readTimeout().toSeconds() + " s";
        }
        if (e instanceof ConnectException || (e.getCause() instanceof ConnectException)) {
            return "connection refused";
        }
        if (e instanceof SSLException) {
            return "TLS failed (" + e.getClass().getSimpleName() + ")";
        }
        String m = e.getMessage();
        return m != null && m.startsWith("HTTP ") ? "server error " + m
                : e.getClass().getSimpleName() + (m == null || m.contains("?") ? "" : " (" + m + ")");
    }

    private static String remedy(IOException e) {
        if (e instanceof SSLException) {
            return "; check --truststore holds the server's certificate authority";
        }
        return "; check --url and that the server is running";
    }

    private static String uid(String uid) {
        if (!UID.matcher(uid).matches() || uid.length() > 64) {
            throw new PacsException(PacsException.Kind.PROTOCOL, "the PACS answered a UID that is not a valid DICOM UID");
        }
        return uid;
    }

    private static Optional<String> text(JsonNode dataset, String tag) {
        JsonNode element = dataset.get(tag);
        if (element == null) {
            return Optional.empty();
        }
        JsonNode value = element.get("Value");
        if (value == null || !value.isArray() || value.isEmpty()) {
            return Optional.empty();
        }
        JsonNode first = value.get(0);
        if (first.isObject()) {
            JsonNode alphabetic = first.get("Alphabetic");
            return alphabetic == null ? Optional.empty() : Optional.of(alphabetic.asText());
        }
        return Optional.of(first.asText().trim());
    }

    private static Optional<LocalDate> date(String da) {
        try {
            return Optional.of(LocalDate.parse(da.trim(), DA));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static SSLContext sslContext(Path trustStore, char[] password) {
        try (InputStream in = Files.newInputStream(trustStore)) {
            String name = trustStore.getFileName().toString().toLowerCase(Locale.ROOT);
            KeyStore store = KeyStore.getInstance(name.endsWith(".jks") ? "JKS" : "PKCS12");
            store.load(in, password.length == 0 ? null : password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new PacsException(PacsException.Kind.UNREACHABLE, "cannot read trust store " + trustStore
                    + " (" + e.getClass().getSimpleName() + "): give a PKCS#12 (.p12) or JKS (.jks) file and its"
                    + " --truststore-password");
        }
    }
}
