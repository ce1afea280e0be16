package eu.hbp.mip.anonymiser.csv;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.core.pseudonym.PseudonymStores;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Invariants of the CSV anonymiser over generated EHR tables. */
class CsvAnonymiserProperties {

    static final List<String> COLUMNS = List.of("pid", "full_name", "visit", "visit_date", "birth", "enrolled",
            "mmse", "notes");
    static final String PROFILE = """
            name: generated
            table: generated
            patient: pid
            columns:
              pid: {rule: pseudonymise, domain: patient}
              full_name: remove
              visit: {rule: pseudonymise, domain: visit}
              visit_date: {rule: date, pattern: yyyy-MM-dd}
              birth: {rule: birthdate, pattern: dd/MM/yyyy}
              enrolled: {rule: date, pattern: yyyy-MM-dd, reduce: year}
              mmse: keep
              notes: {rule: scrub}
            """;
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_LOCAL_DATE;
    private static final DateTimeFormatter DMY = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final List<String> WORDS = List.of("patient", "seen", "stable", "memory", "follow-up",
            "scan", "normal", "gait", "mild", "decline", "aidant", "contrôle", "suivi;", "\"quoted\"", "two,\nlines");

    /** One generated row; identifiers are lower-case so they can never occur inside an upper-case pseudonym. */
    record GenRow(String pid, String name, String visit, LocalDate visitDate, LocalDate birth, LocalDate enrolled,
                  int mmse, String email, String phone, List<String> words) {

        String notes() {
            List<String> parts = new ArrayList<>(words);
            parts.add(Math.min(1, parts.size()), name);
            parts.add("ref " + pid);
            parts.add("mail " + email);
            parts.add("tel " + phone);
            return String.join(" ", parts);
        }

        List<String> cells() {
            return List.of(pid, name, visit, ISO.format(visitDate), DMY.format(birth), ISO.format(enrolled),
                    String.valueOf(mmse), notes());
        }

        List<String> secrets() {
            // a reduced date may equal its original (the 1st of a month): dates have their own property
            return List.of(pid, name, visit, email, phone, notes(), DMY.format(birth));
        }
    }

    private Path tmp;
    /** Profiles load once per property: the real SQLite store and the anonymiser are shared by its tries. */
    private final Path storeFolder = temporaryFolder();
    private final PseudonymStore sharedStore = PseudonymStores.open(storeFolder.resolve("db"), null, "");
    private Anonymiser shared;

    private static Path temporaryFolder() {
        try {
            return Files.createTempDirectory("csv-props-store");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterProperty
    void closeStore() throws IOException {
        sharedStore.close();
        delete(storeFolder);
    }

    @BeforeTry
    void createFolder() throws IOException {
        tmp = Files.createTempDirectory("csv-props");
    }

    @AfterTry
    void deleteFolder() throws IOException {
        delete(tmp);
    }

    private static void delete(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Provide
    Arbitrary<List<GenRow>> tables() {
        return rows().list().ofMinSize(1).ofMaxSize(25);
    }

    @Provide
    Arbitrary<GenRow> rows() {
        Arbitrary<String> ids = Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(6).ofMaxLength(12)
                .map(s -> "id" + s);
        Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(5).ofMaxLength(10)
                .map(s -> "Q" + s);
        Arbitrary<LocalDate> dates = Arbitraries.integers().between(0, 40_000).map(d -> LocalDate.of(1920, 1, 1).plusDays(d));
        Arbitrary<String> emails = names.map(n -> n.toLowerCase() + "@hopital.example.org");
        Arbitrary<String> phones = Arbitraries.strings().numeric().ofLength(8).map(d -> "+33 6 " + d.substring(0, 2)
                + " " + d.substring(2, 4) + " " + d.substring(4, 6) + " " + d.substring(6));
        Arbitrary<List<String>> words = Arbitraries.of(WORDS).list().ofMaxSize(6);
        return Combinators.combine(ids, names, ids, dates, dates, dates, Arbitraries.integers().between(0, 30), emails)
                .flatAs((pid, name, visit, vd, b, en, mmse, email) -> Combinators.combine(phones, words)
                        .as((phone, w) -> new GenRow(pid, name, visit, vd, b, en, mmse, email, phone, w)));
    }

    static String csv(List<String> header, List<List<String>> rows) {
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT)) {
            p.printRecord(header);
            for (List<String> r : rows) {
                p.printRecord(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static List<CSVRecord> records(String csv) {
        try (CSVParser p = CSVFormat.RFC4180.parse(new StringReader(csv))) {
            return p.getRecords();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CsvHarness harness() {
        CsvHarness h = new CsvHarness(tmp, sharedStore).profile("generated.yaml", PROFILE);
        if (shared == null) {
            shared = h.anonymiser();
        }
        return h;
    }

    private Outcome run(CsvHarness h, Path input) {
        return h.run(shared, input);
    }

    @Property(tries = 40)
    void noOriginalIdentifierSurvivesAndRowCountIsKept(@ForAll("tables") List<GenRow> table) {
        CsvHarness h = harness();
        Path in = h.input("generated.csv", csv(COLUMNS, table.stream().map(GenRow::cells).toList()));
        Outcome outcome = run(h, in);
        String out = h.output(outcome);
        for (GenRow r : table) {
            for (String secret : r.secrets()) {
                assertFalse(out.contains(secret), "an original value of a protected column is in the output");
            }
        }
        assertEquals(table.size() + 1, records(out).size(), "one output row per input row, plus the header");
        assertEquals(table.size(), CsvHarness.anonymised(outcome).counts().get("rows"));
    }

    @Property(tries = 30)
    void reducedDatesRevealNeitherDayNorMonthForYear(@ForAll("tables") List<GenRow> table) {
        CsvHarness h = harness();
        String out = h.output(run(h, h.input("generated.csv", csv(COLUMNS, table.stream().map(GenRow::cells).toList()))));
        List<CSVRecord> rec = records(out);
        int visitDate = rec.get(0).toList().indexOf("visit_date");
        int birth = rec.get(0).toList().indexOf("birth");
        int enrolled = rec.get(0).toList().indexOf("enrolled");
        for (int i = 0; i < table.size(); i++) {
            GenRow r = table.get(i);
            CSVRecord o = rec.get(i + 1);
            assertEquals(ISO.format(r.visitDate().withDayOfMonth(1)), o.get(visitDate));
            assertEquals(String.valueOf(r.birth().getYear()), o.get(birth));
            assertEquals(r.enrolled().getYear() + "-01-01", o.get(enrolled));
        }
    }

    @Property(tries = 25)
    void sameValueGetsSamePseudonymInTwoFiles(@ForAll("tables") List<GenRow> first, @ForAll("tables") List<GenRow> second) {
        CsvHarness h = harness();
        // the second file repeats the first file's patients and visits with other content
        List<List<String>> rows2 = new ArrayList<>();
        for (int i = 0; i < second.size(); i++) {
            GenRow shared = first.get(i % first.size());
            List<String> cells = new ArrayList<>(second.get(i).cells());
            cells.set(0, shared.pid());
            cells.set(2, shared.visit());
            rows2.add(cells);
        }
        List<CSVRecord> out1 = records(h.output(run(h, h.input("a.csv", csv(COLUMNS,
                first.stream().map(GenRow::cells).toList())))));
        List<CSVRecord> out2 = records(h.output(run(h, h.input("b.csv", csv(COLUMNS, rows2)))));
        for (int i = 0; i < second.size(); i++) {
            CSVRecord a = out1.get(i % first.size() + 1);
            CSVRecord b = out2.get(i + 1);
            assertEquals(a.get(0), b.get(0), "patient pseudonym differs between files");
            assertEquals(a.get(1), b.get(1), "visit pseudonym differs between files");
        }
    }

    enum Drift { ADD, REMOVE, RENAME }

    @Property(tries = 40)
    void anySchemaDriftIsRejected(@ForAll("tables") List<GenRow> table, @ForAll Drift drift,
                                  @ForAll @IntRange(min = 0, max = 7) int column) {
        CsvHarness h = harness();
        List<String> header = new ArrayList<>(COLUMNS);
        List<List<String>> rows = new ArrayList<>();
        for (GenRow r : table) {
            rows.add(new ArrayList<>(r.cells()));
        }
        switch (drift) {
            case ADD -> {
                header.add(column, "new_column");
                rows.forEach(r -> r.add(column, "x"));
            }
            case REMOVE -> {
                header.remove(column);
                rows.forEach(r -> r.remove(column));
            }
            case RENAME -> header.set(column, header.get(column) + "_v2");
        }
        Outcome.Rejected r = CsvHarness.rejected(run(h, h.input("generated.csv", csv(header, rows))));
        assertTrue(Set.of("csv-missing-column", "csv-unknown-column", "csv-no-profile").contains(r.code()), r.code());
        for (GenRow row : table) {
            for (String secret : row.secrets()) {
                assertFalse(r.reason().contains(secret), "a rejection reason holds a value");
            }
        }
    }
}
