package eu.hbp.mip.anonymiser.csv;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TEST ONLY: the scrub as first written, simple and quadratic, for comparison with
 * {@link Scrubber} on short texts that normalisation leaves as they are: each identifier token
 * searched for at every position with {@code regionMatches}, every detector applied to the
 * text, the e-mail detector without length bounds.
 */
final class ReferenceScrubber {

    static final Pattern UNBOUNDED_EMAIL = Pattern.compile("[\\p{L}\\p{N}._%+-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)+");

    private ReferenceScrubber() {
    }

    /** The built-in detectors in order, the e-mail one unbounded. */
    static List<Pattern> detectors() {
        List<Pattern> out = new ArrayList<>();
        for (String name : Scrubber.BUILT_IN_ORDER) {
            out.add(name.equals("email") ? UNBOUNDED_EMAIL : Scrubber.BUILT_IN.get(name));
        }
        return out;
    }

    static String scrub(String text, List<String> identifierValues, List<Pattern> detectors, String marker) {
        if (text.isEmpty()) {
            return text;
        }
        List<String> tokens = new ArrayList<>();
        for (String v : identifierValues) {
            Scrubber.tokens(v, tokens);
        }
        BitSet mask = new BitSet(text.length());
        for (String token : tokens) {
            int n = token.length();
            for (int i = 0; i + n <= text.length(); i++) {
                if (text.regionMatches(true, i, token, 0, n)
                        && (i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)))
                        && (i + n == text.length() || !Character.isLetterOrDigit(text.charAt(i + n)))) {
                    mask.set(i, i + n);
                }
            }
        }
        for (Pattern p : detectors) {
            Matcher m = p.matcher(text);
            while (m.find()) {
                mask.set(m.start(), m.end());
            }
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int start = mask.nextSetBit(i);
            if (start < 0) {
                out.append(text, i, text.length());
                break;
            }
            out.append(text, i, start).append(marker);
            i = mask.nextClearBit(start);
        }
        return out.toString();
    }
}
