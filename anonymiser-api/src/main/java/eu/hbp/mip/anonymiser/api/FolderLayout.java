package eu.hbp.mip.anonymiser.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Objects;

/**
 * The folders of the MIP deployment's folder contract:
 *
 * <pre>
 * db            pseudonym database and site key
 * in            files to be processed
 * out           files successfully anonymised
 * pacs/csv      manifests of what was pulled from a PACS
 * pacs/dicoms   imaging data anonymised from the PACS
 * pacs/download temporary folder for files being retrieved
 * quarantine/&lt;bucket&gt;  files whose anonymisation failed: one bucket per format,
 *                     pacs (files retrieved from a PACS) and unknown
 * scripts/&lt;format&gt;   profiles, one folder per format
 * </pre>
 *
 * <p>{@link #standard(Path)} lays these out under one root; an embedding service
 * can place each folder elsewhere with {@link #of}. Immutable and thread-safe.
 * {@link #create()} makes what is missing and never deletes anything.
 *
 * <pre>{@code
 * FolderLayout layout = FolderLayout.standard(Path.of("/data/anonymiser")).create();
 * Path profiles = layout.profiles(provider.name());
 * Path quarantined = layout.quarantine(provider.bucket());
 * }</pre>
 *
 * @param db the pseudonym database and site key
 * @param in files to be processed
 * @param out files successfully anonymised
 * @param pacs the root of the PACS folders ({@code csv}, {@code dicoms}, {@code download})
 * @param quarantine the root of the quarantine buckets
 * @param scripts the root of the profiles, one sub-folder per format
 */
public record FolderLayout(Path db, Path in, Path out, Path pacs, Path quarantine, Path scripts) {

    public FolderLayout {
        Objects.requireNonNull(db, "db");
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(pacs, "pacs");
        Objects.requireNonNull(quarantine, "quarantine");
        Objects.requireNonNull(scripts, "scripts");
    }

    /**
     * The standard layout under {@code root}, as deployed by the MIP.
     *
     * @param root for example {@code /data/anonymiser}
     * @return the layout; nothing is created yet
     */
    public static FolderLayout standard(Path root) {
        return new FolderLayout(root.resolve("db"), root.resolve("in"), root.resolve("out"),
                root.resolve("pacs"), root.resolve("quarantine"), root.resolve("scripts"));
    }

    /**
     * A layout with each folder placed by the caller.
     *
     * @return the layout; nothing is created yet
     */
    public static FolderLayout of(Path db, Path in, Path out, Path pacs, Path quarantine, Path scripts) {
        return new FolderLayout(db, in, out, pacs, quarantine, scripts);
    }

    /** @return {@code pacs/csv}: manifests of what was pulled */
    public Path pacsCsv() {
        return pacs.resolve("csv");
    }

    /** @return {@code pacs/dicoms}: anonymised imaging data from the PACS */
    public Path pacsDicoms() {
        return pacs.resolve("dicoms");
    }

    /** @return {@code pacs/download}: files being retrieved */
    public Path pacsDownload() {
        return pacs.resolve("download");
    }

    /**
     * @param bucket the quarantine bucket
     * @return its folder, {@code quarantine/<bucket>}
     */
    public Path quarantine(Bucket bucket) {
        return quarantine.resolve(bucket.folder());
    }

    /**
     * @param format a provider name such as {@code csv} or {@code dicom}
     * @return the folder of that format's profiles, {@code scripts/<format>}
     */
    public Path profiles(String format) {
        if (!format.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("format name must be lower-case letters, digits and '-'");
        }
        return scripts.resolve(format);
    }

    /** The bucket of files retrieved from a PACS, whatever their format: {@code quarantine/pacs}. */
    public static final Bucket PACS_BUCKET = Bucket.of("pacs");

    /**
     * @return every folder of the contract that is the same for every format, parents before
     *         children; a format's {@code scripts/<name>} and {@code quarantine/<bucket>} are made
     *         by whoever installs the format
     */
    public List<Path> folders() {
        return List.of(db, in, out, pacs, pacsCsv(), pacsDicoms(), pacsDownload(), quarantine,
                quarantine(PACS_BUCKET), quarantine(Bucket.UNKNOWN), scripts);
    }

    /**
     * @return the folders that hold patient data before anonymisation or the re-identification
     *         link ({@code db}, {@code quarantine}, {@code pacs/download}): created owner-only
     */
    public List<Path> privateFolders() {
        return List.of(db, quarantine, pacsDownload());
    }

    /**
     * Creates every folder that is missing.
     *
     * @return this layout
     * @throws UncheckedIOException naming the folder that could not be created
     */
    public FolderLayout create() {
        List<Path> owned = privateFolders();
        for (Path folder : folders()) {
            createFolder(folder, owned.stream().anyMatch(folder::startsWith));
        }
        return this;
    }

    /**
     * Creates {@code folder} if missing; where {@code ownerOnly}, its mode is set to 0700 whatever
     * the umask (on file systems with POSIX permissions).
     *
     * @param folder the folder
     * @param ownerOnly whether only the owner may enter it
     * @return the folder
     * @throws UncheckedIOException naming the folder that could not be created
     */
    public static Path createFolder(Path folder, boolean ownerOnly) {
        try {
            Files.createDirectories(folder);
            if (ownerOnly && Files.getFileStore(folder).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create folder " + folder
                    + ": check that its parent exists and is writable by this user", e);
        }
    }
}
