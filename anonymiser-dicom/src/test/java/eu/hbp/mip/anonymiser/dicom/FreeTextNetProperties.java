package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.dicom.codec.DataSet;
import eu.hbp.mip.anonymiser.dicom.codec.Tag;
import eu.hbp.mip.anonymiser.dicom.codec.VR;
import eu.hbp.mip.anonymiser.dicom.profile.DicomProfile;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** For random names and texts: no part of the patient's name survives in any kept text value, in either shipped profile. */
class FreeTextNetProperties {

    private static final DicomProfile MIP = Elements.shipped("mip-default");
    private static final DicomProfile PS315 = Elements.shipped("ps3.15-basic");
    private static final List<String> WORDS = List.of("brain", "mri", "t1", "axial", "for", "of", "contrast", "dr",
            "follow-up", "3d", "scan", "left", "x");
    private static final List<String> SEPARATORS = List.of(" ", "^", ", ", "-", " (", ") ", "'", "/", "_");

    /** Text elements the shipped profiles keep, at the top level and in a kept sequence's item. */
    private static final int[] TOP = {0x00081030, 0x0008103E, 0x00180024, 0x00080070, 0x00081090};

    private static Path dir;
    private static PseudonymStore store;

    @BeforeContainer
    static void open() throws IOException {
        dir = Files.createTempDirectory("free-text-properties");
        store = Stores.sqlite(dir);
    }

    @AfterContainer
    static void close() throws IOException {
        store.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    record Case(List<String> nameParts, List<String> texts) {
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<String> part = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(3).ofMaxLength(9)
                .filter(p -> !p.equals("removed") && !WORDS.contains(p) && !List.of("mrs", "miss", "prof", "phd").contains(p));
        Arbitrary<List<String>> parts = part.list().ofMinSize(1).ofMaxSize(3).uniqueElements();
        return parts.flatMap(names -> {
            Arbitrary<String> token = Arbitraries.oneOf(Arbitraries.of(WORDS), Arbitraries.of(names)
                    .flatMap(n -> Arbitraries.of(n, n.toUpperCase(Locale.ROOT),
                            Character.toUpperCase(n.charAt(0)) + n.substring(1))));
            Arbitrary<String> text = Combinators.combine(token.list().ofMinSize(1).ofMaxSize(8),
                    Arbitraries.of(SEPARATORS).list().ofSize(8)).as((tokens, seps) -> {
                        StringBuilder sb = new StringBuilder();
                        for (int i = 0; i < tokens.size(); i++) {
                            sb.append(i == 0 ? "" : seps.get(i)).append(tokens.get(i));
                        }
                        return sb.toString();
                    });
            return text.list().ofSize(TOP.length + 1).map(texts -> new Case(names, texts));
        });
    }

    private static void check(DicomProfile profile, Case c) {
        DataSet ds = new DataSet(false);
        ds.putString(0x00100010, VR.PN, String.join("^", c.nameParts()));
        ds.putString(0x00100020, VR.LO, "ID-1");
        for (int i = 0; i < TOP.length; i++) {
            ds.putString(TOP[i], Tag.group(TOP[i]) == 0x0018 ? VR.SH : VR.LO, c.texts().get(i));
        }
        DataSet item = ds.addItem(0x00082218);
        item.putString(0x00080100, VR.SH, "T-A0100");
        item.putString(0x00080104, VR.LO, c.texts().get(TOP.length));
        HeaderSeeds seeds = HeaderSeeds.of(ds);
        Elements.editor(profile, store).apply(ds);
        new FreeTextNet(seeds).replace(ds);
        List<Pattern> names = new ArrayList<>();
        for (String n : c.nameParts()) {
            names.add(Pattern.compile("(?<![\\p{L}\\p{N}])" + n + "(?![\\p{L}\\p{N}])", Pattern.CASE_INSENSITIVE));
        }
        ds.forEachDeep((holder, e) -> {
            if (!HeaderSeeds.searched(e)) {
                return;
            }
            for (String v : holder.strings(e.tag())) {
                for (Pattern p : names) {
                    if (p.matcher(v).find()) {
                        throw new AssertionError(profile.name() + ": a name part survived in " + Tag.toString(e.tag()));
                    }
                }
            }
        });
    }

    @Property(tries = 150)
    void noPatientNamePartSurvivesInKeptTextUnderMipDefault(@ForAll("cases") Case c) {
        check(MIP, c);
    }

    @Property(tries = 150)
    void noPatientNamePartSurvivesInKeptTextUnderPs315Basic(@ForAll("cases") Case c) {
        check(PS315, c);
    }
}
