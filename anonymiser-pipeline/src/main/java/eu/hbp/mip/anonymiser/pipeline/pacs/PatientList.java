package eu.hbp.mip.anonymiser.pipeline.pacs;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the cohort's patient IDs from one column of a CSV file (the EHR export), with Apache
 * Commons CSV: a header record, then one record per patient (RFC 4180 quoting, records may
 * span lines); {@code ,} or {@code ;} separated (guessed from the header line). Blank values
 * are skipped, duplicates kept once. Error messages name the file, record and column, never a
 * value.
 */
public final class PatientList {

    private PatientList() {
    }

    /**
     * @param file the CSV file
     * @param column the header of the column of patient IDs
     * @return the IDs, in file order, each once
     * @throws IllegalArgumentException naming the file, record and column (never a value)
     */
    public static List<String> read(Path file, String column) {
        char sep;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                throw new IllegalArgumentException("patients file " + file + " is empty: expected a header line with"
                        + " a column '" + column + "'");
            }
            sep = header.chars().filter(c -> c == ';').count() > header.chars().filter(c -> c == ',').count()
                    ? ';' : ',';
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read patients file " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        CSVFormat format = CSVFormat.RFC4180.builder().setDelimiter(sep).setHeader().setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(true).get();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            in.mark(1);
            if (in.read() != '\uFEFF') {
                in.reset();
            }
            try (CSVParser parser = CSVParser.builder().setReader(in).setFormat(format).get()) {
                List<String> names = parser.getHeaderNames();
                int index = names.indexOf(column);
                if (index < 0) {
                    throw new IllegalArgumentException("patients file " + file + " has no column '" + column
                            + "' (columns: " + String.join(", ", names) + "): set --patient-column");
                }
                Set<String> ids = new LinkedHashSet<>();
                for (CSVRecord rec : parser) {
                    if (index >= rec.size()) {
                        throw new IllegalArgumentException("patients file " + file + " data record "
                                + rec.getRecordNumber() + " (after the header) has " + rec.size() + " fields, fewer than the header's "
                                + names.size());
                    }
                    String id = rec.get(index).trim();
                    if (!id.isEmpty()) {
                        ids.add(id);
                    }
                }
                return new ArrayList<>(ids);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("patients file " + file + " is not a CSV file this reader accepts ("
                    + e.getClass().getSimpleName() + "): check its quotes and separators");
        }
    }
}
