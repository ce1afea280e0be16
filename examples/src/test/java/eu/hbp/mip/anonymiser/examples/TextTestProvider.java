package eu.hbp.mip.anonymiser.examples;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.Bucket;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider;
import eu.hbp.mip.anonymiser.api.spi.Recognition;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tiny format for the runner's own tests, independent of the DICOM and CSV
 * providers: files named {@code *.txt} whose first line is {@code patient: <id>}
 * and second {@code serial: <n>}. The output {@code TXT/<serial>.txt} carries the
 * patient's pseudonym and ends with {@code END}, written in two parts so that a
 * kill can land in between. A file containing {@code REJECT} is rejected.
 */
public final class TextTestProvider implements AnonymiserProvider {

    @Override
    public String name() {
        return "txt";
    }

    /** Its rejections, and consent refusals of its files, go to {@code quarantine/unknown}. */
    @Override
    public Bucket bucket() {
        return Bucket.UNKNOWN;
    }

    @Override
    public Recognition recognise(String fileName, ByteBuffer head) {
        byte[] magic = "patient: ".getBytes(StandardCharsets.US_ASCII);
        if (head.remaining() >= magic.length) {
            boolean same = true;
            for (int i = 0; i < magic.length; i++) {
                same &= head.get(head.position() + i) == magic[i];
            }
            if (same) {
                return Recognition.BY_CONTENT;
            }
        }
        return fileName.endsWith(".txt") ? Recognition.BY_NAME : Recognition.NO;
    }

    @Override
    public Map<String, String> sampleProfiles() {
        return Map.of("txt-sample.yaml", "# sample profile of the test format\nkeep: serial\n");
    }

    @Override
    public Anonymiser create(AnonymiserContext context) {
        PseudonymStore store = context.store();
        return new Anonymiser() {
            @Override
            public boolean explain(java.nio.file.Path input, java.util.function.Consumer<String> out,
                                   boolean showValues) throws java.io.IOException {
                List<String> lines = Files.readAllLines(input, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String l = lines.get(i);
                    String value = showValues ? " [" + l + "]" : "";
                    String action = i == 0 ? "pseudonymise (patient domain), rule 'patient', txt-sample.yaml:1"
                            : i == 1 ? "keep, rule 'serial', txt-sample.yaml:2"
                            : l.contains("REJECT") ? "rejects the file (txt-rejected)" : "keep, body";
                    out.accept("line " + (i + 1) + " (" + l.length() + " characters)" + value + ": " + action);
                }
                return true;
            }

            @Override
            public eu.hbp.mip.anonymiser.api.Outcome anonymise(java.nio.file.Path input,
                    eu.hbp.mip.anonymiser.api.OutputSink sink) throws java.io.IOException {
                return anonymiseText(store, input, sink);
            }
        };
    }

    private Outcome anonymiseText(PseudonymStore store, java.nio.file.Path input,
                                  eu.hbp.mip.anonymiser.api.OutputSink sink) throws java.io.IOException {
        {
            List<String> lines = Files.readAllLines(input, StandardCharsets.UTF_8);
            if (lines.size() < 2 || !lines.get(0).startsWith("patient: ") || !lines.get(1).startsWith("serial: ")) {
                return new Outcome.Rejected("txt-malformed", "line 1 must be 'patient: <id>', line 2 'serial: <n>'",
                        Bucket.UNKNOWN);
            }
            if (lines.stream().anyMatch(l -> l.contains("REJECT"))) {
                return new Outcome.Rejected("txt-rejected", "a line holds the word REJECT", Bucket.UNKNOWN);
            }
            String subject = store.pseudonym(PseudonymStore.PATIENT, lines.get(0).substring(9));
            String serial = lines.get(1).substring(8).strip();
            String name = "TXT/" + serial + ".txt";
            StringBuilder body = new StringBuilder();
            for (String l : lines.subList(2, lines.size())) {
                body.append(l).append('\n');
            }
            try (WritableByteChannel ch = sink.create(name)) {
                write(ch, "patient: " + subject + "\nserial: " + serial + "\n");
                sleep();
                write(ch, body + "END\n");
            }
            return new Outcome.Anonymised(List.of(name), Map.of("pseudonymise", 1L), Set.of(subject));
        }
    }

    private static void write(WritableByteChannel ch, String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
