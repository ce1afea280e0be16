package eu.hbp.mip.anonymiser.core.move;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * The work folder of one claim, {@code in/.anonymiser/<worker>/c<n>/}: the claimed input
 * under {@code input/<relative path>}, the journal, the quarantine sidecar before it is
 * published; and its temp folder {@code out/.anonymiser/<worker>/c<n>/} for outputs.
 */
final class Slot {

    private final Path dir;
    private final Path tempDir;

    Slot(Path dir, Path tempDir) {
        this.dir = dir;
        this.tempDir = tempDir;
    }

    Path dir() {
        return dir;
    }

    Path tempDir() {
        return tempDir;
    }

    Path inputRoot() {
        return dir.resolve("input");
    }

    Path journal() {
        return dir.resolve("journal");
    }

    Path sidecar() {
        return dir.resolve("reason.txt");
    }

    /** @return the claimed input (the one non-folder entry under {@code input/}), if still there */
    Optional<Path> input() throws IOException {
        Path root = inputRoot();
        if (!Durable.exists(root)) {
            return Optional.empty();
        }
        Path[] found = new Path[1];
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    found[0] = file;
                    return FileVisitResult.TERMINATE;
                }
            });
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        }
        return Optional.ofNullable(found[0]);
    }

    /** @return the input's path relative to the input folder, {@code '/'}-separated */
    String relativeName(Path input) {
        Path relative = inputRoot().relativize(input);
        StringBuilder name = new StringBuilder();
        for (Path segment : relative) {
            if (name.length() > 0) {
                name.append('/');
            }
            name.append(segment);
        }
        return name.toString();
    }
}
