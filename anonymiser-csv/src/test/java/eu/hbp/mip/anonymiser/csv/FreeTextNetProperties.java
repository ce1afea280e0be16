package eu.hbp.mip.anonymiser.csv;

import eu.hbp.mip.anonymiser.api.Outcome;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The free-text net: no removed or pseudonymised value of a row survives in a kept cell of that row. */
class FreeTextNetProperties {

    private static final List<String> WORDS = List.of("seen", "with", "ref", "and", "stable", "mme", "m.", ",",
            ";", "-", "(", ")", "\"", "'", "suivi", "RAS");

    /** One row: its identifier values and a remark mixing them, in any case, with other words. */
    record NetRow(String pid, String name, String visit, List<String> remark) {
        List<String> cells() {
            return List.of(pid, name, visit, "N", String.join(" ", remark));
        }

        List<String> secrets() {
            return List.of(pid, name, visit);
        }
    }

    private static final Path ROOT = folder();
    /** The in-memory test store: the pseudonyms do not matter here, only what the net leaves. */
    private static final CsvHarness HARNESS = new CsvHarness(ROOT.resolve("store"), new KeyedMemoryStore())
            .profile("net.yaml", FreeTextNetTests.PROFILE);
    private static int runs;

    private static Path folder() {
        try {
            return Files.createTempDirectory("csv-net-props");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterContainer
    static void deleteFolder() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Provide
    Arbitrary<List<NetRow>> tables() {
        Arbitrary<String> word = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> pid = Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(9);
        Arbitrary<String> name = word.list().ofMinSize(1).ofMaxSize(3).map(w -> String.join(" ", w));
        return Combinators.combine(pid, name, pid).flatAs((p, n, v) -> {
            List<String> pieces = new ArrayList<>(WORDS);
            pieces.add(p);
            pieces.add(v);
            pieces.add(n);
            pieces.addAll(List.of(n.split(" ")));
            pieces.add(n.toUpperCase(Locale.ROOT));
            pieces.add(p.toUpperCase(Locale.ROOT) + ",");
            return Arbitraries.of(pieces).list().ofMaxSize(12).map(r -> new NetRow(p, n, v, r));
        }).list().ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 150)
    void noRemovedOrPseudonymisedValueOfARowSurvivesInItsKeptCells(@ForAll("tables") List<NetRow> table)
            throws IOException {
        StringBuilder csv = new StringBuilder("pid,name,visit,dept,remark\n");
        for (NetRow r : table) {
            csv.append(String.join(",", r.cells().stream().map(c -> "\"" + c.replace("\"", "\"\"") + "\"").toList()))
                    .append('\n');
        }
        Outcome outcome = HARNESS.run(HARNESS.input("net-" + (++runs) + ".csv", csv.toString()));
        List<CSVRecord> rows;
        try (CSVParser p = CSVFormat.RFC4180.parse(new StringReader(HARNESS.output(outcome)))) {
            rows = p.getRecords();
        }
        assertEquals(table.size() + 1, rows.size());
        for (int i = 0; i < table.size(); i++) {
            NetRow r = table.get(i);
            CSVRecord out = rows.get(i + 1);
            for (int column : new int[] {2, 3}) {
                for (String secret : r.secrets()) {
                    String value = secret.strip();
                    if (value.length() >= CsvAnonymiser.NET_MIN) {
                        assertFalse(holdsWord(out.get(column), value), "a row's identifier survives in a kept cell");
                    }
                }
            }
        }
    }

    /** The simple reference: a case-insensitive occurrence not inside a longer word. */
    static boolean holdsWord(String text, String value) {
        for (int i = 0; i + value.length() <= text.length(); i++) {
            if (text.regionMatches(true, i, value, 0, value.length())
                    && (i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)))
                    && (i + value.length() == text.length() || !Character.isLetterOrDigit(text.charAt(i + value.length())))) {
                return true;
            }
        }
        return false;
    }
}
