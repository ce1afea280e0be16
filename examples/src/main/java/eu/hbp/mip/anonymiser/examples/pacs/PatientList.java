package eu.hbp.mip.anonymiser.examples.pacs;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the cohort's patient IDs from one column of a CSV file (the EHR export): a header
 * line, then one record per line; fields may be quoted ({@code "a,b"}, {@code ""} for a quote);
 * {@code ,} or {@code ;} separated (guessed from the header). Blank values are skipped,
 * duplicates kept once. Error messages name the file, line and column, never a value.
 */
final class PatientList {

    private PatientList() {
    }

    static List<String> read(Path file, String column) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                throw new IllegalArgumentException("patients file " + file + " is empty: expected a header line with"
                        + " a column '" + column + "'");
            }
            if (header.startsWith("\uFEFF")) {
                header = header.substring(1);
            }
            char sep = count(header, ';') > count(header, ',') ? ';' : ',';
            List<String> names = split(header, sep, file, 1);
            int index = names.indexOf(column);
            if (index < 0) {
                throw new IllegalArgumentException("patients file " + file + " has no column '" + column
                        + "' (columns: " + String.join(", ", names) + "): set --patient-column");
            }
            Set<String> ids = new LinkedHashSet<>();
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                List<String> fields = split(line, sep, file, lineNo);
                if (index >= fields.size()) {
                    throw new IllegalArgumentException("patients file " + file + " line " + lineNo + " has "
                            + fields.size() + " fields, fewer than the header's " + names.size());
                }
                String id = fields.get(index).trim();
                if (!id.isEmpty()) {
                    ids.add(id);
                }
            }
            return new ArrayList<>(ids);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read patients file " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static int count(String s, char c) {
        return (int) s.chars().filter(x -> x == c).count();
    }

    private static List<String> split(String line, char sep, Path file, int lineNo) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.length() == 0) {
                quoted = true;
            } else if (c == sep) {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("patients file " + file + " line " + lineNo
                    + " has an unclosed quote (fields spanning lines are not supported)");
        }
        out.add(field.toString());
        return out;
    }
}
