package eu.hbp.mip.anonymiser.csv;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks identifying content in free text: the identifiers of the same row (values of its
 * pseudonymised and removed columns, and their words), e-mail addresses, phone numbers,
 * dates, runs of five digits or more, and patterns given by the profile. Every detector
 * runs on the original text; the union of what they find is replaced, one marker per
 * contiguous stretch. Over-masking is preferred to a leak. Immutable and thread-safe.
 *
 * @param identifiers whether the row's identifiers are masked
 * @param detectors the patterns to mask, built-in ones first
 * @param marker the replacement, such as {@code [REMOVED]}
 */
record Scrubber(boolean identifiers, List<Pattern> detectors, String marker) {

    private static final String MONTH = "(?:jan|feb|febr|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
            + "|janv|f[ée]vr|mars|avr|mai|juin|juil|ao[uû]t|d[ée]c|m[äa]r|okt|dez)[\\p{L}]*\\.?";

    /** The built-in detectors by the name a profile's {@code detect:} list uses. */
    static final Map<String, Pattern> BUILT_IN = Map.of(
            "email", Pattern.compile("[\\p{L}\\p{N}._%+-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)+"),
            "phone", Pattern.compile("(?<![\\p{L}\\p{N}+])(?:\\+|00)?(?:\\(\\d{1,4}\\)[ .-]?)?\\d(?:[ .\\-/]?\\(?\\d\\)?){6,}"
                    + "(?![\\p{L}\\p{N}])"),
            "date", Pattern.compile("(?<!\\d)(?:\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}|\\d{1,2}[-/.]\\d{1,2}[-/.]\\d{2,4})(?!\\d)"
                    + "|(?iu)(?<![\\p{L}\\p{N}])(?:\\d{1,2}(?:st|nd|rd|th|er)?\\.?\\s+" + MONTH + ",?\\s+\\d{2,4}"
                    + "|" + MONTH + "\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{2,4}"
                    + "|" + MONTH + "\\s+\\d{4})(?![\\p{L}\\p{N}])"),
            "digits", Pattern.compile("(?<!\\d)\\d{5,}(?!\\d)"));

    /** The order in which built-in detectors run (all of them unless a profile picks). */
    static final List<String> BUILT_IN_ORDER = List.of("email", "phone", "date", "digits");

    /**
     * @param text a non-null free-text cell
     * @param row its row, for identifiers and the marker count
     * @return the text with every finding replaced by the marker
     */
    String scrub(String text, Row row) {
        if (text.isEmpty()) {
            return text;
        }
        BitSet mask = null;
        if (identifiers) {
            for (String token : row.identifierTokens()) {
                mask = maskToken(text, token, mask);
            }
        }
        for (Pattern p : detectors) {
            Matcher m = p.matcher(text);
            while (m.find()) {
                if (m.end() > m.start()) {
                    if (mask == null) {
                        mask = new BitSet(text.length());
                    }
                    mask.set(m.start(), m.end());
                }
            }
        }
        if (mask == null) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int markers = 0;
        int i = 0;
        while (i < text.length()) {
            int start = mask.nextSetBit(i);
            if (start < 0) {
                out.append(text, i, text.length());
                break;
            }
            int end = mask.nextClearBit(start);
            out.append(text, i, start).append(marker);
            markers++;
            i = end;
        }
        row.scrubbed(markers);
        return out.toString();
    }

    /** Marks every case-insensitive occurrence of {@code token} that stands as a whole word. */
    private static BitSet maskToken(String text, String token, BitSet mask) {
        int n = token.length();
        int last = text.length() - n;
        char first = token.charAt(0);
        char firstUpper = Character.toUpperCase(first);
        char firstLower = Character.toLowerCase(first);
        for (int i = 0; i <= last; i++) {
            char c = text.charAt(i);
            if (c != first && c != firstUpper && c != firstLower && Character.toLowerCase(c) != firstLower) {
                continue;
            }
            if (text.regionMatches(true, i, token, 0, n)
                    && (i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)))
                    && (i + n == text.length() || !Character.isLetterOrDigit(text.charAt(i + n)))) {
                if (mask == null) {
                    mask = new BitSet(text.length());
                }
                mask.set(i, i + n);
            }
        }
        return mask;
    }

    /**
     * Adds the tokens of one identifier value: the whole (stripped) value when it has two
     * characters or more, and each of its words (runs of letters or digits) of three or more.
     *
     * @param value a cell of a pseudonymised or removed column; not a null marker
     * @param tokens where to add them
     */
    static void tokens(String value, List<String> tokens) {
        String whole = value.strip();
        if (whole.length() >= 2) {
            tokens.add(whole);
        }
        int start = -1;
        for (int i = 0; i <= whole.length(); i++) {
            boolean word = i < whole.length() && Character.isLetterOrDigit(whole.charAt(i));
            if (word && start < 0) {
                start = i;
            } else if (!word && start >= 0) {
                if (i - start >= 3 && i - start < whole.length()) {
                    tokens.add(whole.substring(start, i));
                }
                start = -1;
            }
        }
    }
}
