package eu.hbp.mip.anonymiser.csv;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The linear scrub finds what the simple quadratic reference finds, on short texts. */
class ScrubberProperties {

    private static final Scrubber ALL = new Scrubber(true, Scrubber.BUILT_IN_ORDER.stream()
            .map(Scrubber.BUILT_IN::get).toList(), "[X]");

    /** Letters (with case pairs), digits and the punctuation the detectors look for; no control characters. */
    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withChars("aAbBeEéÉmMrRjJnN0123456789 .,-/@+()_%:'")
                .ofMaxLength(48);
    }

    @Provide
    Arbitrary<List<String>> identifiers() {
        return Arbitraries.strings().withChars("aAbBéÉmMjJnN0123 -.'").ofMinLength(1).ofMaxLength(12)
                .list().ofMaxSize(4);
    }

    /** Texts built from the identifiers' own pieces, so that matches are frequent. */
    @Provide
    Arbitrary<List<String>> pieces() {
        return Arbitraries.of("Jean", "jEAN", "Dupont", "dupont-x", "12345", "jan 2020", "3 mars 2021", "a@b.cd",
                "x.y@h-1.example.org", "+33 6 12 34 56 78", " ", ", ", "-", "(", ")", "IPP42", "ipp42a", "é", "É")
                .list().ofMaxSize(6);
    }

    @Property(tries = 400)
    void findsWhatTheReferenceFindsOnShortTexts(@ForAll("texts") String text, @ForAll("identifiers") List<String> ids) {
        assertEquals(ReferenceScrubber.scrub(text, ids, ReferenceScrubber.detectors(), "[X]"), ALL.scrub(text, row(ids)));
    }

    @Property(tries = 400)
    void theAutomatonFindsWhatTheReferenceFinds(@ForAll("pieces") List<String> text, @ForAll("pieces") List<String> ids) {
        String joined = String.join("", text);
        List<String> values = ids.stream().filter(v -> !v.isBlank()).toList();
        assertEquals(ReferenceScrubber.scrub(joined, values, ReferenceScrubber.detectors(), "[X]"),
                ALL.scrub(joined, row(values, 0)));
    }

    @Property(tries = 400)
    void findsWhatTheReferenceFindsInTextsMadeOfIdentifiers(@ForAll("pieces") List<String> text,
                                                            @ForAll("pieces") List<String> ids) {
        String joined = String.join("", text);
        List<String> values = List.of(String.join("", ids), ids.isEmpty() ? "" : ids.get(0));
        List<String> nonBlank = values.stream().filter(v -> !v.isBlank()).toList();
        assertEquals(ReferenceScrubber.scrub(joined, nonBlank, ReferenceScrubber.detectors(), "[X]"),
                ALL.scrub(joined, row(nonBlank)));
    }

    static Row row(List<String> identifierValues) {
        return row(identifierValues, IdentifierMatcher.NAIVE_WORK);
    }

    /** @param naiveWork 0 to search with the automaton whatever the text's length */
    static Row row(List<String> identifierValues, int naiveWork) {
        List<String> tokens = new ArrayList<>();
        for (String v : identifierValues) {
            Scrubber.tokens(v, tokens);
        }
        IdentifierMatcher matcher = new IdentifierMatcher(tokens, naiveWork);
        return new Row() {
            @Override
            public int patientShift() {
                return 0;
            }

            @Override
            public IdentifierMatcher identifiers() {
                return matcher;
            }

            @Override
            public void scrubbed(int markers) {
            }
        };
    }
}
