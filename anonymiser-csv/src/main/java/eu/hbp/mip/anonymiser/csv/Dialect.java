package eu.hbp.mip.anonymiser.csv;

import org.apache.commons.csv.CSVFormat;

import java.nio.charset.Charset;
import java.util.Set;

/**
 * How a profile's files are written.
 *
 * @param separator the field separator
 * @param quote the quote character, or null when fields are never quoted
 * @param charset the encoding (a UTF-8 byte-order mark overrides it)
 * @param nullMarkers the cell values that mean "no value" (an empty cell by default)
 * @param header whether the first row names the columns
 */
record Dialect(char separator, Character quote, Charset charset, Set<String> nullMarkers, boolean header) {

    Dialect {
        nullMarkers = Set.copyOf(nullMarkers);
    }

    /** @return the Commons CSV format that reads such files; empty lines are skipped */
    CSVFormat format() {
        return CSVFormat.DEFAULT.builder()
                .setDelimiter(separator)
                .setQuote(quote)
                .setIgnoreEmptyLines(true)
                .setIgnoreSurroundingSpaces(false)
                .get();
    }
}
