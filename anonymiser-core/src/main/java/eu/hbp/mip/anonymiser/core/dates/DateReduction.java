package eu.hbp.mip.anonymiser.core.dates;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;

/**
 * How a date is coarsened before release (MIP rule 4): birth dates to the year,
 * other dates to the month by default, or the year on request. A reduced date is
 * the first day of its year or month, so it still parses where a full date is
 * required (DICOM DA), and reveals nothing finer than its precision.
 *
 * <pre>{@code
 * DateReduction.MONTH.apply(LocalDate.of(2021, 3, 17));   // 2021-03-01
 * DateReduction.shift(LocalDate.of(2021, 3, 17), -40);    // 2021-02-05
 * }</pre>
 */
public enum DateReduction {
    /** Keep the year only: the first of January of that year. */
    YEAR,
    /** Keep the year and month: the first day of that month. */
    MONTH;

    /**
     * @param date a date
     * @return the first day of its year or month
     */
    public LocalDate apply(LocalDate date) {
        return this == YEAR ? date.withDayOfYear(1) : date.withDayOfMonth(1);
    }

    /**
     * @param dateTime a date and time
     * @return midnight of the first day of its year or month (the time of day is dropped too)
     */
    public LocalDateTime apply(LocalDateTime dateTime) {
        return apply(dateTime.toLocalDate()).atStartOfDay();
    }

    /**
     * @param date a date
     * @param days a per-subject shift, from {@code PseudonymStore.dayShift}
     * @return the date moved by that many days
     */
    public static LocalDate shift(LocalDate date, int days) {
        return date.plus(days, ChronoUnit.DAYS);
    }
}
