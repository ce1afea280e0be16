/**
 * The CSV anonymiser and its provider; nothing here is public API (the module exports
 * nothing and only provides {@link eu.hbp.mip.anonymiser.csv.CsvAnonymiserProvider}).
 *
 * <p>One strict YAML profile per export schema ({@code scripts/csv/*.yaml}, see
 * {@code docs/csv-profiles.md}) gives a rule to every column: keep, remove, pseudonymise,
 * date, birthdate, replace, generalise or scrub. A file is matched to a profile by its
 * name and header row, then streamed row by row with Apache Commons CSV into UTF-8
 * RFC 4180 output; a file that does not fit its profile (missing or unknown column, a
 * value off its declared format, malformed CSV) is rejected with a reason that names the
 * row, column and rule but never a value.
 */
package eu.hbp.mip.anonymiser.csv;
