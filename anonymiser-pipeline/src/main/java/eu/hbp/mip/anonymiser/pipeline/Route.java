package eu.hbp.mip.anonymiser.pipeline;

import eu.hbp.mip.anonymiser.api.Bucket;
import eu.hbp.mip.anonymiser.api.FolderLayout;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a source's files wait and where they go: the files of a source wait in an inbox,
 * anonymised outputs are published into a target folder, and rejected files go to the bucket
 * their format names, or, for a source that says so, to one bucket of its own. Immutable.
 *
 * <ul>
 *   <li>{@link #folder(FolderLayout)}: {@code in/} to {@code out/} (target {@value #OUT});</li>
 *   <li>{@link #pacs(FolderLayout)}: {@code pacs/download/} to {@code pacs/dicoms/}, every
 *       rejection to {@code quarantine/pacs} (target {@value #PACS}); the DICOMweb pull and the
 *       DIMSE sources (anonymiser-dimse) fetch into its inbox and hand each complete file to the pipeline.</li>
 * </ul>
 *
 * @param target the name the output index records for this target, such as {@value #OUT}
 * @param inbox where the source's files wait, complete, to be claimed
 * @param outbox where outputs are published (output names are relative to it)
 * @param bucket the bucket of every rejection, or empty for the format's own bucket
 */
public record Route(String target, Path inbox, Path outbox, Optional<Bucket> bucket) {

    /** The target of {@code out/}. */
    public static final String OUT = "out";
    /** The target of {@code pacs/dicoms/}. */
    public static final String PACS = "pacs";

    public Route {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(inbox, "inbox");
        Objects.requireNonNull(outbox, "outbox");
        Objects.requireNonNull(bucket, "bucket");
    }

    /** @return the folder source: {@code in/} to {@code out/} */
    public static Route folder(FolderLayout layout) {
        return new Route(OUT, layout.in(), layout.out(), Optional.empty());
    }

    /** @return the PACS sources: {@code pacs/download/} to {@code pacs/dicoms/}, rejections to {@code quarantine/pacs} */
    public static Route pacs(FolderLayout layout) {
        return new Route(PACS, layout.pacsDownload(), layout.pacsDicoms(), Optional.of(FolderLayout.PACS_BUCKET));
    }

    /** @return every target folder of a layout, by target name: where status, forward, verify and forget look */
    public static java.util.Map<String, Path> targets(FolderLayout layout) {
        java.util.Map<String, Path> t = new java.util.LinkedHashMap<>();
        t.put(OUT, layout.out());
        t.put(PACS, layout.pacsDicoms());
        return t;
    }
}
