package eu.hbp.mip.anonymiser.csv;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvExplainTests {

    private static final String PROFILE = """
            name: visits
            match: {file-name: "glob:visits_*.csv"}
            patient: pid
            columns:
              pid: {rule: pseudonymise, domain: patient}
              name: remove
              visit: {rule: date, pattern: yyyy-MM-dd, shift: true}
              note: keep
            """;

    @TempDir
    Path tmp;

    private CsvHarness harness;

    @AfterEach
    void closeStore() {
        if (harness != null) {
            harness.close();
        }
    }

    private List<String> explain(Anonymiser a, Path in, boolean showValues) throws IOException {
        List<String> lines = new ArrayList<>();
        assertTrue(a.explain(in, lines::add, showValues));
        return lines;
    }

    private static int mappings(CsvHarness h) {
        AtomicInteger n = new AtomicInteger();
        h.store.export(m -> n.incrementAndGet());
        return n.get();
    }

    @Test
    void explainsEachColumnsRuleWithItsProfileLineAndTheFirstFailingRow() throws IOException {
        harness = new CsvHarness(tmp).profile("visits.yaml", PROFILE);
        Path in = harness.input("visits_2026.csv", "pid,name,visit,note\n"
                + "IPP0099881,Lefebvre,2024-03-12,Lefebvre was seen\n"
                + "IPP0099882,Moreau,12/03/2024,follow-up\n");
        int before = mappings(harness);
        List<String> lines = explain(harness.anonymiser(), in, false);
        String text = String.join("\n", lines);

        assertTrue(lines.get(0).startsWith("profile 'visits' (visits.yaml)"), text);
        assertTrue(lines.contains("column 1 'pid': pseudonymise, domain patient (visits.yaml:5)"), text);
        assertTrue(lines.contains("column 2 'name': remove (visits.yaml:6)"), text);
        assertTrue(lines.contains("column 4 'note': keep (then the row's free-text net) (visits.yaml:8)"), text);
        assertTrue(text.contains("free-text net: column 'note' holds identifiers of its row in 1 row(s)"), text);
        assertTrue(text.contains("it would be rejected (csv-bad-value): row 2, column 'visit', rule date"), text);
        for (String secret : List.of("IPP0099881", "IPP0099882", "Lefebvre", "Moreau", "12/03/2024", "2024-03-12")) {
            assertFalse(text.contains(secret), "a value without showValues");
        }
        assertEquals(before, mappings(harness), "explain creates no pseudonym");
        assertEquals(List.of("in"), List.of(Files.list(tmp).filter(p -> p.getFileName().toString().startsWith("i")
                || p.getFileName().toString().startsWith("out")).map(p -> p.getFileName().toString()).toArray()),
                "nothing written");

        String shown = String.join("\n", explain(harness.anonymiser(), in, true));
        assertTrue(shown.contains("12/03/2024"), "the refused value, when asked for");
    }

    @Test
    void explainsAFileThatPassesAndOneNoProfileFits() throws IOException {
        harness = new CsvHarness(tmp).profile("visits.yaml", PROFILE);
        Anonymiser a = harness.anonymiser();
        List<String> ok = explain(a, harness.input("visits_1.csv", "pid,name,visit,note\nP1,N,2024-03-12,x\n"), false);
        assertEquals("all 1 rows pass: the file would be anonymised", ok.get(ok.size() - 1));
        List<String> none = explain(a, harness.input("visits_2.csv", "pid,visit,note\nP1,2024-03-12,x\n"), false);
        assertTrue(none.get(0).startsWith("no profile fits: it would be rejected (csv-missing-column)"), none.get(0));
        assertEquals(0, mappings(harness));
    }
}
