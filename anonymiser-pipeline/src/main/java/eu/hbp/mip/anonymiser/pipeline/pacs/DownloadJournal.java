package eu.hbp.mip.anonymiser.pipeline.pacs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The state of a pull, kept in {@code pacs/download/.pull/} so that a pull cut short
 * (crash, server down) resumes where it stopped: which instances were anonymised or
 * quarantined already. An instance is named by its key, the site-keyed replacement of
 * its SOPInstanceUID ({@code 2.25....}), so the journal holds no original value.
 *
 * <p>Each record is appended before the instance's output is published, but not forced to
 * disk: the durable record that an instance was handled is the pseudonym store's
 * ({@link PacsPull#PULLED_DOMAIN}), flushed before every publish; a record lost in a crash
 * only turns that instance's count from "anonymised" into "pulled before" in the
 * manifest. Temporary download files ({@code *.part}) live in the same folder.
 * {@link #delete()} removes the folder at the end of a complete pull. Thread-safe.
 */
final class DownloadJournal implements AutoCloseable {

    static final String FOLDER = ".pull";
    private static final String FILE = "journal";

    /** What became of an instance. */
    enum State {
        ANONYMISED('A'), QUARANTINED('Q');

        final char code;

        State(char code) {
            this.code = code;
        }

        static Optional<State> of(char c) {
            for (State s : values()) {
                if (s.code == c) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }

    private final Path folder;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final FileChannel channel;

    private DownloadJournal(Path folder, FileChannel channel) {
        this.folder = folder;
        this.channel = channel;
    }

    /**
     * Opens (or creates) the journal under {@code download}, reading what an earlier pull recorded.
     * A torn last line (a crash while appending) is ignored.
     */
    static DownloadJournal open(Path download) throws IOException {
        Path folder = download.resolve(FOLDER);
        Files.createDirectories(folder);
        Path file = folder.resolve(FILE);
        DownloadJournal journal = new DownloadJournal(folder, FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND));
        if (Files.size(file) > 0) {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes[bytes.length - 1] != '\n') {
                // a torn last record: end it so that the next one starts on its own line
                journal.channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
            }
            for (String line : new String(bytes, StandardCharsets.US_ASCII).split("\n")) {
                if (line.length() > 2 && line.charAt(1) == ' ') {
                    String key = line.substring(2);
                    State.of(line.charAt(0)).ifPresent(s -> journal.states.put(key, s));
                }
            }
        }
        return journal;
    }

    /** @return the folder for temporary files of this pull */
    Path folder() {
        return folder;
    }

    /** @return what an earlier record says of {@code key} */
    Optional<State> state(String key) {
        return Optional.ofNullable(states.get(key));
    }

    /** Records that {@code key} reached {@code state}; a repeat is not written again. */
    void record(String key, State state) throws IOException {
        synchronized (channel) {
            if (states.get(key) == state) {
                return;
            }
            ByteBuffer line = ByteBuffer.wrap((state.code + " " + key + "\n").getBytes(StandardCharsets.US_ASCII));
            while (line.hasRemaining()) {
                channel.write(line);
            }
            states.put(key, state);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Closes the journal and deletes its folder with every temporary file in it. */
    void delete() throws IOException {
        close();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
