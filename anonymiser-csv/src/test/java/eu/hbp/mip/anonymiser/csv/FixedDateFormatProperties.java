package eu.hbp.mip.anonymiser.csv;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The fast date path agrees with the strict formatter it stands in for. */
class FixedDateFormatProperties {

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.of("yyyy-MM-dd", "dd/MM/yyyy", "yyyyMMdd", "MM/dd/uuuu", "dd.MM.yyyy");
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withChars("0123456789-/.").ofMinLength(8).ofMaxLength(10);
    }

    private static DateTimeFormatter strict(String pattern) {
        return new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(pattern)
                .parseDefaulting(ChronoField.ERA, 1).toFormatter(Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
    }

    @Property(tries = 300)
    void parsesAndFormatsLikeTheFormatter(@ForAll("patterns") String pattern,
                                          @ForAll("dates") LocalDate date) {
        FixedDateFormat fast = FixedDateFormat.of(pattern, true);
        assertNotNull(fast);
        String text = strict(pattern).format(date);
        assertEquals(text, fast.format(date));
        assertEquals(date, fast.parse(text));
    }

    @Provide
    Arbitrary<LocalDate> dates() {
        return Arbitraries.integers().between(0, 3_000_000).map(d -> LocalDate.of(1000, 1, 1).plusDays(d))
                .filter(d -> d.getYear() <= 9999);
    }

    @Property(tries = 500)
    void neverAcceptsWhatTheFormatterRefuses(@ForAll("patterns") String pattern, @ForAll("texts") String text) {
        FixedDateFormat fast = FixedDateFormat.of(pattern, true);
        LocalDate expected;
        try {
            expected = strict(pattern).parse(text, LocalDate::from);
        } catch (DateTimeException e) {
            expected = null;
        }
        LocalDate got;
        try {
            got = fast.parse(text);
        } catch (DateTimeException e) {
            got = null;
        }
        if (got != null) {
            assertEquals(expected, got);
        }
    }
}
