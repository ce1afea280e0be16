package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.OutputSink;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.dicom.codec.DicomFile;
import eu.hbp.mip.anonymiser.dicom.codec.DicomReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Runs the real provider over one input file, with a shipped profile or one written into {@code work/scripts}. */
final class OneFile {

    static final String SHIPPED = "src/main/resources/eu/hbp/mip/anonymiser/dicom/profile/";

    private OneFile() {
    }

    static Outcome run(Path work, String profile, Path input) {
        return run(work, profile, input, Map.of());
    }

    static Outcome run(Path work, String profile, Path input, Map<String, String> options) {
        try (PseudonymStore store = Stores.sqlite(work)) {
            Map<String, String> o = new HashMap<>(options);
            o.put(DicomAnonymiserProvider.PROFILE_OPTION, profile);
            AnonymiserContext context = new AnonymiserContext(work.resolve("scripts"), store, o, DicomAnonymiserTests.CLOCK);
            return new DicomAnonymiserProvider().create(context).anonymise(input, OutputSink.into(work.resolve("out")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Outcome.Anonymised anonymised(Path work, String profile, Path input) {
        Outcome o = run(work, profile, input);
        return assertInstanceOf(Outcome.Anonymised.class, o, o::toString);
    }

    /** The one output of an outcome. */
    static Path output(Path work, Outcome.Anonymised a) {
        assertEquals(1, a.outputs().size());
        return work.resolve("out").resolve(a.outputs().get(0));
    }

    static DicomFile read(Path work, Outcome.Anonymised a) {
        try {
            return DicomReader.read(output(work, a));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code scripts/<name>.yaml}: a shipped profile with lines replaced and top-level keys added.
     *
     * @param replacements pairs of (text in the shipped file, replacement)
     */
    static void siteProfile(Path work, String name, String shipped, String extra, String... replacements) {
        try {
            Path scripts = Files.createDirectories(work.resolve("scripts"));
            String text = Files.readString(Path.of(SHIPPED + shipped + ".yaml"));
            for (int i = 0; i + 1 < replacements.length; i += 2) {
                if (!text.contains(replacements[i])) {
                    throw new IllegalArgumentException("not in " + shipped + ": " + replacements[i]);
                }
                text = text.replace(replacements[i], replacements[i + 1]);
            }
            text = text.replace("\nrules:\n", "\n" + extra + "\nrules:\n");
            Files.writeString(scripts.resolve(name + ".yaml"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
