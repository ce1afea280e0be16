package eu.hbp.mip.anonymiser.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A quarantine bucket: one folder under {@code quarantine/} in the {@link FolderLayout}.
 * A format names its own bucket ({@link eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider#bucket()},
 * by default its name); a source may send every rejection of its files to a bucket of its
 * own (files retrieved from a PACS go to {@code quarantine/pacs}); what no format claims
 * goes to {@link #UNKNOWN}. Immutable.
 *
 * <pre>{@code
 * Path folder = layout.quarantine(Bucket.of("nifti"));   // quarantine/nifti
 * }</pre>
 *
 * @param folder the folder name under {@code quarantine/}: lower-case letters, digits and '-'
 */
public record Bucket(String folder) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    /** Any failure no format claims, such as an unrecognised file type: {@code quarantine/unknown}. */
    public static final Bucket UNKNOWN = new Bucket("unknown");

    public Bucket {
        Objects.requireNonNull(folder, "folder");
        if (!NAME.matcher(folder).matches()) {
            throw new IllegalArgumentException("a quarantine bucket name is 1 to 32 lower-case letters, digits"
                    + " or '-', starting with a letter or digit");
        }
    }

    /**
     * @param folder the folder name under {@code quarantine/}
     * @return the bucket
     * @throws IllegalArgumentException if the name is not lower-case letters, digits and '-'
     */
    public static Bucket of(String folder) {
        return UNKNOWN.folder.equals(folder) ? UNKNOWN : new Bucket(folder);
    }

    @Override
    public String toString() {
        return folder;
    }
}
