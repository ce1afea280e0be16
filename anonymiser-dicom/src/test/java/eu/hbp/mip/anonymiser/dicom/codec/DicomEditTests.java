package eu.hbp.mip.anonymiser.dicom.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Edits by tag and keyword, at the top level and inside sequences, checked by dcmdump. */
class DicomEditTests {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"ct-explicit-le.dcm", "ct-explicit-le-undefined.dcm", "ct-implicit-le.dcm",
        "ct-explicit-be.dcm", "ct-deflated.dcm", "ct-rle.dcm", "raw-implicit-le.dcm"})
    void editsAtEveryLevelAreWrittenWithRecomputedLengths(String name) throws Exception {
        Path out = tmp.resolve("edited.dcm");
        try (DicomFile file = DicomReader.read(Dcmtk.fixture(name))) {
            DataSet ds = file.dataSet();
            ds.remove("PatientName");
            ds.remove(Tag.of(0x0008, 0x0090));
            ds.putString("PatientID", "PSEUDO-7K3QX0M2V9D1ZR4T");
            ds.putDate("PatientBirthDate", LocalDate.of(1970, 1, 1));
            ds.putString("PatientIdentityRemoved", "YES");
            ds.putString("DeidentificationMethod", "MIP anonymiser test profile");
            DataSet request = ds.items("RequestAttributesSequence").get(0);
            request.putString("RequestedProcedureID", "RP-PSEUDONYM-LONGER-THAN-BEFORE");
            DataSet code = request.items("ScheduledProtocolCodeSequence").get(0);
            code.remove("CodeMeaning");
            code.putString("CodeValue", "P1-CHANGED");
            DataSet added = ds.addItem("ReferencedStudySequence");
            added.putString("ReferencedSOPClassUID", "1.2.840.10008.3.1.2.3.1");
            added.putString("ReferencedSOPInstanceUID", "2.25.1234");
            ds.removeIf(e -> Tag.isPrivate(e.tag()));
            new DicomWriter().write(file, out);
        }
        String dump = Dcmtk.dump(out);
        assertFalse(dump.contains("PatientName"), dump);
        assertFalse(dump.contains("ReferringPhysicianName"), dump);
        assertTrue(dump.contains("(0010,0020) LO [PSEUDO-7K3QX0M2V9D1ZR4T]"), dump);
        assertTrue(dump.contains("(0010,0030) DA [19700101]"), dump);
        assertTrue(dump.contains("(0012,0062) CS [YES]"), dump);
        assertTrue(dump.contains("[RP-PSEUDONYM-LONGER-THAN-BEFORE]"), dump);
        assertTrue(dump.contains("(0008,0100) SH [P1-CHANGED]"), dump);
        assertFalse(dump.contains("CodeMeaning"), dump);
        assertTrue(dump.contains("[2.25.1234]"), dump);
        assertFalse(dump.contains("(0029,"), dump);
        assertFalse(dump.contains("(7fe1,"), dump);
        assertTrue(dump.contains("(7fe0,0010)"), dump);
        try (DicomFile again = DicomReader.read(out)) {
            assertEquals(2, again.dataSet().items("ReferencedStudySequence").size());
            assertEquals(List.of("PSEUDO-7K3QX0M2V9D1ZR4T"), again.dataSet().strings("PatientID"));
        }
    }

    @Test
    void readsTextWithTheSpecificCharacterSetAndSplitsValues() throws Exception {
        try (DicomFile file = DicomReader.read(Dcmtk.fixture("ct-explicit-le.dcm"))) {
            DataSet ds = file.dataSet();
            assertEquals("Müller^Zoë", ds.string("PatientName").orElseThrow());
            assertEquals(List.of("OTHER-1", "OTHER-2"), ds.strings("OtherPatientIDs"));
            assertEquals(List.of("ORIGINAL", "PRIMARY", "AXIAL"), ds.strings("ImageType"));
            assertEquals(LocalDate.of(1970, 1, 1), ds.date("PatientBirthDate").orElseThrow());
            assertEquals(64, ds.integer("Rows").getAsInt());
            assertEquals("1.2.826.0.1.3680043.2.1125.4.1", ds.string("SOPInstanceUID").orElseThrow());
            assertTrue(ds.string("PatientAddress").isEmpty());
        }
    }

    @Test
    void writesTextInTheSpecificCharacterSet() throws Exception {
        Path out = tmp.resolve("latin1.dcm");
        try (DicomFile file = DicomReader.read(Dcmtk.fixture("ct-explicit-le.dcm"))) {
            file.dataSet().putString("PatientName", "Ångström^Élodie");
            new DicomWriter().write(file, out);
        }
        try (DicomFile again = DicomReader.read(out)) {
            assertEquals("Ångström^Élodie", again.dataSet().string("PatientName").orElseThrow());
        }
        assertTrue(Dcmtk.dump(out).contains("(0010,0010) PN [\u00c5ngstr\u00f6m^\u00c9lodie]"));
    }

    @Test
    void refusesTextTheCharacterSetCannotEncode() throws Exception {
        try (DicomFile file = DicomReader.read(Dcmtk.fixture("ct-explicit-le.dcm"))) {
            assertThrows(IllegalArgumentException.class, () -> file.dataSet().putString("PatientName", "山田^太郎"));
        }
    }

    @Test
    void findsPrivateElementsThroughTheirCreator() throws Exception {
        try (DicomFile file = DicomReader.read(Dcmtk.fixture("ct-explicit-le.dcm"))) {
            DataSet ds = file.dataSet();
            assertEquals(0x10, ds.privateBlock(0x0029, "ACME 1.0").getAsInt());
            int tag = ds.privateTag(0x0029, "ACME 1.0", 0x01).getAsInt();
            assertEquals(0x00291001, tag);
            assertEquals("PRIVATE-ID-42", ds.string(tag).orElseThrow());
            assertEquals("ACME 1.0", ds.privateCreatorOf(tag).orElseThrow());
            assertTrue(ds.privateBlock(0x0029, "OTHER").isEmpty());
            int block = ds.reservePrivateBlock(0x0029, "MIP ANON");
            assertEquals(0x11, block);
            ds.putString(0x00291101, VR.LO, "ours");
            ds.putString(tag, "REPLACED");
            assertEquals(VR.LO, ds.get(tag).orElseThrow().vr(), "keeps the VR of the element already there");
            assertEquals("MIP ANON", ds.privateCreatorOf(0x00291101).orElseThrow());
        }
    }

    @Test
    void seesElementsAfterThePixelData() throws Exception {
        try (DicomFile file = DicomReader.read(Dcmtk.fixture("ct-jpeg-lossless.dcm"))) {
            DataSet ds = file.dataSet();
            assertTrue(ds.get(Tag.PIXEL_DATA).orElseThrow().value() instanceof Value.Fragments);
            assertEquals("TRAILING-ID-9", ds.string(0x7FE11001).orElseThrow());
        }
    }

    @Test
    void readsUnknownUndefinedLengthAsAnImplicitSequence() throws Exception {
        try (DicomFile file = DicomReader.read(Dcmtk.fixture("un-undefined-odd.dcm"))) {
            Element un = file.dataSet().get(0x00111010).orElseThrow();
            assertEquals(VR.UN, un.vr());
            DataSet item = file.dataSet().items(0x00111010).get(0);
            assertEquals("PAT-0003", item.string("PatientID").orElseThrow());
            assertEquals("Odd^Len", file.dataSet().string("PatientName").orElseThrow());
        }
    }

    @Test
    void visitsNestedElementsDepthFirst() throws Exception {
        try (DicomFile file = DicomReader.read(Dcmtk.fixture("ct-explicit-le-undefined.dcm"))) {
            List<String> seen = new java.util.ArrayList<>();
            file.dataSet().forEachDeep((owner, e) -> {
                if (e.tag() == 0x00080100 || e.tag() == 0x00401001 || e.tag() == 0x00400275) {
                    seen.add(Tag.toString(e.tag()));
                }
            });
            assertEquals(List.of("(0040,0275)", "(0008,0100)", "(0040,1001)"), seen);
        }
    }

    @Test
    void metaFollowsTheSopInstanceUid() throws Exception {
        Path out = tmp.resolve("uid.dcm");
        try (DicomFile file = DicomReader.read(Dcmtk.fixture("ct-explicit-le.dcm"))) {
            file.dataSet().putString("SOPInstanceUID", "2.25.99887766554433221100");
            new DicomWriter().write(file, out);
        }
        try (DicomFile again = DicomReader.read(out)) {
            assertEquals("2.25.99887766554433221100",
                    again.meta().string(Tag.MEDIA_STORAGE_SOP_INSTANCE_UID).orElseThrow());
        }
    }

    @Test
    void refusesToOverwriteItsSource() throws Exception {
        Path copy = tmp.resolve("source.dcm");
        java.nio.file.Files.copy(Dcmtk.fixture("ct-explicit-le.dcm"), copy);
        try (DicomFile file = DicomReader.read(copy)) {
            assertThrows(IllegalArgumentException.class, () -> new DicomWriter().write(file, copy));
        }
        assertEquals(java.nio.file.Files.size(Dcmtk.fixture("ct-explicit-le.dcm")), java.nio.file.Files.size(copy));
    }

    @Test
    void refusesUnknownKeywordsAndNonTextPuts() {
        DataSet ds = new DataSet(false);
        assertThrows(IllegalArgumentException.class, () -> ds.putString("NoSuchKeyword", "x"));
        assertThrows(IllegalArgumentException.class, () -> ds.putString("Rows", "64"));
        assertThrows(IllegalArgumentException.class, () -> ds.put(new Element(Tag.ITEM, VR.OB,
                new Value.Bytes(new byte[0]))));
    }
}
