package eu.hbp.mip.anonymiser.csv;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ScrubberTests {

    private static final Scrubber ALL = new Scrubber(true,
            Scrubber.BUILT_IN_ORDER.stream().map(Scrubber.BUILT_IN::get).toList(), "[X]");

    /** A row whose identifier columns hold the given values. */
    private static Row row(String... identifiers) {
        List<String> tokens = new ArrayList<>();
        for (String id : identifiers) {
            Scrubber.tokens(id, tokens);
        }
        return new Row() {
            @Override
            public int patientShift() {
                return 0;
            }

            @Override
            public List<String> identifierTokens() {
                return tokens;
            }

            @Override
            public void scrubbed(int markers) {
            }
        };
    }

    private static String scrub(String text, String... identifiers) {
        return ALL.scrub(text, row(identifiers));
    }

    @Test
    void masksEmailAddresses() {
        assertEquals("write to [X] today", scrub("write to jean.dupont+rdv@chu-lyon.fr today"));
    }

    @Test
    void masksPhoneNumbersInCommonForms() {
        assertEquals("call [X] or [X] or [X]", scrub("call +33 1 45 67 89 10 or 06.12.34.56.78 or (555) 123-4567"));
    }

    @Test
    void masksNumericAndWrittenDates() {
        assertEquals("seen [X], [X] and [X]", scrub("seen 12/05/2024, 2024-05-12 and 3 March 2021"));
        assertEquals("vu le [X]", scrub("vu le 14 févr. 2023"));
    }

    @Test
    void masksLongDigitRunsButNotShortNumbers() {
        assertEquals("ID [X], MMSE 22/30, 120 mg", scrub("ID 4471203, MMSE 22/30, 120 mg"));
    }

    @Test
    void masksRowIdentifiersAndTheirWordsCaseInsensitively() {
        assertEquals("[X] called; [X]-[X] agreed, see [X]",
                scrub("DUPONT called; Jean-Pierre agreed, see IPP-0042", "Jean-Pierre Dupont", "IPP-0042"));
    }

    @Test
    void masksIdentifiersOnlyAsWholeWords() {
        assertEquals("Martinez met [X]", scrub("Martinez met Martin", "Martin"));
    }

    @Test
    void joinsAdjacentFindingsIntoOneMarker() {
        assertEquals("[X]", scrub("Jean Dupont", "Jean Dupont"));
    }

    @Test
    void leavesCleanTextAlone() {
        String text = "Patient alert, oriented; gait stable.";
        assertEquals(text, scrub(text, "Dupont"));
    }
}
