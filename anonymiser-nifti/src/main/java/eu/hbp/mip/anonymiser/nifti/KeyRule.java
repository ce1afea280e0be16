package eu.hbp.mip.anonymiser.nifti;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.core.dates.DateReduction;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The compiled rule of one sidecar key. Immutable and thread-safe. A rule never puts the
 * value it was given into an exception or a reason.
 */
sealed interface KeyRule {

    /** @return the rule's name in profiles and counts */
    String kind();

    /**
     * @param value the key's value (never null; may be a JSON null)
     * @return the output value, or null to leave the key out
     * @throws BadValue if the value does not fit the rule
     */
    JsonNode apply(JsonNode value) throws BadValue;

    /** A value that does not fit its rule; the message says what was expected, never the value. */
    final class BadValue extends Exception {
        private static final long serialVersionUID = 1L;

        BadValue(String expected) {
            super(expected, null, false, false);
        }
    }

    /** {@code keep}: the value is released as it is (objects and arrays whole). */
    record Keep() implements KeyRule {
        @Override
        public String kind() {
            return "keep";
        }

        @Override
        public JsonNode apply(JsonNode value) {
            return value;
        }
    }

    /** {@code remove}: the key is left out. */
    record Remove() implements KeyRule {
        @Override
        public String kind() {
            return "remove";
        }

        @Override
        public JsonNode apply(JsonNode value) {
            return null;
        }
    }

    /** {@code replace}: the value becomes the profile's constant text. */
    record Replace(String text) implements KeyRule {
        @Override
        public String kind() {
            return "replace";
        }

        @Override
        public JsonNode apply(JsonNode value) {
            return JsonNodeFactory.instance.textNode(text);
        }
    }

    /** {@code pseudonymise}: a text or whole number becomes its pseudonym in {@code domain}; an empty text stays empty. */
    record Pseudonymise(String domain, PseudonymStore store) implements KeyRule {
        @Override
        public String kind() {
            return "pseudonymise";
        }

        @Override
        public JsonNode apply(JsonNode value) throws BadValue {
            String id = identifier(value);
            return JsonNodeFactory.instance.textNode(id.isEmpty() ? "" : store.pseudonym(domain, id));
        }

        /** @return the trimmed text of an identifier value */
        static String identifier(JsonNode value) throws BadValue {
            if (value.isTextual()) {
                return value.asText().strip();
            }
            if (value.isIntegralNumber()) {
                return value.asText();
            }
            throw new BadValue("an identifier (a JSON string or whole number)");
        }
    }

    /**
     * {@code date} and {@code birthdate}: a date in one of the shapes BIDS and dcm2niix write
     * ({@code yyyy-MM-dd}, {@code yyyy-MM-ddTHH:mm:ss[.f]}, DICOM {@code yyyyMMdd},
     * {@code yyyyMMddHHmmss[.f]}) is reduced to its month or year, the time of day to
     * midnight, and written back in the same shape without fraction.
     *
     * @param kind {@code date} or {@code birthdate}
     * @param reduction the reduction
     */
    record DateRule(String kind, DateReduction reduction) implements KeyRule {
        private static final Pattern ISO = Pattern.compile(
                "(\\d{4})-(\\d{2})-(\\d{2})(T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?)?");
        private static final Pattern DICOM = Pattern.compile("(\\d{4})(\\d{2})(\\d{2})(\\d{6}(?:\\.\\d{1,6})?)?");
        private static final DateTimeFormatter ISO_OUT = DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT);
        private static final DateTimeFormatter DICOM_OUT = DateTimeFormatter.ofPattern("uuuuMMdd", Locale.ROOT);
        /** What the reason says was expected. */
        static final String SHAPES = "a date yyyy-MM-dd, yyyy-MM-ddTHH:mm:ss[.f], yyyyMMdd or yyyyMMddHHmmss[.f]";

        @Override
        public JsonNode apply(JsonNode value) throws BadValue {
            if (!value.isTextual()) {
                throw new BadValue(SHAPES + " as a JSON string");
            }
            String text = value.asText().strip();
            if (text.isEmpty()) {
                return JsonNodeFactory.instance.textNode("");
            }
            boolean iso = true;
            Matcher m = ISO.matcher(text);
            if (!m.matches()) {
                iso = false;
                m = DICOM.matcher(text);
                if (!m.matches()) {
                    throw new BadValue(SHAPES);
                }
            }
            LocalDate d;
            try {
                d = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)));
            } catch (DateTimeException e) {
                throw new BadValue(SHAPES + " that exists in the calendar");
            }
            LocalDate reduced = reduction.apply(d);
            boolean withTime = m.group(4) != null;
            String out = iso
                    ? ISO_OUT.format(reduced) + (withTime ? "T00:00:00" : "")
                    : DICOM_OUT.format(reduced) + (withTime ? "000000" : "");
            return JsonNodeFactory.instance.textNode(out);
        }
    }
}
