package eu.hbp.mip.anonymiser.core.move;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The intent record of one claim: what is to become of the claimed input, written and
 * forced before the first visible change. A journal counts only when complete (its last
 * line is {@code end}); an incomplete one is as if absent, since nothing visible happens
 * before it is complete.
 *
 * @param kind what is being done
 * @param links the claimed input's hard-link count when journalled (a higher count later
 *        means its link into the target folder was made)
 * @param bucket the quarantine bucket folder name (quarantine only)
 * @param name the quarantine file name (quarantine only)
 * @param outputs temp file name and final relative name per output (publish only)
 */
record Journal(Kind kind, long links, String bucket, String name, List<Output> outputs) {

    private static final String HEADER = "mip-anonymiser-journal 1";
    private static final String END = "end";

    enum Kind { PUBLISH, QUARANTINE, RELEASE }

    /** One output: its temp file (a name in the claim's temp folder) and its final relative name. */
    record Output(String temp, String name) {
    }

    Journal {
        outputs = List.copyOf(outputs);
    }

    static Journal publish(List<Output> outputs) {
        return new Journal(Kind.PUBLISH, 1, "", "", outputs);
    }

    static Journal quarantine(String bucket, long links, String name) {
        return new Journal(Kind.QUARANTINE, links, bucket, name, List.of());
    }

    static Journal release(long links) {
        return new Journal(Kind.RELEASE, links, "", "", List.of());
    }

    /** Writes the journal to {@code file}, forces it and its folder to disk. */
    void write(Path file) throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        text.append("kind ").append(kind.name().toLowerCase(java.util.Locale.ROOT)).append('\n');
        text.append("links ").append(links).append('\n');
        if (kind == Kind.QUARANTINE) {
            text.append("bucket ").append(bucket).append('\n');
            text.append("name ").append(name).append('\n');
        }
        for (Output output : outputs) {
            text.append("output ").append(output.temp()).append(' ').append(output.name()).append('\n');
        }
        text.append(END).append('\n');
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Durable.forceDir(file.getParent());
    }

    /** @return the complete journal in {@code file}, or empty if it is absent or incomplete */
    static Optional<Journal> read(Path file) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException absent) {
            return Optional.empty();
        } catch (CharacterCodingException torn) {
            return Optional.empty();
        }
        String[] lines = text.split("\n", -1);
        // a complete journal ends with "end\n": the last split element is empty
        if (lines.length < 4 || !lines[0].equals(HEADER) || !lines[lines.length - 2].equals(END)
                || !lines[lines.length - 1].isEmpty()) {
            return Optional.empty();
        }
        Kind kind = null;
        long links = -1;
        String bucket = "";
        String name = "";
        List<Output> outputs = new ArrayList<>();
        for (int i = 1; i < lines.length - 2; i++) {
            String line = lines[i];
            int space = line.indexOf(' ');
            if (space < 0) {
                return Optional.empty();
            }
            String key = line.substring(0, space);
            String value = line.substring(space + 1);
            switch (key) {
                case "kind" -> kind = parseKind(value);
                case "links" -> links = parseLong(value);
                case "bucket" -> bucket = value;
                case "name" -> name = value;
                case "output" -> {
                    int sep = value.indexOf(' ');
                    if (sep < 0) {
                        return Optional.empty();
                    }
                    outputs.add(new Output(value.substring(0, sep), value.substring(sep + 1)));
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
        if (kind == null || links < 1) {
            return Optional.empty();
        }
        return Optional.of(new Journal(kind, links, bucket, name, outputs));
    }

    private static Kind parseKind(String value) {
        for (Kind k : Kind.values()) {
            if (k.name().toLowerCase(java.util.Locale.ROOT).equals(value)) {
                return k;
            }
        }
        return null;
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
