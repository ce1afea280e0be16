package eu.hbp.mip.anonymiser.api;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where an {@link Anonymiser} writes its output files, by relative name.
 *
 * <p>A name is a relative path of {@code /}-separated segments made of letters,
 * digits, {@code . _ -} (for example {@code DICOM/2026/20261125/AB12/0001/0001.dcm});
 * {@link #checkName(String)} enforces it, so no name taken from input can reach
 * outside the target folder. The crash-safe mover in {@code anonymiser-core}
 * supplies a sink whose files become visible only when the whole input has been
 * anonymised; {@link #into(Path)} is a plain sink for embedding and tests.
 */
public interface OutputSink {

    /**
     * Creates a new output file and opens it for writing. The caller closes it.
     *
     * @param relativeName a name accepted by {@link #checkName(String)}
     * @return a channel to write the file's bytes into; a {@link FileChannel}
     *         where the sink is file-backed, so that bulk copies can use
     *         {@link FileChannel#transferTo}
     * @throws IOException if the file cannot be created
     * @throws IllegalArgumentException if the name is not a safe relative name
     */
    WritableByteChannel create(String relativeName) throws IOException;

    /**
     * A sink writing straight into {@code folder}, creating sub-folders as needed
     * and refusing to overwrite an existing file. It gives no crash safety.
     *
     * @param folder the target folder; not null
     * @return a sink into that folder
     */
    static OutputSink into(Path folder) {
        return name -> {
            Path target = folder.resolve(checkName(name));
            Files.createDirectories(target.getParent());
            return FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        };
    }

    /**
     * Checks that {@code name} is a safe relative output name.
     *
     * @param name the candidate name
     * @return the same name
     * @throws IllegalArgumentException naming the rule broken (never echoing the name,
     *         which may come from input)
     */
    static String checkName(String name) {
        if (name == null || name.isEmpty() || name.length() > 1024) {
            throw new IllegalArgumentException("output name must be 1 to 1024 characters");
        }
        if (!SafeNames.PATTERN.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "output name must be '/'-separated segments of letters, digits, '.', '_' or '-',"
                            + " no segment '.' or '..' and no leading '/'");
        }
        return name;
    }
}
