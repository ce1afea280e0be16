package eu.hbp.mip.anonymiser.csv;

import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;

import static eu.hbp.mip.anonymiser.csv.CsvHarness.anonymised;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class FreeTextNetTests {

    static final String PROFILE = """
            name: net
            table: net
            patient: pid
            columns:
              pid: {rule: pseudonymise, domain: patient}
              name: remove
              visit: {rule: pseudonymise, domain: visit}
              dept: keep
              remark: keep
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

    private Outcome run(String rows) {
        harness = new CsvHarness(tmp).profile("net.yaml", PROFILE);
        return harness.run(harness.input("net.csv", "pid,name,visit,dept,remark\n" + rows));
    }

    private List<CSVRecord> records(Outcome outcome) throws IOException {
        try (CSVParser p = CSVFormat.RFC4180.parse(new StringReader(harness.output(outcome)))) {
            return p.getRecords();
        }
    }

    @Test
    void replacesTheRowsRemovedAndPseudonymisedValuesInAKeptCell() throws IOException {
        Outcome outcome = run("IPP77,Anna Weber,V-9001,Neurologie,\"seen with WEBER, ref ipp77 and visit V-9001\"\n");
        List<CSVRecord> rows = records(outcome);
        assertEquals("seen with [REMOVED], ref [REMOVED] and visit [REMOVED]", rows.get(1).get(3));
        assertEquals("Neurologie", rows.get(1).get(2), "a kept cell without identifiers is left verbatim");
        assertEquals(3L, anonymised(outcome).counts().get("free-text-net"));
    }

    @Test
    void looksOnlyForWholeWordsOfThreeCharactersOrMore() throws IOException {
        Outcome outcome = run("P1,Al Martin,V1,N,\"Martinez, Al and P1 came\"\n");
        assertEquals("Martinez, Al and P1 came", records(outcome).get(1).get(3));
        assertFalse(anonymised(outcome).counts().containsKey("free-text-net"), "nothing was replaced");
    }

    @Test
    void looksOnlyForTheValuesOfTheSameRow() throws IOException {
        Outcome outcome = run("P1,Anna Weber,V1,N,fine\nP2,Ben Roth,V2,N,\"Weber's neighbour\"\n");
        List<CSVRecord> rows = records(outcome);
        assertEquals("Weber's neighbour", rows.get(2).get(3), "another row's name is out of the net's reach");
    }

    @Test
    void findsAValueHiddenByInvisibleCharacters() throws IOException {
        Outcome outcome = run("P1,Fischer,V1,N,Dr Fi\u200Bscher\n");
        assertEquals("Dr [REMOVED]", records(outcome).get(1).get(3));
        assertEquals(harness.store.pseudonym(PseudonymStore.PATIENT, "P1"), records(outcome).get(1).get(0));
    }
}
