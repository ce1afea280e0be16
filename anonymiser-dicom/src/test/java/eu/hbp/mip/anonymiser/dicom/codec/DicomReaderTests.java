package eu.hbp.mip.anonymiser.dicom.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the reader accepts, detects and refuses, and how it says so. */
class DicomReaderTests {

    private static final String EXPLICIT_LE = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;

    @TempDir
    Path tmp;

    private Path file(byte[] bytes) throws Exception {
        Path p = Files.createTempFile(tmp, "crafted", ".dcm");
        Files.write(p, bytes);
        return p;
    }

    private DicomFormatException refused(byte[] bytes, ReadLimits limits) throws Exception {
        Path p = file(bytes);
        return assertThrows(DicomFormatException.class, () -> DicomReader.read(p, limits).close());
    }

    @Test
    void detectsTheEncodingOfRawDataSets() throws Exception {
        try (DicomFile f = DicomReader.read(Dcmtk.fixture("raw-implicit-le.dcm"))) {
            assertFalse(f.hadMeta());
            assertEquals(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, f.transferSyntax().uid());
            assertEquals("PAT-0001", f.dataSet().string("PatientID").orElseThrow());
        }
        try (DicomFile f = DicomReader.read(Dcmtk.fixture("raw-explicit-le.dcm"))) {
            assertEquals(EXPLICIT_LE, f.transferSyntax().uid());
            assertEquals("PAT-0001", f.dataSet().string("PatientID").orElseThrow());
        }
    }

    @Test
    void readsAnImplicitDataSetBehindAMetaGroupThatSaysExplicit() throws Exception {
        byte[] whole = Files.readAllBytes(Dcmtk.fixture("ct-implicit-le.dcm"));
        int dataSetStart = 132 + 12 + ByteBuffer.wrap(whole).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(140);
        byte[] lying = new Craft().raw(Craft.part10(EXPLICIT_LE).bytes())
                .raw(Arrays.copyOfRange(whole, dataSetStart, whole.length)).bytes();
        Path out = tmp.resolve("fixed.dcm");
        try (DicomFile f = DicomReader.read(file(lying))) {
            assertEquals(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, f.transferSyntax().uid());
            assertEquals("PAT-0001", f.dataSet().string("PatientID").orElseThrow());
            new DicomWriter().write(f, out);
        }
        assertEquals(Dcmtk.dataSetPart(Dcmtk.dump(Dcmtk.fixture("ct-implicit-le.dcm"))),
                Dcmtk.dataSetPart(Dcmtk.dump(out)));
    }

    @Test
    void readsEveryTransferSyntaxOfTheFixtures() throws Exception {
        for (Path p : Dcmtk.fixtures()) {
            try (DicomFile f = DicomReader.read(p)) {
                assertTrue(f.dataSet().contains("SOPInstanceUID"), p.toString());
            }
        }
        try (DicomFile f = DicomReader.read(Dcmtk.fixture("ct-deflated.dcm"))) {
            assertTrue(f.transferSyntax().deflated());
            assertEquals("PAT-0001", f.dataSet().string("PatientID").orElseThrow());
            Path inflated = f.bulkSource();
            assertTrue(Files.exists(inflated));
            f.close();
            assertFalse(Files.exists(inflated), "close deletes the inflated data set");
        }
    }

    @Test
    void keepsPixelDataAsAReferenceAndChecksFragments() throws Exception {
        try (DicomFile f = DicomReader.read(Dcmtk.fixture("mf-rle.dcm"))) {
            Value.Fragments px = (Value.Fragments) f.dataSet().get(Tag.PIXEL_DATA).orElseThrow().value();
            assertEquals(4, px.items(), "offset table and one fragment per frame");
        }
        try (DicomFile f = DicomReader.read(Dcmtk.fixture("ct-implicit-le.dcm"))) {
            Value.Bulk px = (Value.Bulk) f.dataSet().get(Tag.PIXEL_DATA).orElseThrow().value();
            assertEquals(64 * 64 * 2, px.length());
        }
    }

    @Test
    void refusesATruncatedFileNamingTheOffset() throws Exception {
        byte[] whole = Files.readAllBytes(Dcmtk.fixture("ct-explicit-le.dcm"));
        DicomFormatException e = refused(Arrays.copyOf(whole, 700), ReadLimits.defaults());
        assertTrue(e.getMessage().contains("byte offset"), e.getMessage());
        assertTrue(e.offset() > 0 && e.offset() <= 700, e.getMessage());
    }

    @Test
    void refusesALengthPastTheEndOfTheFile() throws Exception {
        byte[] bytes = new Craft().raw(Craft.part10(EXPLICIT_LE).bytes())
                .header(0x00100010, "UT", 0x7FFFFFF0L).raw("Doe^Jane".getBytes(StandardCharsets.US_ASCII)).bytes();
        DicomFormatException e = refused(bytes, ReadLimits.defaults());
        assertTrue(e.getMessage().contains("(0010,0010)"), e.getMessage());
        assertTrue(e.getMessage().contains("past the end"), e.getMessage());
        assertFalse(e.getMessage().contains("Doe"), "never a value in the message");
        assertEquals(0x00100010, e.tag());
    }

    @Test
    void refusesAValueLongerThanTheBound() throws Exception {
        DicomFormatException e = refused(Files.readAllBytes(Dcmtk.fixture("ct-explicit-le.dcm")),
                ReadLimits.defaults().withMaxValueLength(8));
        assertTrue(e.getMessage().contains("exceeds the limit of 8 bytes"), e.getMessage());
        assertFalse(e.getMessage().contains("ISO_IR") || e.getMessage().contains("PAT-"), e.getMessage());
    }

    @Test
    void refusesMoreHeaderThanTheMemoryBound() throws Exception {
        DicomFormatException e = refused(Files.readAllBytes(Dcmtk.fixture("ct-explicit-le.dcm")),
                ReadLimits.defaults().withMaxHeaderBytes(1000));
        assertTrue(e.getMessage().contains("header exceeds the limit"), e.getMessage());
    }

    @Test
    void refusesNestingDeeperThanTheBoundWithoutStackOverflow() throws Exception {
        Craft c = new Craft().raw(Craft.part10(EXPLICIT_LE).bytes());
        int depth = 100_000;
        for (int i = 0; i < depth; i++) {
            c.header(0x00081110, "SQ", Craft.UNDEFINED).item(Tag.ITEM, Craft.UNDEFINED);
        }
        DicomFormatException e = refused(c.bytes(), ReadLimits.defaults());
        assertTrue(e.getMessage().contains("nested deeper than the limit of 64"), e.getMessage());
    }

    @Test
    void readsAndWritesTheDeepestAllowedNesting() throws Exception {
        int depth = ReadLimits.MAX_DEPTH;
        Craft c = new Craft().raw(Craft.part10(EXPLICIT_LE).bytes());
        for (int i = 0; i < depth; i++) {
            c.header(0x00081110, "SQ", Craft.UNDEFINED).item(Tag.ITEM, Craft.UNDEFINED);
        }
        for (int i = 0; i < depth; i++) {
            c.item(Tag.ITEM_DELIMITATION, 0).item(Tag.SEQUENCE_DELIMITATION, 0);
        }
        Path in = file(c.bytes());
        ReadLimits deep = ReadLimits.defaults().withMaxDepth(depth);
        Path out = tmp.resolve("deep-out.dcm");
        try (DicomFile f = DicomReader.read(in, deep)) {
            new DicomWriter().write(f, out);
        }
        try (DicomFile again = DicomReader.read(out, deep)) {
            int[] count = {0};
            again.dataSet().forEachDeep((owner, e) -> count[0]++);
            assertEquals(depth, count[0]);
        }
        assertThrows(DicomFormatException.class, () -> DicomReader.read(in, deep.withMaxDepth(depth - 1)));
        assertThrows(IllegalArgumentException.class, () -> deep.withMaxDepth(depth + 1));
    }

    @Test
    void refusesADeflateBomb() throws Exception {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (DeflaterOutputStream dos = new DeflaterOutputStream(compressed, new Deflater(9, true))) {
            Craft el = new Craft().header(0x00291010, "OB", 64L << 20);
            dos.write(el.bytes());
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                dos.write(zeros);
            }
        }
        byte[] bytes = new Craft().raw(Craft.part10(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN).bytes())
                .raw(compressed.toByteArray()).bytes();
        DicomFormatException e = refused(bytes, ReadLimits.defaults().withMaxInflatedBytes(1 << 20));
        assertTrue(e.getMessage().contains("inflates beyond the limit"), e.getMessage());
        try (DicomFile f = DicomReader.read(file(bytes))) {
            assertTrue(f.dataSet().get(0x00291010).orElseThrow().isBulk(), "within the default bound it reads");
        }
    }

    @Test
    void refusesASequenceWithoutItems() throws Exception {
        byte[] bytes = new Craft().raw(Craft.part10(EXPLICIT_LE).bytes())
                .header(0x00081110, "SQ", 16).item(0x00080100, 8).raw(new byte[8]).bytes();
        DicomFormatException e = refused(bytes, ReadLimits.defaults());
        assertTrue(e.getMessage().contains("expected an item"), e.getMessage());
        assertTrue(e.getMessage().contains("(0008,1110)"), e.getMessage());
    }

    @Test
    void refusesEncapsulatedPixelDataWithoutDelimiter() throws Exception {
        byte[] bytes = new Craft().raw(Craft.part10("1.2.840.10008.1.2.5").bytes())
                .header(Tag.PIXEL_DATA, "OB", Craft.UNDEFINED).item(Tag.ITEM, 0).item(Tag.ITEM, 4)
                .raw(new byte[4]).bytes();
        DicomFormatException e = refused(bytes, ReadLimits.defaults());
        assertTrue(e.getMessage().contains("no sequence delimitation item"), e.getMessage());
    }

    @Test
    void refusesAFragmentLongerThanTheFile() throws Exception {
        byte[] bytes = new Craft().raw(Craft.part10("1.2.840.10008.1.2.4.70").bytes())
                .header(Tag.PIXEL_DATA, "OB", Craft.UNDEFINED).item(Tag.ITEM, 0).item(Tag.ITEM, 0x7FFFFFF0L)
                .raw(new byte[64]).bytes();
        assertTrue(refused(bytes, ReadLimits.defaults()).getMessage().contains("fragment length"));
    }

    @Test
    void refusesCodeExtensionsOfTheCharacterSet() throws Exception {
        byte[] bytes = new Craft().raw(Craft.part10(EXPLICIT_LE).bytes())
                .text(Tag.SPECIFIC_CHARACTER_SET, "CS", "\\ISO 2022 IR 87").bytes();
        assertTrue(refused(bytes, ReadLimits.defaults()).getMessage().contains("Specific Character Set"));
    }

    @Test
    void refusesPrivateTransferSyntaxes() throws Exception {
        byte[] bytes = new Craft().raw(Craft.part10("1.3.6.1.4.1.9999.1").bytes())
                .text(0x00100020, "LO", "X").bytes();
        assertTrue(refused(bytes, ReadLimits.defaults()).getMessage().contains("private transfer syntaxes"));
    }

    @Test
    void refusesDuplicateTags() throws Exception {
        byte[] bytes = new Craft().raw(Craft.part10(EXPLICIT_LE).bytes())
                .text(0x00100020, "LO", "A").text(0x00100020, "LO", "B").bytes();
        assertTrue(refused(bytes, ReadLimits.defaults()).getMessage().contains("twice"));
    }

    @Test
    void refusesAnInvalidDateWithoutShowingIt() throws Exception {
        byte[] bytes = new Craft().raw(Craft.part10(EXPLICIT_LE).bytes())
                .text(0x00100030, "DA", "19701332").bytes();
        try (DicomFile f = DicomReader.read(file(bytes))) {
            DicomFormatException e = assertThrows(DicomFormatException.class, () -> f.dataSet().date("PatientBirthDate"));
            assertFalse(e.getMessage().contains("1970"), e.getMessage());
            assertTrue(e.getMessage().contains("(0010,0030)"), e.getMessage());
        }
    }

    @Test
    void recognisesDicomHeads() throws Exception {
        for (Path p : Dcmtk.fixtures()) {
            byte[] head = Arrays.copyOf(Files.readAllBytes(p), 512);
            assertTrue(DicomReader.looksLikeDicom(ByteBuffer.wrap(head)), p.toString());
        }
        assertFalse(DicomReader.looksLikeDicom(ByteBuffer.wrap("patient_id,age\nP1,42\n".getBytes(StandardCharsets.US_ASCII))));
        assertFalse(DicomReader.looksLikeDicom(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10})));
        assertFalse(DicomReader.looksLikeDicom(ByteBuffer.wrap(new byte[3])));
    }
}
