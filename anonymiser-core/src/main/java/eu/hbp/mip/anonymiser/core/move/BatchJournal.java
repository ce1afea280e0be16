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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The intent record of a group commit: one file {@code in/.anonymiser/<worker>/b<n>} that
 * decides the publish of several claims at once, naming each claim folder with its
 * outputs. Like a claim's own {@link Journal} it counts only when complete (last line
 * {@code end}). A claim's own journal, when present, wins over a batch journal (it is only
 * ever written for a claim whose batch was not decided).
 */
final class BatchJournal {

    static final String PREFIX = "b";
    private static final String HEADER = "mip-anonymiser-batch 1";
    private static final String END = "end";

    private BatchJournal() {
    }

    /** @return whether {@code name} is a batch journal's file name */
    static boolean named(String name) {
        return name.length() > 1 && name.startsWith(PREFIX) && name.chars().skip(1).allMatch(Character::isDigit);
    }

    /**
     * Writes the journal, forces it and its folder (the worker folder) to disk: the publish of
     * every claim in it is then decided.
     *
     * @param claims claim folder name to its publish journal, in order
     */
    static void write(Path file, Map<String, Journal> claims) throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (Map.Entry<String, Journal> claim : claims.entrySet()) {
            text.append("slot ").append(claim.getKey()).append('\n');
            for (Journal.Output output : claim.getValue().outputs()) {
                text.append("output ").append(output.temp()).append(' ').append(output.name()).append('\n');
            }
        }
        text.append(END).append('\n');
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Durable.forceDir(file.getParent());
    }

    /**
     * @return claim folder name to its publish journal, or empty if the file is absent or
     *         incomplete (then nothing was decided by it)
     */
    static Optional<Map<String, Journal>> read(Path file) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException | CharacterCodingException absentOrTorn) {
            return Optional.empty();
        }
        String[] lines = text.split("\n", -1);
        if (lines.length < 3 || !lines[0].equals(HEADER) || !lines[lines.length - 2].equals(END)
                || !lines[lines.length - 1].isEmpty()) {
            return Optional.empty();
        }
        Map<String, List<Journal.Output>> outputs = new LinkedHashMap<>();
        List<Journal.Output> current = null;
        for (int i = 1; i < lines.length - 2; i++) {
            String line = lines[i];
            if (line.startsWith("slot ")) {
                current = new ArrayList<>();
                outputs.put(line.substring("slot ".length()), current);
            } else if (line.startsWith("output ") && current != null) {
                String value = line.substring("output ".length());
                int sep = value.indexOf(' ');
                if (sep < 0) {
                    return Optional.empty();
                }
                current.add(new Journal.Output(value.substring(0, sep), value.substring(sep + 1)));
            } else {
                return Optional.empty();
            }
        }
        Map<String, Journal> claims = new LinkedHashMap<>();
        outputs.forEach((slot, list) -> claims.put(slot, Journal.publish(list)));
        return Optional.of(claims);
    }
}
