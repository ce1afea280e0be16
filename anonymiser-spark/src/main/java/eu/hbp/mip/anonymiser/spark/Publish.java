package eu.hbp.mip.anonymiser.spark;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/**
 * The commit step of the job: a staged file becomes visible under its final name whole, and
 * only if no file of that name is there yet. The final names are derived from the input and the
 * key, so a second attempt of one input (a retried or speculative task, a rerun) finds the first
 * one's file and drops its own: never a duplicate, never a partial file, never an overwrite.
 *
 * <p>On HDFS a rename onto an existing file fails atomically; on the local file system
 * (where Hadoop's rename would replace the target) a hard link is made instead, which fails
 * atomically too; on S3A an object appears whole when its copy completes.
 */
final class Publish {

    private Publish() {
    }

    /** @return the file system to write through: the local one without {@code .crc} sidecars */
    static FileSystem writable(Path path, org.apache.hadoop.conf.Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    }

    /**
     * Makes {@code staged} visible as {@code target} unless {@code target} exists.
     *
     * @return true if this call published it, false if {@code target} was there already
     *         (the staged file is removed either way)
     * @throws IOException if neither the publish happened nor the target exists
     */
    static boolean noReplace(FileSystem fs, Path staged, Path target) throws IOException {
        Path parent = target.getParent();
        if (fs instanceof RawLocalFileSystem raw) {
            java.nio.file.Path from = raw.pathToFile(staged).toPath();
            java.nio.file.Path to = raw.pathToFile(target).toPath();
            Files.createDirectories(to.getParent());
            try {
                Files.createLink(to, from);
                Files.delete(from);
                return true;
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(from);
                return false;
            }
        }
        if (parent != null) {
            fs.mkdirs(parent);
        }
        if (fs.rename(staged, target)) {
            return true;
        }
        if (fs.exists(target)) {
            fs.delete(staged, false);
            return false;
        }
        // No path in the message: a quarantined input keeps its original name, which may be a patient's.
        throw new IOException("cannot publish a staged file: the rename failed; check that the output and"
                + " quarantine locations are writable by the job's user");
    }

    /** Copies a local file to {@code target} (created, never overwritten). */
    static void upload(java.nio.file.Path local, FileSystem fs, Path target) throws IOException {
        try (InputStream in = Files.newInputStream(local); OutputStream out = create(fs, target)) {
            in.transferTo(out);
        }
    }

    /** Writes bytes to {@code target} (created, never overwritten). */
    static void write(byte[] bytes, FileSystem fs, Path target) throws IOException {
        try (OutputStream out = create(fs, target)) {
            out.write(bytes);
        }
    }

    /**
     * Creates a new file. On the local file system through java.nio: Hadoop's local file system
     * sets permissions by forking {@code chmod} when its native library is absent, a process
     * per file.
     */
    private static OutputStream create(FileSystem fs, Path target) throws IOException {
        if (fs instanceof RawLocalFileSystem raw) {
            java.nio.file.Path file = raw.pathToFile(target).toPath();
            Files.createDirectories(file.getParent());
            return Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
        return fs.create(target, false);
    }
}
