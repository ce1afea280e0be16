package eu.hbp.mip.anonymiser.csv;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

/**
 * Test support: streams a realistic visits table of a given size to disk (never held in
 * memory), with three pseudonymised columns and two date columns under {@link #PROFILE}.
 */
final class CsvTableGenerator {

    static final String PROFILE = """
            name: bench-visits
            table: visits
            patient: subject_id
            columns:
              subject_id: {rule: pseudonymise, domain: patient}
              visit_id:   {rule: pseudonymise, domain: visit}
              accession:  {rule: pseudonymise, domain: accession}
              visit_date: {rule: date, pattern: yyyy-MM-dd, reduce: month}
              birth_date: {rule: birthdate, pattern: dd/MM/yyyy}
              department: keep
              mmse:       keep
              weight_kg:  keep
              comment:    keep
            """;
    static final String HEADER = "subject_id,visit_id,accession,visit_date,birth_date,department,mmse,weight_kg,comment";
    private static final String[] DEPARTMENTS = {"Neurologie", "Gériatrie", "\"Neurologie, hôpital de jour\"",
        "Psychiatrie", "Radiologie"};
    private static final String[] COMMENTS = {"", "RAS", "\"Consultation mémoire; revoir dans 6 mois\"",
        "Suivi stable", "\"Plainte mnésique, \"\"légère\"\"\"", "\"Bilan\nà compléter\""};

    private CsvTableGenerator() {
    }

    /**
     * @param file where to write
     * @param bytes the approximate size wanted
     * @param patients how many distinct patients
     * @param pool how many distinct visit and accession IDs (0 for one per row)
     * @param seed the random seed
     * @return the number of data rows written
     */
    static long write(Path file, long bytes, int patients, int pool, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        String[] visitDates = dates(random, 4000, "yyyy-MM-dd", 2000);
        String[] birthDates = dates(random, 4000, "dd/MM/yyyy", 1925);
        long rows = 0;
        long written = 0;
        StringBuilder sb = new StringBuilder(256);
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
            w.write(HEADER);
            w.write('\n');
            while (written < bytes) {
                sb.setLength(0);
                int p = random.nextInt(patients);
                long v = pool == 0 ? rows : random.nextInt(pool);
                sb.append("IPP").append(1_000_000 + p).append(',')
                        .append("V-").append(v).append(',')
                        .append("ACC").append(v * 7 + 3).append(',')
                        .append(visitDates[random.nextInt(visitDates.length)]).append(',')
                        .append(birthDates[p % birthDates.length]).append(',')
                        .append(DEPARTMENTS[random.nextInt(DEPARTMENTS.length)]).append(',')
                        .append(random.nextInt(31)).append(',')
                        .append(40 + random.nextInt(60)).append('.').append(random.nextInt(10)).append(',')
                        .append(COMMENTS[random.nextInt(COMMENTS.length)]).append('\n');
                w.append(sb);
                written += sb.length() + 4; // roughly: a few accented characters take two bytes
                rows++;
            }
        }
        return rows;
    }

    private static String[] dates(SplittableRandom random, int n, String pattern, int fromYear) {
        DateTimeFormatter f = DateTimeFormatter.ofPattern(pattern);
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = f.format(LocalDate.of(fromYear, 1, 1).plusDays(random.nextInt(365 * 25)));
        }
        return out;
    }
}
