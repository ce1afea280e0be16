package eu.hbp.mip.anonymiser.csv;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks identifying content in free text: the identifiers of the same row (values of its
 * pseudonymised and removed columns, and their words), e-mail addresses, phone numbers,
 * dates, runs of five digits or more, and patterns given by the profile. The text is first
 * normalised ({@link Normalisation}: NFKC, format characters removed, controls as spaces),
 * so Fischer with a zero-width space (U+200B) inside, or in full-width letters, is
 * {@code Fischer}. Every detector runs on the normalised text; the union of what they find is
 * replaced, one marker per contiguous stretch. Over-masking is preferred to a leak.
 * Immutable and thread-safe.
 *
 * <p>Linear in the text's length: the row's identifiers are found in one pass by an
 * Aho-Corasick automaton ({@link IdentifierMatcher}) whatever their number (a short text is
 * searched token by token at word starts), and the built-in patterns are written so that a
 * match attempt does bounded work and bounded recursion: the e-mail detector's parts are
 * bounded by RFC 5321's lengths (64 characters before the {@code @}) and it runs only on text
 * with an {@code @}; a phone number has 7 to 41 digits (a longer run is found by the digits
 * detector). A profile's own {@code patterns:} run as written: a pattern with nested
 * unbounded repetition can still be slow on a long cell.
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
            "email", Pattern.compile("[\\p{L}\\p{N}._%+-]{1,64}@[\\p{L}\\p{N}-]{1,63}(?:\\.[\\p{L}\\p{N}-]{1,63}){1,32}"),
            "phone", Pattern.compile("(?<![\\p{L}\\p{N}+])(?:\\+|00)?(?:\\(\\d{1,4}\\)[ .-]?)?\\d(?:[ .\\-/]?\\(?\\d\\)?){6,40}"
                    + "(?![\\p{L}\\p{N}])"),
            "date", Pattern.compile("(?<!\\d)(?:\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}|\\d{1,2}[-/.]\\d{1,2}[-/.]\\d{2,4})(?!\\d)"
                    + "|(?iu)(?<![\\p{L}\\p{N}])(?:\\d{1,2}(?:st|nd|rd|th|er)?\\.?\\s+" + MONTH + ",?\\s+\\d{2,4}"
                    + "|" + MONTH + "\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{2,4}"
                    + "|" + MONTH + "\\s+\\d{4})(?![\\p{L}\\p{N}])"),
            "digits", Pattern.compile("(?<!\\d)\\d{5,}(?!\\d)"));

    /** The order in which built-in detectors run (all of them unless a profile picks). */
    static final List<String> BUILT_IN_ORDER = List.of("email", "phone", "date", "digits");

    /** The e-mail detector, which only runs on text that holds an {@code @}. */
    private static final Pattern EMAIL = BUILT_IN.get("email");

    /**
     * @param value a non-null free-text cell
     * @param row its row, for identifiers and the marker count
     * @return the normalised text with every finding replaced by the marker
     */
    String scrub(String value, Row row) {
        if (value.isEmpty()) {
            return value;
        }
        Normalisation.Text normalised = Normalisation.text(value);
        String text = normalised.text();
        String view = normalised.view();
        BitSet inWord = normalised.inWord();
        BitSet mask = null;
        if (identifiers) {
            mask = row.identifiers().mask(view, inWord, 1, mask);
        }
        mask = detect(view, null, mask);
        if (inWord != null) {
            // a control inside a word split it: the detectors also see the word joined
            int[] at = new int[view.length()];
            StringBuilder joined = new StringBuilder(view.length());
            for (int i = 0; i < view.length(); i++) {
                if (!inWord.get(i)) {
                    at[joined.length()] = i;
                    joined.append(view.charAt(i));
                }
            }
            mask = detect(joined.toString(), at, mask);
        }
        if (mask == null) {
            return text;
        }
        row.scrubbed(markers(mask));
        return masked(text, mask, marker);
    }

    /** @return how many markers {@link #masked} writes: the contiguous stretches of the mask */
    static int markers(BitSet mask) {
        int markers = 0;
        for (int start = mask.nextSetBit(0); start >= 0; start = mask.nextSetBit(mask.nextClearBit(start))) {
            markers++;
        }
        return markers;
    }

    /** @return the text with each contiguous stretch of the mask replaced by one marker */
    static String masked(String text, BitSet mask, String marker) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            int start = mask.nextSetBit(i);
            if (start < 0 || start >= text.length()) {
                out.append(text, i, text.length());
                break;
            }
            out.append(text, i, start).append(marker);
            i = mask.nextClearBit(start);
        }
        return out.toString();
    }

    /**
     * Runs every detector over {@code text}, marking what they find.
     *
     * @param at the position in the scrubbed text of each character of {@code text}, or null when the same
     */
    private BitSet detect(String text, int[] at, BitSet mask) {
        boolean hasAt = text.indexOf('@') >= 0;
        for (Pattern p : detectors) {
            if (p == EMAIL && !hasAt) {
                continue;
            }
            Matcher m = p.matcher(text);
            while (m.find()) {
                if (m.end() > m.start()) {
                    if (mask == null) {
                        mask = new BitSet(text.length());
                    }
                    if (at == null) {
                        mask.set(m.start(), m.end());
                    } else {
                        mask.set(at[m.start()], at[m.end() - 1] + 1);
                    }
                }
            }
        }
        return mask;
    }

    /**
     * Adds the tokens of one identifier value, normalised ({@link Normalisation#identifier}
     * and, when a control split it, {@link Normalisation#spaced} too): the whole (stripped)
     * value when it has two characters or more, and each of its words (runs of letters or
     * digits) of three or more.
     *
     * @param value a cell of a pseudonymised or removed column; not a null marker
     * @param tokens where to add them
     */
    static void tokens(String value, List<String> tokens) {
        if (Normalisation.isPlain(value)) {
            words(value, tokens);
            return;
        }
        String joined = Normalisation.identifier(value);
        words(joined, tokens);
        String spaced = Normalisation.spaced(value);
        if (!spaced.equals(joined)) {
            words(spaced, tokens);
        }
    }

    private static void words(String value, List<String> tokens) {
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
