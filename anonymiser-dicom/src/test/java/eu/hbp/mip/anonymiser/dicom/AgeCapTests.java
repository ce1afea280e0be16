package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.api.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgeCapTests {

    @TempDir
    Path work;

    private Path image(String age, String birth) {
        return Corpus.instance(work.resolve("in"), "a", 1, Map.of("(0010,1010)", "(0010,1010) AS [" + age + "]",
                "(0010,0030)", "(0010,0030) DA [" + birth + "]"), "+te");
    }

    @Test
    void mipDefaultWritesAnAgeOfNinetyOrMoreAsNinetyAndCutsTheBirthYear() {
        Outcome.Anonymised a = OneFile.anonymised(work, "mip-default", image("093Y", "19280215"));
        String dump = Tools.dcmdump(OneFile.output(work, a));
        assertTrue(dump.contains("(0010,1010) AS [090Y]"), dump);
        assertTrue(dump.contains("(0010,0030) DA [19310101]"), "study year 2021 minus 90\n" + dump);
        assertFalse(dump.contains("1928"), dump);
        assertEquals(2L, a.counts().get("age-90-cap"), a.counts().toString());
    }

    @Test
    void mipDefaultLeavesAnAgeUnderNinetyAlone() {
        Outcome.Anonymised a = OneFile.anonymised(work, "mip-default", image("089Y", "19320215"));
        String dump = Tools.dcmdump(OneFile.output(work, a));
        assertTrue(dump.contains("(0010,1010) AS [089Y]"), dump);
        assertTrue(dump.contains("(0010,0030) DA [19320101]"), dump);
        assertNull(a.counts().get("age-90-cap"), a.counts().toString());
    }

    @Test
    void mipDefaultCutsTheBirthYearEvenWhenTheAgeIsAbsent() {
        Path in = Corpus.instance(work.resolve("in"), "a", 1, Map.of("(0010,1010)", "", "(0010,0030)", "(0010,0030) DA [19050101]"), "+te");
        String dump = Tools.dcmdump(OneFile.output(work, OneFile.anonymised(work, "mip-default", in)));
        assertTrue(dump.contains("(0010,0030) DA [19310101]"), dump);
    }

    @Test
    void ps315BasicRemovesTheAgeAndEmptiesTheBirthDate() {
        String dump = Tools.dcmdump(OneFile.output(work, OneFile.anonymised(work, "ps3.15-basic", image("095Y", "19250601"))));
        assertFalse(dump.contains("(0010,1010)"), dump);
        assertTrue(dump.contains("(0010,0030) DA (no value available)"), dump);
    }

    @Test
    void ps315WithPatientCharacteristicsAndAKeptBirthDateCapsBoth() {
        OneFile.siteProfile(work, "site", "ps3.15-basic", "", "options: []", "options: [retain-patient-characteristics]",
                "  - tags: [PatientID]", "  - tags: [PatientBirthDate]\n    action: keep\n  - tags: [PatientID]");
        Outcome.Anonymised a = OneFile.anonymised(work, "site", image("095Y", "19250601"));
        String dump = Tools.dcmdump(OneFile.output(work, a));
        assertTrue(dump.contains("(0010,1010) AS [090Y]"), dump);
        assertTrue(dump.contains("(0010,0030) DA [19310101]"), dump);
        assertEquals(2L, a.counts().get("age-90-cap"), a.counts().toString());
    }

    @ParameterizedTest
    @CsvSource({"090Y,true", "999Y,true", "089Y,false", "999M,false", "999W,false", "999D,false", "90Y,false", "ABCY,false"})
    void onlyYearsOfNinetyOrMoreAreCapped(String age, boolean capped) {
        assertEquals(capped, AgeCap.ninetyOrMore(age), age);
    }
}
