package eu.hbp.mip.anonymiser.csv;

import java.text.Normalizer;
import java.util.BitSet;

/**
 * The text a scrub or a pseudonymisation sees, so that invisible or compatibility characters
 * cannot hide an identifier: Unicode NFKC (full-width and compatibility forms folded,
 * {@code Ｆｉｓｃｈｅｒ} is {@code Fischer}), then format characters (category Cf: zero-width
 * space U+200B, soft hyphen U+00AD, byte-order mark U+FEFF, bidirectional marks...) removed,
 * and control characters (category Cc: TAB, CR, LF, ...) turned into a space.
 *
 * <p>A control character inside a word (between two letters or digits, format characters
 * aside) is no data: it only splits the word. An identifier drops it ({@code Fi\tscher} is
 * the identifier {@code Fischer}); free text keeps a space there (a line break stays a line
 * break) and reports its position, so that the scrubber finds a name across it
 * ({@code Fi\tscher}) or beside it ({@code Dr\tMartin}).
 *
 * <p>The NUL character never gets here: the anonymiser refuses a cell that holds one.
 * Stateless; all methods are pure functions.
 */
final class Normalisation {

    private Normalisation() {
    }

    /**
     * Normalised free text.
     *
     * @param text the text to release and scan: NFKC, no format characters, controls as
     *        spaces except CR and LF, which stay (line breaks are data in free text)
     * @param inWord the positions in {@code text} of control characters that stood inside a word,
     *        or null when there are none
     */
    record Text(String text, BitSet inWord) {

        /** @return the text with CR and LF as spaces, of the same length (offsets map one to one) */
        String view() {
            if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
                return text;
            }
            return text.replace('\n', ' ').replace('\r', ' ');
        }
    }

    /**
     * @param value an identifier's cell
     * @return the normalised value, with controls inside words removed and others as spaces; not stripped
     */
    static String identifier(String value) {
        if (plain(value)) {
            return value;
        }
        Text t = text(value);
        String view = t.view();
        if (t.inWord() == null) {
            return view;
        }
        StringBuilder joined = new StringBuilder(view.length());
        for (int i = 0; i < view.length(); i++) {
            if (!t.inWord().get(i)) {
                joined.append(view.charAt(i));
            }
        }
        return joined.toString();
    }

    /**
     * @param value an identifier's cell
     * @return the normalised value with every control character as a space (words split where
     *         a control split them); not stripped
     */
    static String spaced(String value) {
        return plain(value) ? value : text(value).view();
    }

    /**
     * @param value a free-text cell
     * @return the normalised text and where controls stood inside words
     */
    static Text text(String value) {
        if (plain(value)) {
            return new Text(value, null);
        }
        String nfkc = Normalizer.normalize(value, Normalizer.Form.NFKC);
        StringBuilder out = null;
        BitSet controls = null;
        int n = nfkc.length();
        for (int i = 0; i < n; ) {
            int cp = nfkc.codePointAt(i);
            int next = i + Character.charCount(cp);
            int type = Character.getType(cp);
            if (type == Character.FORMAT || type == Character.CONTROL) {
                if (out == null) {
                    out = new StringBuilder(n).append(nfkc, 0, i);
                }
                if (type == Character.CONTROL) {
                    if (controls == null) {
                        controls = new BitSet(n);
                    }
                    controls.set(out.length());
                    out.append(cp == '\n' || cp == '\r' ? (char) cp : ' ');
                }
            } else if (out != null) {
                out.appendCodePoint(cp);
            }
            i = next;
        }
        if (out == null) {
            return new Text(nfkc, null);
        }
        if (controls == null) {
            // removing a format character may join what NFKC composes (a letter and a combining mark)
            return new Text(Normalizer.normalize(out, Normalizer.Form.NFKC), null);
        }
        return new Text(out.toString(), inWord(out, controls));
    }

    /** @return the controls that stand between two letters or digits (other controls aside), or null */
    private static BitSet inWord(CharSequence text, BitSet controls) {
        BitSet marks = null;
        int n = text.length();
        for (int run = controls.nextSetBit(0); run >= 0; ) {
            int after = controls.nextClearBit(run); // a run of controls counts as one
            if (run > 0 && after < n && Character.isLetterOrDigit(text.charAt(run - 1))
                    && Character.isLetterOrDigit(text.charAt(after))) {
                if (marks == null) {
                    marks = new BitSet(n);
                }
                marks.set(run, after);
            }
            run = controls.nextSetBit(after);
        }
        return marks;
    }

    /** @return whether normalisation leaves the value as it is (as for printable ASCII) */
    static boolean isPlain(String value) {
        return plain(value);
    }

    /**
     * @return whether the value has no control or format character and is in NFKC already (the
     *         quick check, without building a copy), so that normalisation leaves it as it is
     */
    private static boolean plain(String value) {
        boolean ascii = true;
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return false;
            }
            if (c >= 0x80) {
                int type = Character.getType(c);
                if (type == Character.FORMAT || type == Character.CONTROL || type == Character.SURROGATE) {
                    return false; // a surrogate pair may be a format character: the full path decides
                }
                ascii = false;
            }
        }
        return ascii || Normalizer.isNormalized(value, Normalizer.Form.NFKC);
    }
}
