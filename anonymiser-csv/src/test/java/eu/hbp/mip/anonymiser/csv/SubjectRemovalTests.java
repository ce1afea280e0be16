package eu.hbp.mip.anonymiser.csv;

import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider;
import eu.hbp.mip.anonymiser.api.spi.Removal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubjectRemovalTests {

    static final String PROFILE = """
            name: forget
            table: visits
            patient: pid
            columns:
              pid: {rule: pseudonymise, domain: patient}
              visit: {rule: pseudonymise, domain: visit}
              name: remove
              age: {rule: generalise, step: 5}
              score: keep
              note: keep
            """;
    static final String HEADER = "pid,visit,name,age,score,note\n";
    /** Rows of P1, P2 and P3; P2 is first, in the middle and last, with separators, quotes and line breaks. */
    static final List<String> ROWS = List.of(
            "P2,V1,Anna Weber,71,22,\"first, with a comma\"",
            "P1,V2,Ben Roth,64,,\"two\r\nlines\"",
            "P3,V3,Cleo Hart,80,25,\"says \"\"hi\"\"; ok\"",
            "P2,V4,Anna Weber,72,,\"P2 is not a field value here\"",
            "P1,V5,Ben Roth,65,30,",
            "P2,V6,Anna Weber,72,19,\"last\nline of P2\"");

    @TempDir
    Path tmp;

    private final AnonymiserProvider provider = new CsvAnonymiserProvider();
    private CsvHarness harness;

    @AfterEach
    void closeStore() {
        if (harness != null) {
            harness.close();
        }
    }

    private CsvHarness harness() {
        harness = new CsvHarness(tmp).profile("forget.yaml", PROFILE);
        return harness;
    }

    /** Anonymises the rows and returns the path of the published output. */
    private Path publish(CsvHarness h, String fileName, List<String> rows) throws IOException {
        Path sink = tmp.resolve("published-" + fileName);
        Outcome outcome = h.anonymiser().anonymise(h.input(fileName, HEADER + String.join("\n", rows) + "\n"),
                eu.hbp.mip.anonymiser.api.OutputSink.into(sink));
        return sink.resolve(CsvHarness.anonymised(outcome).outputs().get(0));
    }

    @Test
    void leavesOutEveryRecordOfTheSubjectAndKeepsOtherRecordsByteForByte() throws IOException {
        CsvHarness h = harness();
        Path output = publish(h, "all.csv", ROWS);
        String p2 = h.store.pseudonym(PseudonymStore.PATIENT, "P2");
        Path copy = tmp.resolve("rewrite.csv");

        Removal removal = provider.removeSubject(output, p2, copy);

        assertEquals(Removal.records(3), removal);
        // what the anonymiser writes for the table without P2, from the same store: the expected bytes
        Path expected = publish(h, "others.csv", ROWS.stream().filter(r -> !r.startsWith("P2,")).toList());
        assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(copy));
        String text = Files.readString(copy, StandardCharsets.UTF_8);
        assertFalse(text.contains(p2), "the subject's pseudonym is in the rewritten table");
        assertTrue(text.contains("\"two\r\nlines\""), "a quoted line break of a kept record is kept");
        assertTrue(text.startsWith("\"pid\",\"visit\",\"age\",\"score\",\"note\"\r\n"), "the header is kept");
    }

    @Test
    void writesNothingWhenTheSubjectHasNoRecord() throws IOException {
        CsvHarness h = harness();
        Path output = publish(h, "all.csv", ROWS);
        byte[] before = Files.readAllBytes(output);
        Path copy = tmp.resolve("rewrite.csv");

        Removal removal = provider.removeSubject(output, h.store.pseudonym(PseudonymStore.PATIENT, "P9"), copy);

        assertEquals(Removal.records(0), removal);
        assertFalse(Files.exists(copy), "a copy was written although nothing was removed");
        assertArrayEquals(before, Files.readAllBytes(output), "the output itself is never changed");
    }

    @Test
    void matchesOnlyAWholeFieldNeverPartOfOne() throws IOException {
        CsvHarness h = harness();
        Path output = publish(h, "all.csv", ROWS);
        String p1 = h.store.pseudonym(PseudonymStore.PATIENT, "P1");
        Path copy = tmp.resolve("rewrite.csv");

        Removal removal = provider.removeSubject(output, p1.substring(0, p1.length() - 1), copy);

        assertEquals(Removal.records(0), removal);
        assertFalse(Files.exists(copy));
    }

    @Test
    void keepsTheHeaderAloneWhenEveryRecordIsTheSubjects() throws IOException {
        CsvHarness h = harness();
        List<String> onlyP2 = ROWS.stream().filter(r -> r.startsWith("P2,")).toList();
        Path output = publish(h, "p2.csv", onlyP2);
        Path copy = tmp.resolve("rewrite.csv");

        Removal removal = provider.removeSubject(output, h.store.pseudonym(PseudonymStore.PATIENT, "P2"), copy);

        assertEquals(Removal.records(3), removal);
        assertEquals("\"pid\",\"visit\",\"age\",\"score\",\"note\"\r\n", Files.readString(copy, StandardCharsets.UTF_8));
    }

    @Test
    void refusesToOverwriteAnExistingCopy() throws IOException {
        CsvHarness h = harness();
        Path output = publish(h, "all.csv", ROWS);
        Path copy = Files.writeString(tmp.resolve("rewrite.csv"), "someone else's");

        assertThrows(java.nio.file.FileAlreadyExistsException.class,
                () -> provider.removeSubject(output, h.store.pseudonym(PseudonymStore.PATIENT, "P2"), copy));
        assertEquals("someone else's", Files.readString(copy), "an existing file is never overwritten");
    }

    @Test
    void refusesAnOutputThatIsNotCsvAsTheAnonymiserWritesItWithoutQuotingIt() throws IOException {
        Path output = Files.writeString(tmp.resolve("broken.csv"),
                "\"pid\",\"note\"\r\n\"SUBJ\",\"ok\"\r\n\"OTHER\",\"secret\"x\r\n\"SUBJ\",\"z\"\r\n");
        Path copy = tmp.resolve("rewrite.csv");

        IOException e = assertThrows(IOException.class, () -> provider.removeSubject(output, "SUBJ", copy));

        assertTrue(e.getMessage().contains("near line"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), "the message quotes the output");
        assertFalse(Files.exists(copy), "a partial copy is left behind");
    }

    @Test
    void removesRecordsWhoseSubjectAppearsInAnyField() throws IOException {
        Path output = Files.writeString(tmp.resolve("out.csv"), "\"pid\",\"mother\"\r\n\"A\",\"\"\r\n\"B\",\"A\"\r\n"
                + "\"C\",\"B\"\r\n", StandardCharsets.UTF_8);
        Path copy = tmp.resolve("rewrite.csv");

        assertEquals(Removal.records(2), provider.removeSubject(output, "A", copy));
        assertEquals("\"pid\",\"mother\"\r\n\"C\",\"B\"\r\n", Files.readString(copy));
    }

    @Test
    void keepsCharactersOutsideTheBasicPlaneByteForByte() throws IOException {
        String table = "\"pid\",\"note\"\r\n\"A\",\"\uD83D\uDE00 émoji\"\r\n\"B\",\"x\"\r\n\"C\",\"中文, \r\n\"\"q\"\"\"\r\n";
        Path output = Files.writeString(tmp.resolve("out.csv"), table, StandardCharsets.UTF_8);
        Path copy = tmp.resolve("rewrite.csv");

        assertEquals(Removal.records(1), provider.removeSubject(output, "B", copy));
        assertArrayEquals(table.replace("\"B\",\"x\"\r\n", "").getBytes(StandardCharsets.UTF_8), Files.readAllBytes(copy));
    }
}
