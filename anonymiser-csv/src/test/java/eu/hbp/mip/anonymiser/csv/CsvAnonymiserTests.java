package eu.hbp.mip.anonymiser.csv;

import eu.hbp.mip.anonymiser.api.Bucket;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static eu.hbp.mip.anonymiser.csv.CsvHarness.anonymised;
import static eu.hbp.mip.anonymiser.csv.CsvHarness.fixture;
import static eu.hbp.mip.anonymiser.csv.CsvHarness.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvAnonymiserTests {

    @TempDir
    Path tmp;

    private final List<CsvHarness> harnesses = new ArrayList<>();

    /** A harness over a real SQLite pseudonym store, closed after the test. */
    private CsvHarness harness() {
        CsvHarness h = new CsvHarness(tmp);
        harnesses.add(h);
        return h;
    }

    @AfterEach
    void closeStores() {
        harnesses.forEach(CsvHarness::close);
    }

    private static List<CSVRecord> records(String csv) throws IOException {
        try (CSVParser p = CSVFormat.RFC4180.parse(new StringReader(csv))) {
            return p.getRecords();
        }
    }

    @Test
    void anonymisesLatin1PatientTableWithTheSampleProfile() throws IOException {
        CsvHarness h = harness().samples();
        Outcome outcome = h.run(fixture("patients_export.csv"));
        Outcome.Anonymised a = anonymised(outcome);
        assertEquals(List.of(CsvHarness.OUT_DIR + "patients.csv"), a.outputs());
        String out = h.output(outcome);
        List<CSVRecord> rows = records(out);
        assertEquals(List.of("patient_id", "birth_date", "sex", "age_at_diagnosis", "diagnosis", "comments"),
                rows.get(0).toList(), "same order minus removed columns");
        assertEquals(6, rows.size(), "header and five rows");
        String p45 = h.store.pseudonym(PseudonymStore.PATIENT, "IPP0012345");
        assertEquals(p45, rows.get(1).get(0));
        assertEquals("1948", rows.get(1).get(1));
        assertEquals("91".equals(rows.get(2).get(3)) ? "" : "90+", rows.get(2).get(3), "ages over 89 grouped");
        assertEquals("G31.0 Démence fronto-temporale", rows.get(2).get(4), "Latin-1 accents decoded, written UTF-8");
        assertEquals("", rows.get(4).get(3), "NA null marker becomes an empty cell");
        for (String secret : List.of("Dubois", "Hélène", "Müller", "IPP0012348", "06 12 34 56 78",
                "helene.dubois@example.fr", "12/05/2024", "75013", "14/03/1948", "01 45 67 89 10")) {
            assertFalse(out.contains(secret), "output holds an identifier");
        }
        assertTrue(rows.get(1).get(5).contains("[REMOVED]"));
        assertTrue(rows.get(1).get(5).contains("\n"), "line break inside a quoted field kept");
        assertEquals(5L, a.counts().get("rows"));
        assertEquals(5L, a.counts().get("pseudonymise"));
        assertEquals(Set.of(p45, h.store.pseudonym(PseudonymStore.PATIENT, "IPP0012346"),
                h.store.pseudonym(PseudonymStore.PATIENT, "IPP0012347"),
                h.store.pseudonym(PseudonymStore.PATIENT, "IPP0012348")), a.subjects());
    }

    @Test
    void writesRfc4180WithTextQuotedAndCrlf() {
        CsvHarness h = harness().samples();
        String out = h.output(h.run(fixture("patients_export.csv")));
        assertTrue(out.startsWith("\"patient_id\",\"birth_date\",\"sex\",\"age_at_diagnosis\",\"diagnosis\",\"comments\"\r\n"),
                out.lines().findFirst().orElse(""));
        assertTrue(out.contains(",76,"), "generalised numbers are written bare");
        assertTrue(out.contains("\"F\""), "text is quoted");
        assertTrue(out.contains(",,"), "empty cells are written empty and unquoted");
    }

    @Test
    void stripsBomAndShiftsDatesPerPatient() throws IOException {
        CsvHarness h = harness().samples();
        Outcome outcome = h.run(fixture("visits_2026.csv"));
        List<CSVRecord> rows = records(h.output(outcome));
        assertEquals("subject_id", rows.get(0).get(0), "byte-order mark stripped from the first column name");
        assertEquals("2024-01-01", rows.get(1).get(2), "visit date reduced to the month");
        int shift = h.store.dayShift(PseudonymStore.PATIENT, "IPP0012345");
        assertEquals(java.time.LocalDateTime.of(2024, 1, 15, 8, 30).plusDays(shift)
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")), rows.get(1).get(3));
        assertEquals(h.store.pseudonym("visit", "V-2024-0001"), rows.get(1).get(1));
        assertEquals("Neurologie, hôpital de jour", rows.get(4).get(4), "separator inside quotes kept");
        assertEquals("60", rows.get(1).get(6), "weight rounded down to a step of 5");
        String notes = rows.get(4).get(7);
        assertFalse(notes.toLowerCase(java.util.Locale.ROOT).contains("martin"),
                "the row's removed physician is scrubbed from its notes, whatever the case");
        assertTrue(notes.contains("né en 1961"), "a bare year is not a date");
        assertFalse(rows.get(2).get(7).contains("V-2024-0107"), "the row's visit ID is scrubbed from its notes");
        assertFalse(rows.get(1).get(7).contains("01 45 67 89 10"));
    }

    @Test
    void samePatientGetsOnePseudonymAcrossTables() throws IOException {
        CsvHarness h = harness().samples();
        String patients = h.output(h.run(fixture("patients_export.csv")));
        String visits = h.output(h.run(fixture("visits_2026.csv")));
        String labs = h.output(h.run(fixture("lab_results.tsv")));
        String p = records(patients).get(1).get(0);
        assertEquals(p, records(visits).get(1).get(0));
        assertEquals(p, records(labs).get(1).get(0));
    }

    @Test
    void removesAndCountsUnknownColumnsWhenAllowed() throws IOException {
        CsvHarness h = harness().samples();
        Outcome outcome = h.run(fixture("lab_results.tsv"));
        Outcome.Anonymised a = anonymised(outcome);
        List<CSVRecord> rows = records(h.output(outcome));
        assertEquals(List.of("patient_id", "accession", "sample_date", "test_code", "value", "unit", "lab_site"),
                rows.get(0).toList());
        assertEquals(2L, a.counts().get("remove-unknown"), "two technicians, one '-' null marker");
        assertEquals("2024-01-01", rows.get(1).get(2));
        assertEquals("site", rows.get(3).get(6), "replace writes its constant even for an empty cell");
        assertEquals("", rows.get(2).get(4), "'-' is a null marker");
    }

    @Test
    void rejectsFileWithoutMatchingProfileNamingClosest() {
        CsvHarness h = harness().samples();
        Path in = h.input("export.csv", "foo,bar,baz\n1,2,3\n");
        Outcome.Rejected r = rejected(h.run(in));
        assertEquals("csv-no-profile", r.code());
        assertEquals(Bucket.of("csv"), r.bucket());
    }

    @Test
    void rejectsMissingColumnNamingIt() {
        CsvHarness h = harness().samples();
        Path in = h.input("visits.csv", "subject_id,visit_id,visit_date,admission,department,physician,mmse,weight_kg\n"
                + "A,B,2024-01-01,01/01/2024 10:00,N,P,1,2\n");
        Outcome.Rejected r = rejected(h.run(in));
        assertEquals("csv-missing-column", r.code(), r.reason());
        assertTrue(r.reason().contains("'notes'") && r.reason().contains("ehr-visits"), r.reason());
    }

    @Test
    void rejectsColumnWithoutRule() {
        CsvHarness h = harness().samples();
        Path in = h.input("visits.csv", "subject_id,visit_id,visit_date,admission,department,physician,mmse,"
                + "weight_kg,notes,home_address\nA,B,2024-01-01,01/01/2024 10:00,N,P,1,2,x,\"1 rue X\"\n");
        Outcome.Rejected r = rejected(h.run(in));
        assertEquals("csv-unknown-column", r.code(), r.reason());
        assertTrue(r.reason().contains("'home_address'"), r.reason());
        assertFalse(Files.exists(tmp.resolve("out-1")), "header-level rejections write nothing");
    }

    @Test
    void rejectsBadDateNamingRowColumnAndRuleButNotValue() {
        CsvHarness h = harness().samples();
        String head = "patient_id;last_name;first_name;birth_date;sex;postcode;phone;age_at_diagnosis;diagnosis;comments\n";
        Path in = h.input("patients.csv", head + "P1;A;B;01/02/1950;F;;;70;x;\nP2;A;B;31/02/1970;F;;;70;x;\n",
                StandardCharsets.ISO_8859_1);
        Outcome.Rejected r = rejected(h.run(in));
        assertEquals("csv-bad-value", r.code());
        assertEquals("row 2, column 'birth_date', rule birthdate: value does not match pattern dd/MM/yyyy", r.reason());
    }

    @Test
    void rejectsNonNumberForGeneralise() {
        CsvHarness h = harness().samples();
        String head = "patient_id;last_name;first_name;birth_date;sex;postcode;phone;age_at_diagnosis;diagnosis;comments\n";
        Path in = h.input("patients.csv", head + "P1;A;B;01/02/1950;F;;;seventy;x;\n", StandardCharsets.ISO_8859_1);
        Outcome.Rejected r = rejected(h.run(in));
        assertEquals("csv-bad-value", r.code());
        assertTrue(r.reason().startsWith("row 1, column 'age_at_diagnosis', rule generalise:"), r.reason());
        assertFalse(r.reason().contains("seventy"));
    }

    @Test
    void rejectsUnbalancedQuoteWithRowNumber() {
        CsvHarness h = harness().samples();
        String head = "subject_id,visit_id,visit_date,admission,department,physician,mmse,weight_kg,notes\n";
        Path in = h.input("visits.csv", head + "A,B,2024-01-01,01/01/2024 10:00,N,P,1,2,ok\n"
                + "A,B,2024-01-01,01/01/2024 10:00,N,P,1,2,\"never closed\n");
        Outcome.Rejected r = rejected(h.run(in));
        assertEquals("csv-malformed", r.code());
        assertTrue(r.reason().startsWith("row 2 "), r.reason());
        assertFalse(r.reason().contains("never closed"));
    }

    @Test
    void rejectsRaggedRow() {
        CsvHarness h = harness().samples();
        String head = "subject_id,visit_id,visit_date,admission,department,physician,mmse,weight_kg,notes\n";
        Path in = h.input("visits.csv", head + "A,B,2024-01-01,01/01/2024 10:00,N,P,1,2,ok\n"
                + "A,B,2024-01-01,01/01/2024 10:00,N,P,1,2,ok,extra\n");
        Outcome.Rejected r = rejected(h.run(in));
        assertEquals("csv-malformed", r.code());
        assertEquals("row 2 has 10 fields where the header has 9 (a ragged row, or a separator inside an unquoted"
                + " value)", r.reason());
    }

    @Test
    void rejectsBytesInvalidInDeclaredEncoding() {
        CsvHarness h = harness().samples();
        String head = "subject_id,visit_id,visit_date,admission,department,physician,mmse,weight_kg,notes\n";
        Path in = h.input("visits.csv", head + "A,B,2024-01-01,01/01/2024 10:00,Gériatrie,P,1,2,ok\n",
                StandardCharsets.ISO_8859_1);
        Outcome.Rejected r = rejected(h.run(in));
        assertEquals("csv-malformed", r.code());
        assertTrue(r.reason().contains("not valid UTF-8"), r.reason());
    }

    @Test
    void rejectsEmptyFile() {
        CsvHarness h = harness().samples();
        assertEquals("csv-malformed", rejected(h.run(h.input("visits.csv", ""))).code());
    }

    @Test
    void rejectsShiftWhenPatientIsEmpty() {
        CsvHarness h = harness().samples();
        String head = "subject_id,visit_id,visit_date,admission,department,physician,mmse,weight_kg,notes\n";
        Path in = h.input("visits.csv", head + ",B,2024-01-01,01/01/2024 10:00,N,P,1,2,ok\n");
        Outcome.Rejected r = rejected(h.run(in));
        assertEquals("csv-bad-value", r.code());
        assertTrue(r.reason().startsWith("row 1, column 'admission', rule date: the patient column 'subject_id'"),
                r.reason());
    }

    @Test
    void secondOutputOfTheSameTableOnOneDayGetsANewName() throws IOException {
        CsvHarness h = harness().samples();
        Path sink = tmp.resolve("sink");
        var anonymiser = h.anonymiser();
        Outcome first = anonymiser.anonymise(fixture("visits_2026.csv"), eu.hbp.mip.anonymiser.api.OutputSink.into(sink));
        Outcome second = anonymiser.anonymise(fixture("visits_2026.csv"), eu.hbp.mip.anonymiser.api.OutputSink.into(sink));
        assertEquals(List.of(CsvHarness.OUT_DIR + "visits.csv"), anonymised(first).outputs());
        assertEquals(List.of(CsvHarness.OUT_DIR + "visits-2.csv"), anonymised(second).outputs());
    }

    @Test
    void anonymisesHeaderlessFileByPosition() throws IOException {
        CsvHarness h = harness().profile("meds.yaml", """
                name: medications
                match: {file-name: "glob:meds_*.csv"}
                dialect: {header: false, separator: "|"}
                patient: pid
                columns:
                  pid: {rule: pseudonymise, domain: patient}
                  drug: keep
                  start: {rule: date, pattern: yyyyMMdd, reduce: year}
                """);
        Outcome outcome = h.run(h.input("meds_2026.csv", "P1|donepezil|20240312\nP2|memantine|20231101\n"));
        List<CSVRecord> rows = records(h.output(outcome));
        assertEquals(List.of("pid", "drug", "start"), rows.get(0).toList());
        assertEquals(List.of(h.store.pseudonym("patient", "P2"), "memantine", "2023-01-01"), rows.get(2).toList());
    }

    @Test
    void rejectsEveryFileWhenThereIsNoProfile() {
        CsvHarness h = harness();
        Outcome.Rejected r = rejected(h.run(fixture("visits_2026.csv")));
        assertEquals("csv-no-profile", r.code());
    }

    @Test
    void leavesConsentToThePipelineAndReportsEveryPatientAsASubject() throws IOException {
        CsvHarness h = harness().samples();
        String withdrawn = h.store.pseudonym(PseudonymStore.PATIENT, "IPP0012345");
        h.store.withdraw(PseudonymStore.PATIENT, withdrawn);
        Outcome outcome = h.run(fixture("visits_2026.csv"));
        Outcome.Anonymised a = anonymised(outcome);
        List<CSVRecord> rows = records(h.output(outcome));
        assertEquals(5, rows.size(), "header and every row: the pipeline's consent gate decides on the subjects");
        assertEquals(Set.of(withdrawn, h.store.pseudonym(PseudonymStore.PATIENT, "IPP0012346"),
                h.store.pseudonym(PseudonymStore.PATIENT, "IPP0012348")), a.subjects());
        assertFalse(a.counts().containsKey("withdrawn-rows"));
        assertEquals(4L, a.counts().get("rows"));
    }

    @Test
    void rejectsDuplicatedColumnNameAsMalformed() {
        CsvHarness h = harness().samples();
        Path in = h.input("visits.csv", "subject_id,visit_id,visit_date,admission,department,physician,mmse,"
                + "weight_kg,notes,notes\nA,B,2024-01-01,01/01/2024 10:00,N,P,1,2,x,y\n");
        Outcome.Rejected r = rejected(h.run(in));
        assertEquals("csv-malformed", r.code());
        assertTrue(r.reason().contains("names a column twice") && r.reason().contains("'notes'"), r.reason());
    }

    private static final String NOTES_PROFILE = """
            name: notes
            table: notes
            patient: pid
            columns:
              pid: {rule: pseudonymise, domain: patient}
              name: remove
              dept: keep
              note: {rule: scrub}
            """;

    @Test
    void pseudonymisesTheNormalisedIdentifier() throws IOException {
        CsvHarness h = harness().profile("notes.yaml", NOTES_PROFILE);
        Outcome outcome = h.run(h.input("notes.csv", "pid,name,dept,note\n"
                + "IPP\u200B0012345,A,N,x\n\uFF29\uFF30\uFF30\uFF10\uFF10\uFF11\uFF12\uFF13\uFF14\uFF15,A,N,x\n"
                + "\"IPP00\t12345\",A,N,x\n"));
        String p = h.store.pseudonym(PseudonymStore.PATIENT, "IPP0012345");
        List<CSVRecord> rows = records(h.output(outcome));
        for (int i = 1; i <= 3; i++) {
            assertEquals(p, rows.get(i).get(0), "row " + i);
        }
        assertEquals(Set.of(p), anonymised(outcome).subjects());
    }

    @Test
    void scrubsANameHiddenByInvisibleOrControlCharacters() throws IOException {
        CsvHarness h = harness().profile("notes.yaml", NOTES_PROFILE);
        Outcome outcome = h.run(h.input("notes.csv", "pid,name,dept,note\n"
                + "P1,Fischer,N,Dr Fi\u200Bscher called\nP1,Fischer,N,Dr Fi\u00ADscher called\n"
                + "P1,Fischer,N,\"Dr Fi\tscher called\"\nP1,Fi\u200Bscher,N,Dr Fischer called\n"));
        List<CSVRecord> rows = records(h.output(outcome));
        for (int i = 1; i <= 4; i++) {
            assertEquals("Dr [REMOVED] called", rows.get(i).get(2), "row " + i);
        }
    }

    @Test
    void rejectsANulCharacterNamingRowAndColumnButNotValue() {
        CsvHarness h = harness().profile("notes.yaml", NOTES_PROFILE);
        Outcome.Rejected r = rejected(h.run(h.input("notes.csv", "pid,name,dept,note\n"
                + "P1,Anna,N,fine\nP2,Xyzzy\u0000Quux,N,fine\n")));
        assertEquals("csv-bad-value", r.code());
        assertEquals(Bucket.of("csv"), r.bucket());
        assertTrue(r.reason().startsWith("row 2, column 'name': the cell holds a NUL character (U+0000)"), r.reason());
        assertFalse(r.reason().contains("Xyzzy") || r.reason().contains("Quux"), r.reason());
    }

    @Test
    void rejectsAnIdentifierLongerThanTheStoreHoldsBeforeCallingIt() {
        CsvHarness h = harness().profile("notes.yaml", NOTES_PROFILE);
        String tooLong = "Q".repeat(2001);
        Outcome.Rejected r = rejected(h.run(h.input("notes.csv", "pid,name,dept,note\n"
                + "P1,Anna,N,fine\n" + tooLong + ",Anna,N,fine\n")));
        assertEquals("csv-bad-value", r.code());
        assertTrue(r.reason().startsWith("row 2, column 'pid', rule pseudonymise: the value is longer than 2,000 bytes"),
                r.reason());
        assertFalse(r.reason().contains("QQQ"));
        assertTrue(h.store.lookup(PseudonymStore.PATIENT, tooLong).isEmpty(), "the store was given the value");
    }

    @Test
    void acceptsAnIdentifierOfExactlyTheStoresLimit() {
        CsvHarness h = harness().profile("notes.yaml", NOTES_PROFILE);
        Outcome outcome = h.run(h.input("notes.csv", "pid,name,dept,note\n" + "Q".repeat(2000) + ",Anna,N,fine\n"));
        assertEquals(1L, anonymised(outcome).counts().get("rows"));
    }

    @Test
    void scrubsAMegabyteNoteAgainstItsRowsIdentifiers() throws IOException {
        CsvHarness h = harness().profile("notes.yaml", NOTES_PROFILE);
        int times = (1 << 20) / "Anna Weber called. ".length();
        Outcome outcome = h.run(h.input("notes.csv", "pid,name,dept,note\n"
                + "P1,Anna Weber,N,\"" + "Anna Weber called. ".repeat(times) + "\"\n"));
        String note = records(h.output(outcome)).get(1).get(2);
        assertTrue(note.equals("[REMOVED] called. ".repeat(times)), "the megabyte note is not scrubbed as expected");
        assertEquals((long) times, anonymised(outcome).counts().get("scrub-markers"));
    }
}
