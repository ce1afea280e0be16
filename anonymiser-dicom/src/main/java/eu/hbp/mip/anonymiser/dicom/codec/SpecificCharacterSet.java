package eu.hbp.mip.anonymiser.dicom.codec;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Maps the defined terms of Specific Character Set (0008,0005) to Java charsets.
 *
 * <p>Supported: the default repertoire (read as ISO-8859-1 so that no byte is lost), the
 * single-byte sets ISO_IR 100, 101, 109, 110, 144, 127, 126, 138, 148, 203, 166, 13 (and
 * their {@code ISO 2022 IR nnn} forms when single-valued), ISO_IR 192 (UTF-8), GB18030 and
 * GBK. Code extensions (several values) are not: the reader refuses such files rather than
 * misread names.
 */
final class SpecificCharacterSet {

    private SpecificCharacterSet() {
    }

    /** The default repertoire, read leniently. */
    static final Charset DEFAULT = StandardCharsets.ISO_8859_1;

    /**
     * The charset for the values of (0008,0005), or {@code null} when unsupported.
     *
     * @param terms the values, trimmed
     */
    static Charset of(List<String> terms) {
        if (terms.isEmpty()) {
            return DEFAULT;
        }
        if (terms.size() > 1) {
            // Code extensions: only accepted when every extra term is empty or the same set.
            String first = terms.get(0);
            for (String t : terms.subList(1, terms.size())) {
                if (!t.isEmpty() && !t.equals(first)) {
                    return null;
                }
            }
        }
        return single(terms.get(0));
    }

    private static Charset single(String term) {
        String name = switch (term) {
            case "", "ISO_IR 6", "ISO 2022 IR 6" -> "ISO-8859-1";
            case "ISO_IR 100", "ISO 2022 IR 100" -> "ISO-8859-1";
            case "ISO_IR 101", "ISO 2022 IR 101" -> "ISO-8859-2";
            case "ISO_IR 109", "ISO 2022 IR 109" -> "ISO-8859-3";
            case "ISO_IR 110", "ISO 2022 IR 110" -> "ISO-8859-4";
            case "ISO_IR 144", "ISO 2022 IR 144" -> "ISO-8859-5";
            case "ISO_IR 127", "ISO 2022 IR 127" -> "ISO-8859-6";
            case "ISO_IR 126", "ISO 2022 IR 126" -> "ISO-8859-7";
            case "ISO_IR 138", "ISO 2022 IR 138" -> "ISO-8859-8";
            case "ISO_IR 148", "ISO 2022 IR 148" -> "ISO-8859-9";
            case "ISO_IR 203", "ISO 2022 IR 203" -> "ISO-8859-15";
            case "ISO_IR 166", "ISO 2022 IR 166" -> "TIS-620";
            case "ISO_IR 13", "ISO 2022 IR 13" -> "JIS_X0201";
            case "ISO_IR 192" -> "UTF-8";
            case "GB18030" -> "GB18030";
            case "GBK" -> "GBK";
            default -> null;
        };
        if (name == null || !Charset.isSupported(name)) {
            return null;
        }
        return Charset.forName(name);
    }
}
