package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.dicom.codec.DataSet;
import eu.hbp.mip.anonymiser.dicom.codec.DicomFile;
import eu.hbp.mip.anonymiser.dicom.codec.VR;
import eu.hbp.mip.anonymiser.dicom.profile.DicomProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kept UID is remapped (but class and standard UIDs), and ps3.15-basic outputs stay valid IODs. */
class KeptUidTests {

    static final String PALETTE_UID = "1.2.826.0.1.3680043.2.1125.77.90";
    static final String LARGE_PALETTE_UID = "1.2.826.0.1.3680043.2.1125.77.91";
    static final String OTHER_STUDY_SOP = "1.2.826.0.1.3680043.2.1125.77.92";

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

    /** A valid overlay (with its data), a referenced study and two palette UIDs on top of the corpus image. */
    private Path image() {
        StringBuilder overlay = new StringBuilder("(6000,3000) OW ");
        for (int i = 0; i < 64 * 64 / 16; i++) {
            overlay.append(i == 0 ? "" : "\\").append(i % 2 == 0 ? "0000" : "ffff");
        }
        return Corpus.instance(work.resolve("in"), "a", 1, Map.of(
                "(6000,3000)", overlay.toString(),
                "(6000,0022)", "",
                "(6000,1500)", "",
                "(6000,4000)", "",
                "(0028,1199)", "(0028,1199) UI [" + PALETTE_UID + "]",
                "(0028,1214)", "(0028,1214) UI [" + LARGE_PALETTE_UID + "]",
                "(0008,1110)", "(0008,1110) SQ (Sequence with undefined length)\n(fffe,e000) na (Item with undefined length)\n"
                        + "(0008,1150) UI [1.2.840.10008.3.1.2.3.1]\n(0008,1155) UI [" + OTHER_STUDY_SOP + "]\n"
                        + "(fffe,e00d) na (ItemDelimitationItem)\n(fffe,e0dd) na (SequenceDelimitationItem)"), "+te");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mip-default", "ps3.15-basic"})
    void paletteUidsAreRemappedEvenWhenARangeRuleKeepsTheirGroup(String profile) throws Exception {
        Outcome.Anonymised a = OneFile.anonymised(work, profile, image());
        try (PseudonymStore s = Stores.sqlite(work); DicomFile f = OneFile.read(work, a)) {
            assertEquals(s.uid(PALETTE_UID), f.dataSet().string(0x00281199).orElseThrow());
            assertEquals(s.uid(LARGE_PALETTE_UID), f.dataSet().string(0x00281214).orElseThrow());
            assertEquals("1.2.840.10008.5.1.4.1.1.4", f.dataSet().string(0x00080016).orElseThrow(), "SOP class kept");
        }
        String dump = Tools.dcmdump(OneFile.output(work, a));
        assertFalse(dump.contains(PALETTE_UID) || dump.contains(LARGE_PALETTE_UID), profile);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mip-default", "ps3.15-basic"})
    void outputsGetNoDciodvfyErrorTheInputDidNotHave(String profile) {
        Path in = image();
        List<String> before = Tools.dciodvfyErrors(in);
        Path out = OneFile.output(work, OneFile.anonymised(work, profile, in));
        List<String> after = new ArrayList<>(Tools.dciodvfyErrors(out));
        after.removeAll(before);
        assertEquals(List.of(), after, profile + ": new dciodvfy errors");
        assertFalse(Pattern.compile("\\(60[0-1][0-9a-e],").matcher(Tools.dcmdump(out)).find(),
                profile + ": the overlay leaves as a whole group");
    }

    @Test
    void ps315KeepsAReferencedStudySequenceWithItsUidsRemappedRatherThanEmptyingIt() throws Exception {
        Outcome.Anonymised a = OneFile.anonymised(work, "ps3.15-basic", image());
        try (PseudonymStore s = Stores.sqlite(work); DicomFile f = OneFile.read(work, a)) {
            List<DataSet> items = f.dataSet().items(0x00081110);
            assertEquals(1, items.size());
            assertEquals(s.uid(OTHER_STUDY_SOP), items.get(0).string(0x00081155).orElseThrow());
            assertEquals("1.2.840.10008.3.1.2.3.1", items.get(0).string(0x00081150).orElseThrow());
        }
    }

    @Test
    void aSequenceTheTableEmptiesThatHoldsMoreThanReferencesIsEmptied() {
        DataSet ds = new DataSet(false);
        DataSet item = ds.addItem(0x00400555);   // AcquisitionContextSequence: X/Z
        item.putString(0x0040A040, VR.CS, "TEXT");
        item.putString(0x0040A160, VR.UT, "context");
        Elements.editor(Elements.shipped("ps3.15-basic"), store).apply(ds);
        assertTrue(ds.contains(0x00400555));
        assertEquals(0, ds.items(0x00400555).size());
    }

    @Test
    void anExactKeepRuleOnAUidRemapsItAndClaimsNoRetainUidsOption() {
        DicomProfile p = Elements.profile("remove-unspecified: true\nremove-private-groups: true\nrules:\n"
                + "  - {tags: [StudyInstanceUID, SOPClassUID], action: keep}\n");
        DataSet ds = new DataSet(false);
        ds.putString(0x0020000D, VR.UI, "1.2.3.44");
        ds.putString(0x00080016, VR.UI, "1.3.12.2.1107.5.9.1");   // a private SOP class: a class, kept
        Elements.editor(p, store).apply(ds);
        assertEquals(store.uid("1.2.3.44"), ds.string(0x0020000D).orElseThrow());
        assertEquals("1.3.12.2.1107.5.9.1", ds.string(0x00080016).orElseThrow());
        assertFalse(p.impliedOptions(Elements.TABLE).contains(eu.hbp.mip.anonymiser.dicom.profile.Ps315Option.RETAIN_UIDS));
    }

    @Test
    void theRetainUidsOptionKeepsTheOriginalUids() {
        DicomProfile p = Elements.profile("base: ps3.15-basic\nremove-private-groups: true\noptions: [retain-uids]\n");
        DataSet ds = new DataSet(false);
        ds.putString(0x0020000D, VR.UI, "1.2.3.44");
        ds.putString(0x00281199, VR.UI, "1.2.3.45");
        Elements.editor(p, store).apply(ds);
        assertEquals("1.2.3.44", ds.string(0x0020000D).orElseThrow());
        assertEquals("1.2.3.45", ds.string(0x00281199).orElseThrow());
    }

    @Test
    void standardUidsAreNeverRemapped() {
        DataSet ds = new DataSet(false);
        ds.putString(0x00081150, VR.UI, "1.2.840.10008.5.1.4.1.1.4");
        ds.putString(0x00189810, VR.UI, "1.2.840.10008.1.2.1");
        Elements.editor(Elements.profile("rules:\n  - {tags: ['(0018,xxxx)'], action: uid}\n"), store).apply(ds);
        assertEquals("1.2.840.10008.5.1.4.1.1.4", ds.string(0x00081150).orElseThrow());
        assertEquals("1.2.840.10008.1.2.1", ds.string(0x00189810).orElseThrow());
    }
}
