package eu.hbp.mip.anonymiser.csv;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.Bucket;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.ProfileException;
import eu.hbp.mip.anonymiser.api.ProviderException;
import eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider;
import eu.hbp.mip.anonymiser.api.spi.Recognition;
import eu.hbp.mip.anonymiser.api.spi.Removal;
import eu.hbp.mip.anonymiser.core.profile.ProfileFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CSV format: EHR exports anonymised under one strict profile per schema, read from
 * {@code scripts/csv/*.yaml} (see {@code docs/csv-profiles.md}).
 *
 * <p>Recognition: a text file (no NUL byte, UTF-8 or plausibly Latin-1) whose first line
 * holds a separator is {@link Recognition#BY_CONTENT} when its first rows form an even
 * table, else {@link Recognition#BY_NAME} when named {@code *.csv}, {@code *.tsv} or
 * {@code *.txt}; anything else (binary, PDF, empty) is {@link Recognition#NO}.
 *
 * <p>Consent withdrawal: {@link #removeSubject} rewrites a published table without one
 * patient's records, keeping every other byte.
 *
 * <p>Stateless and thread-safe; the anonymisers it creates are thread-safe too.
 *
 * <pre>{@code
 * AnonymiserProvider csv = new CsvAnonymiserProvider();
 * Anonymiser anonymiser = csv.create(new AnonymiserContext(profiles, store, Map.of(), clock));
 * Outcome outcome = anonymiser.anonymise(input, OutputSink.into(out));
 * Removal removal = csv.removeSubject(out.resolve(published), pseudonym, copy);
 * }</pre>
 */
public final class CsvAnonymiserProvider implements AnonymiserProvider {

    private static final List<String> SAMPLES = List.of("ehr-patients.yaml", "ehr-visits.yaml", "lab-results.yaml");

    /** For ServiceLoader. */
    public CsvAnonymiserProvider() {
    }

    /** The quarantine bucket of CSV rejections. */
    static final Bucket BUCKET = Bucket.of("csv");

    @Override
    public String name() {
        return "csv";
    }

    @Override
    public Bucket bucket() {
        return BUCKET;
    }

    /** Outputs are {@code EHR/<yyyy>/<yyyyMMdd>/<table>.csv}. */
    @Override
    public String outputRoot() {
        return "EHR";
    }

    /**
     * Leaves out of a published output every record (never the header) that holds
     * {@code subject} as the exact value of one of its fields, streaming, in memory bounded by
     * the longest record. The records kept are copied byte for byte: same quoting, separators
     * and CRLF record ends as the anonymiser wrote them. {@code rewriteTo} is created
     * ({@code CREATE_NEW}) only when a record is removed; with none, nothing is written and the
     * answer is {@code records(0)}. The caller makes the copy durable and renames it over the
     * output; this method does neither.
     *
     * @throws IOException if the output cannot be read, is not a table as the anonymiser writes it
     *         (UTF-8 RFC 4180), or the copy cannot be written; a partial copy is deleted
     */
    @Override
    public Removal removeSubject(Path output, String subject, Path rewriteTo) throws IOException {
        return SubjectRemoval.remove(output, subject, rewriteTo);
    }

    @Override
    public Recognition recognise(String fileName, ByteBuffer head) {
        return CsvSniffer.recognise(fileName, head);
    }

    @Override
    public Map<String, String> sampleProfiles() {
        Map<String, String> samples = new LinkedHashMap<>();
        for (String name : SAMPLES) {
            try (InputStream in = CsvAnonymiserProvider.class.getResourceAsStream("samples/" + name)) {
                if (in == null) {
                    throw new ProviderException("sample profile " + name + " is missing from the csv jar; rebuild it");
                }
                samples.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new ProviderException("sample profile " + name + " cannot be read from the csv jar; rebuild it", e);
            }
        }
        return samples;
    }

    /**
     * Loads every profile ({@code *.yaml}, {@code *.yml}) of {@code context.profiles()}.
     * With no profile at all, the anonymiser rejects every file ({@code csv-no-profile}).
     *
     * @throws ProfileException if a profile is invalid, or two share a name
     */
    @Override
    public Anonymiser create(AnonymiserContext context) {
        ProfileFiles files = new ProfileFiles();
        List<CsvProfile> profiles = new ArrayList<>();
        Map<String, Path> names = new HashMap<>();
        for (Path file : files.list(context.profiles())) {
            CsvProfile p = CsvProfile.load(files, file, context.store());
            Path other = names.putIfAbsent(p.name(), file);
            if (other != null) {
                throw new ProfileException("profile " + file + ": name '" + p.name() + "' is already used by "
                        + other + "; give each profile its own name");
            }
            profiles.add(p);
        }
        if (profiles.isEmpty()) {
            Path folder = context.profiles();
            return (input, output) -> new Outcome.Rejected("csv-no-profile", "there is no CSV profile in " + folder
                    + "; write one per export schema (run init for samples, see docs/csv-profiles.md)", CsvAnonymiserProvider.BUCKET);
        }
        return new CsvAnonymiser(profiles, context.store(), context.clock());
    }
}
