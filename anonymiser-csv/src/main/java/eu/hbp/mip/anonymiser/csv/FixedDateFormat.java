package eu.hbp.mip.anonymiser.csv;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * A fast path for the common fixed-width numeric date patterns ({@code yyyy-MM-dd},
 * {@code dd/MM/yyyy}, {@code yyyyMMdd}, {@code yyyy}, {@code yyyy-MM}...): only
 * {@code yyyy}/{@code uuuu}, {@code MM}, {@code dd} and non-letter literals. It parses
 * and formats without {@link java.time.format.DateTimeFormatter}; whatever it cannot
 * handle (another width, a year outside 1000-9999) it leaves to the formatter, so the
 * results are those of the strict formatter. Immutable and thread-safe.
 */
final class FixedDateFormat {

    private final String pattern;
    private final int yearAt;
    private final int monthAt;
    private final int dayAt;

    private FixedDateFormat(String pattern, int yearAt, int monthAt, int dayAt) {
        this.pattern = pattern;
        this.yearAt = yearAt;
        this.monthAt = monthAt;
        this.dayAt = dayAt;
    }

    /**
     * @param pattern a date pattern
     * @param full whether year, month and day are all required
     * @return the fast form, or null if the pattern is not a fixed-width numeric one
     */
    static FixedDateFormat of(String pattern, boolean full) {
        int year = -1;
        int month = -1;
        int day = -1;
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == 'y' || c == 'u') {
                if (year >= 0 || !pattern.startsWith(String.valueOf(c).repeat(4), i) || run(pattern, i) != 4) {
                    return null;
                }
                year = i;
                i += 4;
            } else if (c == 'M' || c == 'd') {
                if (run(pattern, i) != 2 || (c == 'M' ? month : day) >= 0) {
                    return null;
                }
                if (c == 'M') {
                    month = i;
                } else {
                    day = i;
                }
                i += 2;
            } else if (Character.isLetter(c) || c == '\'' || c == '[' || c == ']' || c == '{' || c == '}' || c == '#') {
                return null;
            } else {
                i++;
            }
        }
        if (year < 0 || (full && (month < 0 || day < 0)) || (day >= 0 && month < 0)) {
            return null;
        }
        return new FixedDateFormat(pattern, year, month, day);
    }

    private static int run(String pattern, int from) {
        int n = 0;
        while (from + n < pattern.length() && pattern.charAt(from + n) == pattern.charAt(from)) {
            n++;
        }
        return n;
    }

    /**
     * @param text the cell
     * @return the date, or null when the fast path does not apply (let the formatter decide)
     * @throws DateTimeException if the digits make no date (31/02)
     */
    LocalDate parse(String text) {
        if (text.length() != pattern.length()) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            boolean field = i >= yearAt && i < yearAt + 4 || monthAt >= 0 && i >= monthAt && i < monthAt + 2
                    || dayAt >= 0 && i >= dayAt && i < dayAt + 2;
            char c = text.charAt(i);
            if (field ? c < '0' || c > '9' : c != pattern.charAt(i)) {
                return null;
            }
        }
        int year = digits(text, yearAt, 4);
        if (year < 1000) {
            return null;
        }
        int month = monthAt < 0 ? 1 : digits(text, monthAt, 2);
        int day = dayAt < 0 ? 1 : digits(text, dayAt, 2);
        return LocalDate.of(year, month, day);
    }

    /** @return the date formatted, or null when the formatter must do it */
    String format(LocalDate date) {
        int year = date.getYear();
        if (year < 1000 || year > 9999) {
            return null;
        }
        char[] out = pattern.toCharArray();
        put(out, yearAt, year, 4);
        if (monthAt >= 0) {
            put(out, monthAt, date.getMonthValue(), 2);
        }
        if (dayAt >= 0) {
            put(out, dayAt, date.getDayOfMonth(), 2);
        }
        return new String(out);
    }

    private static int digits(String text, int at, int n) {
        int v = 0;
        for (int i = at; i < at + n; i++) {
            v = v * 10 + text.charAt(i) - '0';
        }
        return v;
    }

    private static void put(char[] out, int at, int value, int n) {
        for (int i = at + n - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
