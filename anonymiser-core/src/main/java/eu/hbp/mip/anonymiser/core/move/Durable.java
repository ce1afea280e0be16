package eu.hbp.mip.anonymiser.core.move;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/** File-system primitives of the move protocol: forcing, link counts, linking without overwrite. */
final class Durable {

    /** Upper bound of collision suffixes tried before giving up. */
    private static final int MAX_SUFFIX = 100_000;

    private Durable() {
    }

    /** Forces a file's content and metadata to disk. */
    /**
     * Restricts a file (0600) or folder (0700) to its owner, whatever the umask, on file systems
     * with POSIX permissions; elsewhere, and for a symbolic link, it does nothing.
     */
    static void ownerOnly(Path path) throws IOException {
        if (Files.isSymbolicLink(path)) {
            return; // a link is never followed, its target never touched
        }
        java.nio.file.attribute.PosixFileAttributeView view = Files.getFileAttributeView(path,
                java.nio.file.attribute.PosixFileAttributeView.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (view != null) {
            view.setPermissions(java.nio.file.attribute.PosixFilePermissions.fromString(
                    Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? "rwx------" : "rw-------"));
        }
    }

    static void forceFile(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** Forces a directory's entries to disk (so a create, rename, link or delete in it is durable). */
    static void forceDir(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** {@link #forceDir} that ignores a directory removed meanwhile. */
    static void forceDirIfExists(Path dir) throws IOException {
        try {
            forceDir(dir);
        } catch (NoSuchFileException e) {
            // removed by someone else: nothing left to make durable there
        }
    }

    /** @return the number of hard links to {@code path} itself (a link is not followed) */
    static long links(Path path) throws IOException {
        return ((Number) Files.getAttribute(path, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).longValue();
    }

    /** @return whether {@code path} exists, not following a final symbolic link */
    static boolean exists(Path path) {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * {@code name} with collision suffix {@code k}: {@code scan.dcm}, {@code scan-1.dcm},
     * {@code scan-2.dcm}...; the suffix goes before the last extension.
     */
    static String suffixed(String name, int k) {
        if (k == 0) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        if (dot <= 0) {
            return name + "-" + k;
        }
        return name.substring(0, dot) + "-" + k + name.substring(dot);
    }

    /**
     * Makes {@code source} visible as {@code dir/name}, or under the first free suffixed
     * name; never replaces an existing entry (a hard link fails on an existing name).
     *
     * @return the name used
     */
    static String linkNew(Path dir, String name, Path source) throws IOException {
        for (int k = 0; k < MAX_SUFFIX; k++) {
            String candidate = suffixed(name, k);
            try {
                Files.createLink(dir.resolve(candidate), source);
                return candidate;
            } catch (FileAlreadyExistsException taken) {
                // the name is used: try the next suffix
            }
        }
        // the folder is not named: under in/ it may carry a patient's name
        throw new IOException("no free name after " + MAX_SUFFIX
                + " collision suffixes in a target folder; clear old files from it");
    }

    /**
     * Creates the folders of {@code relative} under {@code root} one segment at a time,
     * refusing to go through a symbolic link or a file.
     *
     * @return the folder, inside {@code root}
     * @throws NotPlainFolderException if a segment exists and is not a plain folder
     */
    static Path plainFolders(Path root, Path relative) throws IOException {
        Path dir = root;
        if (relative == null) {
            return dir;
        }
        for (Path segment : relative) {
            dir = dir.resolve(segment.toString());
            try {
                Files.createDirectory(dir);
            } catch (FileAlreadyExistsException exists) {
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    throw new NotPlainFolderException(root);
                }
            }
        }
        return dir;
    }

    /** Deletes a file or folder tree without following links; missing parts are fine. */
    static void deleteTree(Path root) throws IOException {
        if (!exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null && !(e instanceof NoSuchFileException)) {
                        throw e;
                    }
                    try {
                        Files.deleteIfExists(dir);
                    } catch (DirectoryNotEmptyException racing) {
                        // another worker recreated something inside: leave it to that worker
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException gone) {
            // removed meanwhile
        }
    }

    /** A folder segment on the way to a target is a link or a file, so it was not used. */
    static final class NotPlainFolderException extends IOException {
        private static final long serialVersionUID = 1L;

        NotPlainFolderException(Path root) {
            super("a folder under " + root + " on the way to a target is a symbolic link or a file;"
                    + " links are never followed: replace it by a plain folder");
        }
    }
}
