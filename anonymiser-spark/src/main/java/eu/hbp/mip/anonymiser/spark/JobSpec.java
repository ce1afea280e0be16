package eu.hbp.mip.anonymiser.spark;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/**
 * What one run of the {@link AnonymiserJob} does. Holds locations and settings only, never the
 * site key: executors read the key from {@link #keyFile()} or, without one, from the environment
 * variable {@value #KEY_ENV} (base64 of the 32 key bytes). Immutable and serializable, so it is
 * shipped to the executors as it is.
 *
 * @param input the input location, a Hadoop URI or path ({@code hdfs://nn/archive}, {@code s3a://b/in},
 *        {@code file:/data/in}); every regular file below it is an input, except names starting
 *        with {@code .} or {@code _}
 * @param output where outputs go, in the MIP layout ({@code DICOM/...}, {@code EHR/...}); the job's
 *        own records live in its {@value #WORK} folder
 * @param quarantine where rejected inputs go, as {@code <bucket>/<input's relative path>} with a
 *        {@code .reason.txt} sidecar
 * @param profiles the profiles folder ({@code <format>/<profile>.yaml}, the layout of
 *        {@code scripts/}), a Hadoop URI every executor can read
 * @param storeUrl the shared pseudonym store, a {@code jdbc:postgresql:} URL without the password
 *        (executors and the driver read {@value #STORE_USER_ENV} and {@value #STORE_PASSWORD_ENV})
 * @param prefix the site prefix of pseudonyms, or empty
 * @param keyFile a file holding the site key on every executor (a mounted secret), or null to read
 *        {@value #KEY_ENV}
 * @param partitions how many partitions (tasks) to cut the input into; at least 1
 * @param options run options of the providers, as the folder runner takes them
 * @param exportEpochMillis the export instant every executor uses as its clock, fixed by the
 *        driver at the job's start so that a retried task names its outputs as the first attempt did
 */
public record JobSpec(String input, String output, String quarantine, String profiles, String storeUrl,
                      String prefix, String keyFile, int partitions, Map<String, String> options,
                      long exportEpochMillis) implements Serializable {

    /** The environment variable of the site key (base64) when no key file is given. */
    public static final String KEY_ENV = "MIP_SITE_KEY";
    /** The environment variable of a key file, read by {@code main} when no --key-file is given. */
    public static final String KEY_FILE_ENV = "MIP_SITE_KEY_FILE";
    /** The environment variable of the store's user. */
    public static final String STORE_USER_ENV = "MIP_STORE_USER";
    /** The environment variable of the store's password. */
    public static final String STORE_PASSWORD_ENV = "MIP_STORE_PASSWORD";
    /** The job's own folder under the output location: staging, done markers, summaries. */
    public static final String WORK = ".anonymiser-spark";

    private static final long serialVersionUID = 1L;

    public JobSpec {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(quarantine, "quarantine");
        Objects.requireNonNull(profiles, "profiles");
        Objects.requireNonNull(storeUrl, "storeUrl");
        prefix = prefix == null ? "" : prefix;
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        options = Map.copyOf(options);
        if (!storeUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("the Spark job needs a shared PostgreSQL pseudonym store: give"
                    + " --store jdbc:postgresql://host:port/database (executors cannot share a SQLite file)");
        }
        if (storeUrl.toLowerCase(java.util.Locale.ROOT).contains("password=")) {
            throw new IllegalArgumentException("the store URL holds a password, which would show in the job's"
                    + " arguments: remove it and set " + STORE_PASSWORD_ENV + " on the driver and executors");
        }
    }

    /** @return the same job with another export instant */
    public JobSpec withExportEpochMillis(long millis) {
        return new JobSpec(input, output, quarantine, profiles, storeUrl, prefix, keyFile, partitions, options,
                millis);
    }
}
