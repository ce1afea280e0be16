package eu.hbp.mip.anonymiser.testformat;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.FormatException;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider;
import eu.hbp.mip.anonymiser.api.spi.Recognition;
import eu.hbp.mip.anonymiser.api.spi.Removal;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trivial format, "notes": a file whose first line is {@code #notes <table>}, then one
 * record per line, {@code <patient id>;<text>}. The output {@code NOTES/<table>.notes} carries
 * each patient's pseudonym instead of the ID, and drops the text of any record whose text holds
 * the word {@code secret}. A record without {@code ;} is a format error (thrown, as a codec
 * would); a record with an empty ID is rejected. Its bucket is {@code notes}, its output root
 * {@code NOTES}; forgetting a subject rewrites a shared output without that subject's records.
 */
public final class NotesProvider implements AnonymiserProvider {

    /** The first bytes of every notes file. */
    static final String MAGIC = "#notes ";

    /** For ServiceLoader. */
    public NotesProvider() {
    }

    @Override
    public String name() {
        return "notes";
    }

    @Override
    public Set<String> options() {
        return Set.of("notes.keep-text");
    }

    @Override
    public Recognition recognise(String fileName, ByteBuffer head) {
        byte[] magic = MAGIC.getBytes(StandardCharsets.US_ASCII);
        if (head.remaining() < magic.length) {
            return Recognition.NO;
        }
        for (int i = 0; i < magic.length; i++) {
            if (head.get(head.position() + i) != magic[i]) {
                return Recognition.NO;
            }
        }
        return Recognition.BY_CONTENT;
    }

    @Override
    public Map<String, String> sampleProfiles() {
        return Map.of("notes.yaml", "# the notes format has nothing to configure\n");
    }

    @Override
    public Anonymiser create(AnonymiserContext context) {
        PseudonymStore store = context.store();
        boolean keepText = context.flag("notes.keep-text");
        return (input, sink) -> {
            List<String> lines = Files.readAllLines(input, StandardCharsets.UTF_8);
            String table = lines.get(0).substring(MAGIC.length()).strip();
            if (!table.matches("[a-z0-9_]{1,40}")) {
                return new Outcome.Rejected("notes-bad-table", "line 1: the table name must be 1 to 40 lower-case"
                        + " letters, digits or '_'", bucket());
            }
            Set<String> subjects = new LinkedHashSet<>();
            StringBuilder out = new StringBuilder(MAGIC).append(table).append('\n');
            for (int i = 1; i < lines.size(); i++) {
                String line = lines.get(i);
                int semi = line.indexOf(';');
                if (semi < 0) {
                    throw new FormatException(-1, "line " + (i + 1) + ": a record is '<patient id>;<text>'");
                }
                if (semi == 0) {
                    return new Outcome.Rejected("notes-no-patient", "line " + (i + 1) + ": the patient ID is empty",
                            bucket());
                }
                String subject = store.pseudonym(PseudonymStore.PATIENT, line.substring(0, semi));
                subjects.add(subject);
                String text = line.substring(semi + 1);
                out.append(subject).append(';').append(keepText || !text.contains("secret") ? text : "").append('\n');
            }
            String name = "NOTES/" + table + ".notes";
            try (WritableByteChannel ch = sink.create(name)) {
                ch.write(ByteBuffer.wrap(out.toString().getBytes(StandardCharsets.UTF_8)));
            }
            return new Outcome.Anonymised(List.of(name), Map.of("pseudonymise", (long) subjects.size()), subjects);
        };
    }

    @Override
    public Removal removeSubject(Path output, String subject, Path rewriteTo) throws IOException {
        long removed = 0;
        try (BufferedReader in = Files.newBufferedReader(output, StandardCharsets.UTF_8);
             BufferedWriter w = new BufferedWriter(Channels.newWriter(Files.newByteChannel(rewriteTo,
                     StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), StandardCharsets.UTF_8))) {
            String line;
            boolean header = true;
            while ((line = in.readLine()) != null) {
                if (!header && line.startsWith(subject + ";")) {
                    removed++;
                    continue;
                }
                header = false;
                w.write(line);
                w.write('\n');
            }
        }
        return Removal.records(removed);
    }
}
