package eu.hbp.mip.anonymiser.csv;

import eu.hbp.mip.anonymiser.api.ProfileException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvProfileTests {

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

    private static final String HEAD = """
            name: visits
            patient: subject_id
            columns:
              subject_id: {rule: pseudonymise, domain: patient}
            """;

    private ProfileException failure(String yaml) {
        CsvHarness h = harness().profile("bad.yaml", yaml);
        return assertThrows(ProfileException.class, h::anonymiser);
    }

    private static void assertMentions(ProfileException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + part + "' not in: " + e.getMessage());
        }
    }

    @Test
    void sampleProfilesLoad() {
        Map<String, String> samples = new CsvAnonymiserProvider().sampleProfiles();
        assertEquals(3, samples.size());
        harness().samples().anonymiser();
    }

    @Test
    void rejectsUnknownKeyWithLine() {
        ProfileException e = failure("name: visits\ncolums:\n  a: keep\n");
        assertMentions(e, "bad.yaml:", "unknown key 'colums'", "columns");
    }

    @Test
    void rejectsColumnWithoutRuleWithLine() {
        ProfileException e = failure(HEAD + "  visit_date: {pattern: yyyy-MM-dd}\n");
        assertMentions(e, "bad.yaml:5", "column 'visit_date' has no rule", "rule:");
    }

    @Test
    void rejectsUnknownRuleType() {
        ProfileException e = failure(HEAD + "  age: {rule: round}\n");
        assertMentions(e, "bad.yaml:5", "unknown rule 'round'", "generalise");
    }

    @Test
    void rejectsBadDatePattern() {
        ProfileException e = failure(HEAD + "  visit_date: {rule: date, pattern: yyyy-MM-ddQQQQQQ}\n");
        assertMentions(e, "bad.yaml:5", "not a valid date pattern", "dd/MM/yyyy");
    }

    @Test
    void rejectsDatePatternWithoutDay() {
        ProfileException e = failure(HEAD + "  visit_date: {rule: date, pattern: MM/yyyy}\n");
        assertMentions(e, "bad.yaml:5", "must give a full date");
    }

    @Test
    void rejectsTwoDigitYear() {
        ProfileException e = failure(HEAD + "  birth: {rule: birthdate, pattern: dd/MM/yy}\n");
        assertMentions(e, "two-digit year", "yyyy");
    }

    @Test
    void rejectsBadScrubRegexWithItsLine() {
        ProfileException e = failure(HEAD + "  notes:\n    rule: scrub\n    patterns:\n      - 'ok\\d+'\n      - '(unclosed'\n");
        assertMentions(e, "bad.yaml:9", "pattern 2 is not a valid regular expression");
    }

    @Test
    void rejectsParameterOfAnotherRule() {
        ProfileException e = failure(HEAD + "  sex: {rule: keep, domain: patient}\n");
        assertMentions(e, "bad.yaml:5", "'domain' does not apply to rule keep");
    }

    @Test
    void rejectsPatientColumnNotPseudonymisedAsPatient() {
        ProfileException e = failure("name: v\npatient: pid\ncolumns:\n  pid: {rule: pseudonymise, domain: visit}\n");
        assertMentions(e, "bad.yaml:4", "must have rule pseudonymise with domain: patient");
    }

    @Test
    void rejectsShiftWithoutPatientColumn() {
        ProfileException e = failure("name: v\ncolumns:\n  d: {rule: date, pattern: yyyy-MM-dd, shift: true}\n");
        assertMentions(e, "bad.yaml:3", "shift: true needs the profile's 'patient:' column");
    }

    @Test
    void rejectsUnknownEncoding() {
        ProfileException e = failure("name: v\ndialect:\n  encoding: latin-42\ncolumns:\n  a: keep\n");
        assertMentions(e, "bad.yaml:3", "unknown encoding 'latin-42'", "ISO-8859-1");
    }

    @Test
    void rejectsUnknownColumnsSwitchValue() {
        ProfileException e = failure("name: v\nunknown-columns: drop\ncolumns:\n  a: keep\n");
        assertMentions(e, "bad.yaml:2", "'reject'", "'remove'");
    }

    @Test
    void rejectsUnorderedBuckets() {
        ProfileException e = failure(HEAD + "  bmi: {rule: generalise, buckets: [25, 18.5]}\n");
        assertMentions(e, "bad.yaml:5", "increasing order");
    }

    @Test
    void rejectsHeaderlessProfileWithoutFileName() {
        ProfileException e = failure("name: v\ndialect: {header: false}\ncolumns:\n  a: keep\n");
        assertMentions(e, "bad.yaml:2", "file-name");
    }

    @Test
    void rejectsTwoProfilesWithOneName() {
        CsvHarness h = harness().profile("a.yaml", "name: v\ncolumns:\n  a: keep\n")
                .profile("b.yaml", "name: v\ncolumns:\n  b: keep\n");
        ProfileException e = assertThrows(ProfileException.class, h::anonymiser);
        assertMentions(e, "b.yaml", "already used by", "a.yaml");
    }

    @Test
    void rejectsOutputPatternWithTimeAfterReduction() {
        ProfileException e = failure(HEAD + "  at: {rule: date, pattern: 'yyyy-MM-dd HH:mm', output: 'yyyy-MM-dd HH:mm'}\n");
        assertMentions(e, "output pattern", "reduced dates have no time");
    }

    @Test
    void acceptsProlepticAndEraYearPatterns() {
        harness().profile("ok.yaml", HEAD + "  a: {rule: date, pattern: uuuu-MM-dd}\n"
                + "  b: {rule: birthdate, pattern: yyyy}\n  c: {rule: date, pattern: 'dd.MM.yyyy HH:mm:ss', shift: true}\n")
                .anonymiser();
    }
}
