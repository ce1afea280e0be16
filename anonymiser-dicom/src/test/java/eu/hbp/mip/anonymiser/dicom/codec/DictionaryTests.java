package eu.hbp.mip.anonymiser.dicom.codec;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generated dictionary: lookups, and the committed table against the standard's JSON. */
class DictionaryTests {

    private final Dictionary dict = Dictionary.standard();

    @Test
    void committedTableMatchesTheStandardJson() throws Exception {
        String shared = System.getProperty("mip.shared");
        Path json = shared == null ? null : Path.of(shared, "dicom-standard", "attributes.json");
        if (json == null || !Files.isRegularFile(json)) {
            System.out.println("DictionaryTests: shared folder absent (mip.shared=" + shared
                    + "); the comparison of dictionary.tsv with attributes.json is skipped");
            return;
        }
        String committed;
        try (InputStream in = Dictionary.class.getResourceAsStream("dictionary.tsv")) {
            committed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(DictionaryGenerator.render(json), committed,
                "dictionary.tsv is stale: regenerate it with DictionaryGenerator (see docs/dicom-codec.md)");
    }

    @Test
    void looksUpTagsAndKeywords() {
        assertEquals(0x00100020, dict.tagOf("PatientID").getAsInt());
        assertEquals(VR.LO, dict.vrOf(0x00100020));
        assertEquals("PatientName", dict.keywordOf(0x00100010));
        assertEquals(VR.SQ, dict.vrOf(0x00081110));
        assertTrue(dict.tagOf("NoSuchKeyword").isEmpty());
        assertTrue(dict.size() > 5000);
    }

    @Test
    void resolvesRepeatingGroupsButNotPrivateOnes() {
        assertEquals("OverlayData", dict.keywordOf(0x60023000));
        assertEquals(VR.OW, dict.vrOf(0x601E3000));
        assertEquals("CurveData", dict.keywordOf(0x50103000));
        assertEquals(VR.UN, dict.vrOf(0x60013000), "odd group 6001 is private");
        assertEquals(0x60003000, dict.tagOf("OverlayData").getAsInt());
    }

    @Test
    void givesPrivateCreatorsLoAndOtherUnknownTagsUn() {
        assertEquals(VR.LO, dict.vrOf(0x00290010));
        assertEquals(VR.UN, dict.vrOf(0x00291001));
        assertEquals(VR.UL, dict.vrOf(0x00180000), "group length");
        assertEquals("", dict.keywordOf(0x00291001));
    }

    @Test
    void keepsEveryVrOfMultiVrEntries() {
        Dictionary.Entry pixel = dict.entry(Tag.PIXEL_DATA).orElseThrow();
        assertEquals(List.of(VR.OB, VR.OW), pixel.vrs());
        assertEquals(VR.OW, pixel.vr(), "implicit VR pixel data reads as OW");
        Dictionary.Entry zero = dict.entry(dict.tagOf("ZeroVelocityPixelValue").getAsInt()).orElseThrow();
        assertEquals(List.of(VR.US, VR.SS), zero.vrs());
        assertEquals(VR.US, zero.vr());
    }

    @Test
    void implementationUidIsDerivedFromTheProjectName() {
        UUID uuid = UUID.nameUUIDFromBytes("eu.hbp.mip.anonymiser".getBytes(StandardCharsets.UTF_8));
        java.math.BigInteger n = new java.math.BigInteger(1, java.nio.ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array());
        assertEquals("2.25." + n, DicomWriter.IMPLEMENTATION_CLASS_UID);
        assertTrue(DicomWriter.IMPLEMENTATION_CLASS_UID.length() <= 64);
    }

    @Test
    void formatsAndParsesTags() {
        assertEquals("(7FE0,0010)", Tag.toString(Tag.PIXEL_DATA));
        assertEquals(Tag.PIXEL_DATA, Tag.parse("(7fe0,0010)"));
        assertEquals(0x00291001, Tag.parse("00291001"));
        assertTrue(Tag.compare(Tag.PIXEL_DATA, Tag.ITEM) < 0, "unsigned order");
        assertEquals(0x00290010, Tag.creatorOf(0x00291001));
        assertEquals(-1, Tag.creatorOf(0x00100010));
    }
}
