package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.dicom.codec.VR;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/** A shifted DT keeps its form: the date moves by the shift, the time, fraction and zone stay as written. */
class DateShiftProperties {

    record DateTime(LocalDate date, String rest) {
        String value() {
            return date.format(DateTimeFormatter.BASIC_ISO_DATE) + rest;
        }
    }

    @Provide
    Arbitrary<DateTime> dateTimes() {
        Arbitrary<LocalDate> dates = Arbitraries.integers().between(0, 60_000).map(d -> LocalDate.of(1900, 1, 1).plusDays(d));
        Arbitrary<String> time = Arbitraries.of("", "10", "1030", "103000");
        Arbitrary<String> fraction = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(6).map(f -> "." + f);
        Arbitrary<String> zone = Arbitraries.of("", "+0100", "-0500", "+0000");
        return Combinators.combine(dates, time, fraction, zone).as((d, t, f, z) ->
                new DateTime(d, t + (t.length() == 6 ? f : "") + z));
    }

    @Property(tries = 300)
    void aShiftedDateTimeKeepsItsTimeFractionAndZone(@ForAll("dateTimes") DateTime dt,
                                                     @ForAll @IntRange(min = -365, max = 365) int shift) {
        String shifted = ElementEditor.dateValue(dt.value(), VR.DT, null, shift);
        String expected = dt.date().plusDays(shift).format(DateTimeFormatter.BASIC_ISO_DATE) + dt.rest();
        if (!expected.equals(shifted)) {
            throw new AssertionError(dt.value() + " shifted by " + shift + " is " + shifted + ", expected " + expected);
        }
    }
}
