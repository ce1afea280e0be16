package eu.hbp.mip.anonymiser.csv;

import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.core.dates.DateReduction;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The compiled rule of one profile column. Rules are immutable and thread-safe; the
 * formatters and patterns they need are built once, when the profile is loaded.
 * A rule never puts the value it was given into an exception.
 */
sealed interface CellRule {

    /** @return which rule this is */
    RuleKind kind();

    /**
     * Transforms one non-null cell.
     *
     * @param value the cell, never a null marker
     * @param row the row the cell belongs to
     * @return a {@link String}, a {@link Number} (written unquoted), or null for an empty cell
     * @throws BadValueException if the value does not fit the rule's declared format
     */
    Object apply(String value, Row row) throws BadValueException;

    /**
     * @param row the row
     * @return the output for a cell that holds a null marker
     */
    default Object applyToNull(Row row) {
        return null;
    }

    /**
     * {@code keep}: the value is released as it is; the anonymiser then passes it through the
     * row's free-text net (its identifiers masked, if any are found in it).
     */
    record Keep() implements CellRule {
        @Override
        public RuleKind kind() {
            return RuleKind.KEEP;
        }

        @Override
        public Object apply(String value, Row row) {
            return value;
        }
    }

    /** {@code remove}: the column is left out of the output. */
    record Remove() implements CellRule {
        @Override
        public RuleKind kind() {
            return RuleKind.REMOVE;
        }

        @Override
        public Object apply(String value, Row row) {
            return null;
        }
    }

    /**
     * {@code pseudonymise}: the value, normalised ({@link Normalisation#identifier}) and
     * stripped, is replaced by its pseudonym in {@code domain}; a value of blanks only becomes
     * an empty cell. A value longer than the store holds ({@value #MAX_BYTES} bytes in UTF-8)
     * is refused before the store is called: the file's fault, not the machine's.
     */
    record Pseudonymise(String domain, PseudonymStore store) implements CellRule {

        /** The longest identifier the pseudonym store holds, in UTF-8 bytes. */
        static final int MAX_BYTES = 2000;

        @Override
        public RuleKind kind() {
            return RuleKind.PSEUDONYMISE;
        }

        @Override
        public Object apply(String value, Row row) throws BadValueException {
            String id = identifier(value);
            return id == null ? null : store.pseudonym(domain, id);
        }

        /**
         * The checks of {@link #apply} without the store.
         *
         * @return the identifier to pseudonymise, or null for an empty cell
         * @throws BadValueException if the value is too long for the store
         */
        String identifier(String value) throws BadValueException {
            String id = Normalisation.identifier(value).strip();
            if (id.isEmpty()) {
                return null;
            }
            if (id.length() > MAX_BYTES / 3 && id.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
                throw new BadValueException("the value is longer than 2,000 bytes in UTF-8 (2,000 ASCII characters),"
                        + " the most a pseudonymised identifier may hold; is this a free-text column? Give it rule"
                        + " scrub or remove");
            }
            return id;
        }
    }

    /**
     * {@code date} and {@code birthdate}: parse with the input pattern, optionally shift by
     * the patient's day shift, optionally reduce to the month or year, format with the
     * output pattern.
     *
     * @param kind DATE or BIRTHDATE
     * @param pattern the input pattern as the profile wrote it (for reasons)
     * @param input the strict input formatter
     * @param withTime whether the input pattern has time fields
     * @param reduction the reduction, or null for none
     * @param shift whether to shift by the patient's day shift
     * @param output the output formatter
     * @param fastInput the fast form of the input pattern, or null
     * @param fastOutput the fast form of the output pattern, or null
     */
    record DateRule(RuleKind kind, String pattern, DateTimeFormatter input, boolean withTime,
                    DateReduction reduction, boolean shift, DateTimeFormatter output,
                    FixedDateFormat fastInput, FixedDateFormat fastOutput) implements CellRule {
        @Override
        public Object apply(String value, Row row) throws BadValueException {
            String text = value.strip();
            try {
                if (fastInput != null) {
                    LocalDate d = fastInput.parse(text);
                    if (d != null) {
                        return date(d, row);
                    }
                }
                if (withTime) {
                    LocalDateTime t = input.parse(text, LocalDateTime::from);
                    if (shift) {
                        t = t.plusDays(row.patientShift());
                    }
                    return reduction == null ? output.format(t) : output.format(reduction.apply(t.toLocalDate()));
                }
                return date(input.parse(text, LocalDate::from), row);
            } catch (DateTimeException e) {
                // the parser's message quotes the text: never pass it on
                throw new BadValueException("value does not match pattern " + pattern);
            }
        }

        private String date(LocalDate d, Row row) throws BadValueException {
            if (shift) {
                d = DateReduction.shift(d, row.patientShift());
            }
            if (reduction != null) {
                d = reduction.apply(d);
            }
            String fast = fastOutput == null ? null : fastOutput.format(d);
            return fast != null ? fast : output.format(d);
        }
    }

    /** {@code replace}: every cell, empty or not, becomes the constant. */
    record Replace(String value) implements CellRule {
        @Override
        public RuleKind kind() {
            return RuleKind.REPLACE;
        }

        @Override
        public Object apply(String cell, Row row) {
            return value;
        }

        @Override
        public Object applyToNull(Row row) {
            return value;
        }
    }

    /**
     * {@code generalise}: a number is replaced by a label when above {@code above}, else by
     * its bucket's label, else rounded down to a multiple of {@code step}.
     *
     * @param step the rounding step, or null
     * @param above the threshold above which {@code aboveLabel} is written, or null
     * @param aboveLabel the label above the threshold
     * @param buckets ascending bucket boundaries, or null
     * @param labels one label per bucket ({@code buckets.size() + 1})
     */
    record Generalise(BigDecimal step, BigDecimal above, String aboveLabel,
                      List<BigDecimal> buckets, List<String> labels) implements CellRule {
        @Override
        public RuleKind kind() {
            return RuleKind.GENERALISE;
        }

        @Override
        public Object apply(String value, Row row) throws BadValueException {
            BigDecimal v;
            try {
                v = new BigDecimal(value.strip());
            } catch (NumberFormatException e) {
                throw new BadValueException("value is not a number (digits with an optional sign and '.' decimals)");
            }
            if (above != null && v.compareTo(above) > 0) {
                return aboveLabel;
            }
            if (buckets != null) {
                int i = 0;
                while (i < buckets.size() && v.compareTo(buckets.get(i)) >= 0) {
                    i++;
                }
                return labels.get(i);
            }
            if (step != null) {
                v = v.divide(step, 0, RoundingMode.FLOOR).multiply(step);
            }
            return v.scale() < 0 ? v.setScale(0, RoundingMode.UNNECESSARY) : v;
        }
    }

    /** {@code scrub}: free text with identifiers and identifying patterns masked. */
    record Scrub(Scrubber scrubber) implements CellRule {
        @Override
        public RuleKind kind() {
            return RuleKind.SCRUB;
        }

        @Override
        public Object apply(String value, Row row) {
            return scrubber.scrub(value, row);
        }
    }
}
