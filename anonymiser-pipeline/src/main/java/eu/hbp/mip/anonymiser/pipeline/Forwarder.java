package eu.hbp.mip.anonymiser.pipeline;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Moves validated output on: everything under an output root ({@code out/<root>/}, and
 * {@code pacs/dicoms/<root>/}) to {@code target/}, keeping the relative path below the root
 * ({@code out/DICOM/2026/20261125/x.dcm} becomes {@code target/2026/20261125/x.dcm}).
 *
 * <p>Each file appears in the target whole or not at all: an atomic rename where
 * source and target share a file system, otherwise a copy to a hidden temporary
 * name in the target folder, forced to disk, then linked to its final name (which
 * fails rather than overwrite) before the source is removed. An existing target
 * file is never overwritten: the source stays in {@code out/} and is counted as a
 * conflict, unless it holds the same bytes (a forward interrupted between the link
 * and the removal), in which case the source is removed. Empty folders are left in
 * place, since a runner may be publishing into them. Stateless and thread-safe.
 */
public final class Forwarder {

    /** A stateless forwarder. */
    public Forwarder() {
    }

    /** What one forward did. */
    public record Result(long moved, long bytes, long conflicts) {
    }

    /**
     * @param source the folder whose content moves, such as {@code out/DICOM}
     * @param target the destination folder, created if missing
     * @return the counts
     */
    public Result forward(Path source, Path target) throws IOException {
        if (!Files.isDirectory(source)) {
            return new Result(0, 0, 0);
        }
        Files.createDirectories(target);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(source)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> SiteStatus.visible(source, p))
                    .sorted()
                    .toList();
        }
        long moved = 0;
        long bytes = 0;
        long conflicts = 0;
        for (Path file : files) {
            Path dest = target.resolve(source.relativize(file).toString());
            Files.createDirectories(dest.getParent());
            long size = Files.size(file);
            if (moveNoReplace(file, dest)) {
                moved++;
                bytes += size;
            } else {
                conflicts++;
            }
        }
        return new Result(moved, bytes, conflicts);
    }

    /** @return false if {@code dest} exists already (nothing moved) */
    static boolean moveNoReplace(Path file, Path dest) throws IOException {
        if (Files.exists(dest)) {
            // Left by an interrupted forward (the same file, or the same bytes): finish it.
            if (Files.isSameFile(file, dest) || Files.mismatch(file, dest) == -1L) {
                Files.delete(file);
                return true;
            }
            return false;
        }
        if (Files.getFileStore(file).equals(Files.getFileStore(dest.getParent()))) {
            try {
                // A hard link fails if the target exists, unlike rename(2) which replaces it.
                Files.createLink(dest, file);
                Files.delete(file);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException | IOException e) {
                if (Files.exists(dest)) {
                    return false;
                }
                // no hard links here (some network shares): fall through to the copy
            }
        }
        Path tmp = dest.resolveSibling("." + dest.getFileName() + "." + UUID.randomUUID() + ".part");
        try {
            Files.copy(file, tmp, StandardCopyOption.COPY_ATTRIBUTES);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.createLink(dest, tmp);
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException | IOException e) {
                if (Files.exists(dest)) {
                    return false;
                }
                try {
                    Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException a) {
                    Files.move(tmp, dest);
                }
            }
            Files.delete(file);
            return true;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
