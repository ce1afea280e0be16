package eu.hbp.mip.anonymiser.csv;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The two ways of finding a row's identifiers, token by token and by the automaton, find the same. */
class IdentifierMatcherProperties {

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.of("Jean", "jean", "JEAN", "Fi", "scher", "Fischer", "Dr", "V-12", "12", "é", " ", ", ",
                "\t", "\n", "\r\n", "\u200B", "\u00AD", "-", "(").list().ofMaxSize(14).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<List<String>> identifiers() {
        return Arbitraries.of("Jean Fischer", "Fi\tscher", "Dr Jean", "V-12", "fi", "jean-", "12", "é Dr")
                .list().ofMaxSize(4);
    }

    @Property(tries = 500)
    void findsTheSameWithAndWithoutTheAutomaton(@ForAll("texts") String text, @ForAll("identifiers") List<String> ids,
                                                @ForAll @IntRange(min = 1, max = 4) int minLength) {
        List<String> tokens = new ArrayList<>();
        for (String id : ids) {
            Scrubber.tokens(id, tokens);
        }
        Normalisation.Text t = Normalisation.text(text);
        assertEquals(new IdentifierMatcher(tokens, Integer.MAX_VALUE).mask(t.view(), t.inWord(), minLength, null),
                new IdentifierMatcher(tokens, 0).mask(t.view(), t.inWord(), minLength, null));
    }
}
