package eu.hbp.mip.anonymiser.core.dates;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A reduced date never reveals more than its precision; a shift moves every date by the same days. */
class DateReductionProperties {

    @Provide
    Arbitrary<LocalDate> dates() {
        return Arbitraries.longs().between(LocalDate.of(1850, 1, 1).toEpochDay(), LocalDate.of(2100, 12, 31).toEpochDay())
                .map(LocalDate::ofEpochDay);
    }

    @Property(tries = 500)
    void yearKeepsOnlyTheYear(@ForAll("dates") LocalDate date, @ForAll @IntRange(min = 1, max = 364) int days) {
        LocalDate reduced = DateReduction.YEAR.apply(date);
        assertEquals(LocalDate.of(date.getYear(), 1, 1), reduced);
        LocalDate sameYear = date.withDayOfYear(1 + (date.getDayOfYear() - 1 + days) % date.lengthOfYear());
        assertEquals(reduced, DateReduction.YEAR.apply(sameYear), "month and day leave no trace");
    }

    @Property(tries = 500)
    void monthKeepsOnlyTheYearAndMonth(@ForAll("dates") LocalDate date, @ForAll @IntRange(min = 1, max = 30) int days) {
        LocalDate reduced = DateReduction.MONTH.apply(date);
        assertEquals(LocalDate.of(date.getYear(), date.getMonth(), 1), reduced);
        LocalDate sameMonth = date.withDayOfMonth(1 + (date.getDayOfMonth() - 1 + days) % date.lengthOfMonth());
        assertEquals(reduced, DateReduction.MONTH.apply(sameMonth), "the day leaves no trace");
    }

    @Property(tries = 300)
    void dateTimesLoseTheTimeOfDayToo(@ForAll("dates") LocalDate date, @ForAll @IntRange(max = 86_399) int second) {
        LocalDateTime t = date.atTime(LocalTime.ofSecondOfDay(second));
        assertEquals(DateReduction.MONTH.apply(date).atStartOfDay(), DateReduction.MONTH.apply(t));
        assertEquals(DateReduction.YEAR.apply(date).atStartOfDay(), DateReduction.YEAR.apply(t));
    }

    @Property(tries = 300)
    void shiftKeepsIntervalsAndIsReversible(@ForAll("dates") LocalDate a, @ForAll("dates") LocalDate b,
            @ForAll @IntRange(min = -365, max = 365) int shift) {
        LocalDate sa = DateReduction.shift(a, shift);
        LocalDate sb = DateReduction.shift(b, shift);
        assertEquals(b.toEpochDay() - a.toEpochDay(), sb.toEpochDay() - sa.toEpochDay());
        assertEquals(a, DateReduction.shift(sa, -shift));
    }
}
