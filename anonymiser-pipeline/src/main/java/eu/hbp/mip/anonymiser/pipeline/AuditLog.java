package eu.hbp.mip.anonymiser.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.hbp.mip.anonymiser.api.FolderLayout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * The site's append-only audit log, {@code db/}{@value #FILE_NAME}: one JSON object a line for
 * every run, watch pass, PACS pull, consent withdrawal, re-identification and mapping export,
 * with the time (UTC), the command, the operating-system user and counts. It never holds a
 * patient value: pseudonyms, counts, reason codes and file digests only. Owner-only (0600);
 * each line is appended with one write and forced to disk. Thread-safe.
 *
 * <pre>{@code
 * AuditLog.of(layout).append("forget", Map.of("patients", 2, "deleted", 7));
 * }</pre>
 */
public final class AuditLog {

    /** The log's file name in {@code db/}. */
    public static final String FILE_NAME = "audit.log";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Clock clock;

    private AuditLog(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    /** @return the audit log of a site's layout */
    public static AuditLog of(FolderLayout layout) {
        return new AuditLog(layout.db().resolve(FILE_NAME), Clock.systemUTC());
    }

    /** @return the log file */
    public Path file() {
        return file;
    }

    /**
     * Appends one event.
     *
     * @param command what was done ({@code run}, {@code forget}, {@code reidentify}, ...)
     * @param details counts, codes and pseudonyms; never a patient value
     * @throws UncheckedIOException if the log cannot be written (the caller stops: an action
     *         that must be audited is not done without its record)
     */
    public synchronized void append(String command, Map<String, ?> details) {
        Objects.requireNonNull(command, "command");
        ObjectNode line = JSON.createObjectNode();
        line.put("time", clock.instant().toString());
        line.put("command", command);
        line.put("user", System.getProperty("user.name", "?"));
        line.set("details", JSON.valueToTree(details));
        byte[] bytes = (line.toString() + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            if (!Files.exists(file)) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another process created it first
                }
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the audit log " + file
                    + ": check free space and permissions of db/", e);
        }
    }
}
