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
        IdentifierMatcher matcher = new IdentifierMatcher(tokens);
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

    @Test
    void masksARowIdentifierHiddenByInvisibleOrCompatibilityCharacters() {
        assertEquals("Dr [X]", scrub("Dr Fi\u200Bscher", "Fischer"));
        assertEquals("Dr [X]", scrub("Dr Fi\u00ADscher", "Fischer"));
        assertEquals("Dr [X]", scrub("Dr Fi\tscher", "Fischer"));
        assertEquals("Dr [X]", scrub("Dr \uFF26\uFF49\uFF53\uFF43\uFF48\uFF45\uFF52", "Fischer"));
        assertEquals("[X] called", scrub("Fischer called", "Fi\u200Bsch\ter"));
    }

    @Test
    void masksAWordBesideAControlCharacter() {
        assertEquals("Dr [X] saw her", scrub("Dr\tMartin saw her", "Martin"));
    }

    @Test
    void aProfilePatternFindsTextSplitByInvisibleOrControlCharacters() {
        Scrubber listed = new Scrubber(false, List.of(java.util.regex.Pattern.compile("Fischer")), "[X]");
        for (String hidden : List.of("Fi\u200Bscher", "Fi\u00ADscher", "Fi\tscher", "Fi\r\nscher")) {
            assertEquals("seen by [X].", listed.scrub("seen by " + hidden + ".", row()), hidden.replace('\t', 't'));
        }
    }

    @Test
    void keepsLineBreaksBetweenWordsOfFreeText() {
        assertEquals("line one.\r\nline two", scrub("line one.\r\nline two", "Dupont"));
    }

    private static final int MEGABYTE = 1 << 20;

    @Test
    void scrubsAMegabyteCellAsItsRepeatedPart() {
        String part = "Patient Anna Weber seen 3 March 2021, mail anna.weber@example.org, tel +33 6 12 34 56 78,"
                + " ref IPP0042; stable.\r\n";
        String cell = part.repeat(MEGABYTE / part.length() + 1);
        String scrubbedPart = scrub(part, "Anna Weber", "IPP0042");
        assertEquals("Patient [X] seen [X], mail [X], tel [X], ref [X]; stable.\r\n", scrubbedPart);
        same(scrubbedPart.repeat(MEGABYTE / part.length() + 1), scrub(cell, "Anna Weber", "IPP0042"));
    }

    @Test
    void scrubsAMegabyteCellAgainstTenThousandIdentifierWords() {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            ids.append(word(i)).append(' ');
        }
        StringBuilder text = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; text.length() < MEGABYTE; i = (i + 7919) % 20_000) {
            text.append(word(i)).append(" ok ");
            expected.append(i < 10_000 ? "[X]" : word(i)).append(" ok ");
        }
        same(expected.toString(), scrub(text.toString(), ids.toString()));
    }

    /** A word of letters only (digits would be found by the digits detector). */
    private static String word(int i) {
        StringBuilder w = new StringBuilder("nom");
        for (int n = i; n > 0 || w.length() == 3; n /= 26) {
            w.append((char) ('a' + n % 26));
        }
        return w.toString();
    }

    /** Compares long texts without printing them. */
    private static void same(String expected, String actual) {
        int at = 0;
        while (at < Math.min(expected.length(), actual.length()) && expected.charAt(at) == actual.charAt(at)) {
            at++;
        }
        if (at < expected.length() || at < actual.length()) {
            throw new AssertionError("texts of " + expected.length() + " and " + actual.length()
                    + " characters differ at " + at + ": expected ..." + snippet(expected, at) + "... but was ..."
                    + snippet(actual, at) + "...");
        }
    }

    private static String snippet(String s, int at) {
        return s.substring(Math.max(0, at - 20), Math.min(s.length(), at + 20));
    }

    @Test
    void scrubsMegabyteCellsMadeToDefeatBacktracking() {
        String letters = "a".repeat(MEGABYTE);
        same(letters, scrub(letters, "ab"));
        same("a".repeat(MEGABYTE - 64) + "[X]", scrub(letters + "@b.cd"));
        String digits = "1".repeat(MEGABYTE);
        same("[X]x", scrub(digits + "x"));
        // a phone number has 41 digits at most: the run is masked 41 digits at a time, the '-' between them kept
        same("[X]-".repeat((MEGABYTE / 2 + 40) / 41), scrub("1-".repeat(MEGABYTE / 2)));
        String spaces = "12" + " ".repeat(MEGABYTE) + "x";
        same(spaces, scrub(spaces));
        String months = "jan ".repeat(MEGABYTE / 4);
        same(months, scrub(months, "janvier"));
        String dots = "a.".repeat(MEGABYTE / 2) + "@";
        same(dots, scrub(dots));
    }
}
