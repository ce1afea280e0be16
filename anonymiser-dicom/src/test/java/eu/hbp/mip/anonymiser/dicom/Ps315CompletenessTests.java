package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.dicom.codec.DataSet;
import eu.hbp.mip.anonymiser.dicom.codec.DicomFile;
import eu.hbp.mip.anonymiser.dicom.codec.VR;
import eu.hbp.mip.anonymiser.dicom.profile.Ps315Option;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What ps3.15-basic removes beyond the table's rows (the patient group, person and contact
 * attributes), and every PS3.15 option doing what the code it writes claims.
 */
class Ps315CompletenessTests {

    @TempDir
    static Path shared;
    private static PseudonymStore store;

    @TempDir
    Path work;

    @BeforeAll
    static void open() {
        store = Stores.sqlite(shared);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    /** Person, contact and patient-group attributes the table has no row for, nested ones too. */
    private static final Map<String, String> UNLISTED = Map.of(
            "(0010,0033)", "(0010,0033) LO [1390/11/26]",
            "(0010,0034)", "(0010,0034) LO [1460/01/01]",
            "(0010,0035)", "(0010,0035) CS [I]",
            "(0014,2006)", "(0014,2006) PN [Evaluator^Eve]",
            "(0074,100a)", "(0074,100a) UR [mailto:eve@hospital.example]",
            "(0074,100c)", "(0074,100c) LO [Eve at the desk]",
            "(0008,2218)", "(0008,2218) SQ (Sequence with undefined length)\n(fffe,e000) na (Item with undefined length)\n"
                    + "(0008,0100) SH [T-A0100]\n(0008,0102) SH [SRT]\n(0008,0104) LO [Brain]\n"
                    + "(0074,100c) LO [Nested contact]\n"
                    + "(fffe,e00d) na (ItemDelimitationItem)\n(fffe,e0dd) na (SequenceDelimitationItem)");

    @ParameterizedTest
    @ValueSource(strings = {"mip-default", "ps3.15-basic"})
    void removesPatientGroupAndPersonAttributesTheTableDoesNotList(String profile) {
        Path in = Corpus.instance(work.resolve("in"), "a", 1, UNLISTED, "+te");
        String dump = Tools.dcmdump(OneFile.output(work, OneFile.anonymised(work, profile, in)));
        for (String tag : List.of("(0010,0033)", "(0010,0034)", "(0010,0035)", "(0014,2006)", "(0074,100a)", "(0074,100c)")) {
            assertFalse(dump.contains(tag), profile + ": " + tag + " survived\n" + dump);
        }
        for (String value : List.of("1390/11/26", "1460/01/01", "Evaluator", "Eve at", "eve@", "Nested contact")) {
            assertFalse(dump.contains(value), profile + ": " + value + " survived\n" + dump);
        }
        if (profile.equals("ps3.15-basic")) {
            assertTrue(dump.contains("(0008,0104) LO [Brain]"), "the rest of the sequence item stays\n" + dump);
        }
    }

    private DataSet applied(String yamlOptions, DataSet ds) {
        Elements.editor(Elements.profile("base: ps3.15-basic\nremove-private-groups: true\noptions: " + yamlOptions + "\n"),
                store).apply(ds);
        return ds;
    }

    @Test
    void aPersonNameTheTableDoesNotListIsRemovedNotEmptied() {
        DataSet ds = new DataSet(false);
        ds.putString(0x00142006, VR.PN, "Evaluator^Eve");
        ds.putString(0x00400031, VR.UT, "not a person");   // LocalNamespaceEntityID: not a person, emptied as free text
        applied("[]", ds);
        assertFalse(ds.contains(0x00142006));
        assertTrue(ds.contains(0x00400031));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[clean-descriptors]", "[]"})
    void cleanDescriptorsRemovesTheBinaryDescriptorsItCannotClean(String options) {
        Path in = Corpus.instance(work.resolve("in"), "a", 1, Map.of("(0016,002b)", "(0016,002b) OB 01\\02\\03\\04",
                "(0016,004b)", "(0016,004b) OB 05\\06", "(0008,103e)", "(0008,103e) LO [T1 for the trial]"), "+te");
        OneFile.siteProfile(work, "site", "ps3.15-basic", "", "options: []", "options: " + options);
        Outcome outcome = new Outcome(OneFile.output(work, OneFile.anonymised(work, "site", in)));
        assertFalse(outcome.dump.contains("(0016,002b)"), outcome.dump);
        assertFalse(outcome.dump.contains("(0016,004b)"), outcome.dump);
        assertEquals(options.contains("clean"), outcome.codes.contains(Ps315Option.CLEAN_DESCRIPTORS.code()), outcome.codes.toString());
        if (options.contains("clean")) {
            assertTrue(outcome.dump.contains("(0008,103e) LO (no value available)"), "the text descriptor is cleaned\n" + outcome.dump);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"[clean-graphics]", "[]"})
    void overlaysAndCurvesLeaveAsAWholeGroupSoCleanGraphicsHolds(String options) {
        Path in = Corpus.instance(work.resolve("in"), "a", 1, Map.of("(6000,3000)", "(6000,3000) OW 0000\\ffff\\0000\\ffff"), "+te");
        OneFile.siteProfile(work, "site", "ps3.15-basic", "", "options: []", "options: " + options);
        Outcome outcome = new Outcome(OneFile.output(work, OneFile.anonymised(work, "site", in)));
        assertFalse(Pattern.compile("\\(60[0-1][0-9a-e],").matcher(outcome.dump).find(), "no overlay element\n" + outcome.dump);
        assertFalse(Pattern.compile("\\(50[0-1][0-9a-e],").matcher(outcome.dump).find(), "no curve element\n" + outcome.dump);
        assertEquals(options.contains("clean"), outcome.codes.contains(Ps315Option.CLEAN_GRAPHICS.code()), outcome.codes.toString());
        assertTrue(outcome.codes.contains("113100"), outcome.codes.toString());
    }

    @Test
    void mipDefaultRemovesOverlaysAndCurvesAndClaimsNoGraphicsOrDescriptorsOption() {
        Path in = Corpus.instance(work.resolve("in"), "a", 1, Map.of("(6000,3000)", "(6000,3000) OW 0000\\ffff\\0000\\ffff",
                "(0016,002b)", "(0016,002b) OB 01\\02\\03\\04"), "+te");
        Outcome outcome = new Outcome(OneFile.output(work, OneFile.anonymised(work, "mip-default", in)));
        assertFalse(Pattern.compile("\\((50|60)[0-1][0-9a-e],").matcher(outcome.dump).find(), outcome.dump);
        assertFalse(outcome.dump.contains("(0016,002b)"), outcome.dump);
        assertFalse(outcome.codes.contains(Ps315Option.CLEAN_GRAPHICS.code()), outcome.codes.toString());
        assertFalse(outcome.codes.contains(Ps315Option.CLEAN_DESCRIPTORS.code()), outcome.codes.toString());
    }

    @Test
    void modifiedDatesShiftDateTimesKeepingFractionAndZoneAndTimesOfDay() {
        int shift = store.dayShift(PseudonymStore.PATIENT, Elements.PATIENT);
        String day = LocalDate.of(2020, 1, 2).plusDays(shift).format(DateTimeFormatter.BASIC_ISO_DATE);
        DataSet ds = new DataSet(false);
        ds.putString(0x0008002A, VR.DT, "20200102103000.123+0100");   // AcquisitionDateTime
        ds.putString(0x00080022, VR.DA, "20200102");                  // AcquisitionDate
        ds.putString(0x00080032, VR.TM, "103000.123");                // AcquisitionTime
        ds.putBytes(0x00340007, VR.OB, new byte[8]);                   // FrameOriginTimestamp: binary
        applied("[retain-longitudinal-modified-dates]", ds);
        assertEquals(day + "103000.123+0100", ds.string(0x0008002A).orElseThrow());
        assertEquals(day, ds.string(0x00080022).orElseThrow());
        assertEquals("103000.123", ds.string(0x00080032).orElseThrow(), "a shift by whole days keeps the time of day");
        assertFalse(ds.contains(0x00340007), "a binary timestamp that cannot be shifted is removed");
    }

    @Test
    void shiftingADateTimeKeepsItsForm() {
        assertEquals("20200107103000.123", ElementEditor.dateValue("20200102103000.123", VR.DT, null, 5));
        assertEquals("20200107103000.123456-0500", ElementEditor.dateValue("20200102103000.123456-0500", VR.DT, null, 5));
        assertEquals("20191228", ElementEditor.dateValue("2020.01.02", VR.DA, null, -5));
        assertEquals("202001071030", ElementEditor.dateValue("202001021030", VR.DT, null, 5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mip-default", "ps3.15-basic"})
    void aModifiedDatesProfileShiftsAcquisitionDateTimeInTheFile(String profile) {
        Path in = Corpus.instance(work.resolve("in"), "a", 1, Map.of("(0008,002a)", "(0008,002a) DT [20210317101533.250+0100]"), "+te");
        if (profile.equals("mip-default")) {
            OneFile.siteProfile(work, "site", profile, "", "  - tags: [PatientBirthDate]",
                    "  - tags: [AcquisitionDateTime]\n    action: date\n    shift: true\n  - tags: [PatientBirthDate]");
        } else {
            OneFile.siteProfile(work, "site", profile, "", "options: []", "options: [retain-longitudinal-modified-dates]");
        }
        Outcome outcome = new Outcome(OneFile.output(work, OneFile.anonymised(work, "site", in)));
        int shift;
        try (PseudonymStore s = Stores.sqlite(work)) {
            shift = s.dayShift(PseudonymStore.PATIENT, Corpus.PATIENT_ID);
        }
        String day = LocalDate.of(2021, 3, 17).plusDays(shift).format(DateTimeFormatter.BASIC_ISO_DATE);
        assertTrue(outcome.dump.contains("(0008,002a) DT [" + day + "101533.250+0100]"), outcome.dump);
        assertTrue(outcome.codes.contains(Ps315Option.RETAIN_LONGITUDINAL_MODIFIED_DATES.code()), outcome.codes.toString());
    }

    /** An output's dcmdump and its DeidentificationMethodCodeSequence code values. */
    private static final class Outcome {
        final String dump;
        final List<String> codes = new ArrayList<>();

        Outcome(Path out) {
            dump = Tools.dcmdump(out);
            try (DicomFile f = eu.hbp.mip.anonymiser.dicom.codec.DicomReader.read(out)) {
                for (DataSet item : f.dataSet().items("DeidentificationMethodCodeSequence")) {
                    codes.add(item.string("CodeValue").orElseThrow());
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
