package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.dicom.codec.DataSet;
import eu.hbp.mip.anonymiser.dicom.codec.Dictionary;
import eu.hbp.mip.anonymiser.dicom.codec.Element;
import eu.hbp.mip.anonymiser.dicom.codec.Tag;
import eu.hbp.mip.anonymiser.dicom.codec.VR;
import eu.hbp.mip.anonymiser.dicom.codec.Value;
import eu.hbp.mip.anonymiser.dicom.profile.DicomProfile;
import eu.hbp.mip.anonymiser.dicom.profile.Ps315Code;
import eu.hbp.mip.anonymiser.dicom.profile.Ps315Option;
import eu.hbp.mip.anonymiser.dicom.profile.Ps315Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PS3.15 table applied exactly: one test per action code, and a check generated from every row. */
class Ps315ActionTests {

    @org.junit.jupiter.api.io.TempDir
    static java.nio.file.Path dir;
    private static PseudonymStore store;

    @org.junit.jupiter.api.BeforeAll
    static void open() {
        store = Stores.sqlite(dir);
    }

    @org.junit.jupiter.api.AfterAll
    static void close() {
        store.close();
    }

    private static DicomProfile tableOnly(Set<Ps315Option> options) {
        StringBuilder yaml = new StringBuilder("base: ps3.15-basic\nremove-private-groups: true\noptions: [");
        yaml.append(String.join(", ", options.stream().map(Ps315Option::option).toList())).append("]\n");
        return Elements.profile(yaml.toString());
    }

    private DataSet apply(int tag, VR vr, Set<Ps315Option> options) {
        DataSet ds = new DataSet(false);
        Elements.put(ds, tag, vr);
        Elements.editor(tableOnly(options), store).apply(ds);
        return ds;
    }

    private static byte[] bytes(DataSet ds, int tag) {
        return ((Value.Bytes) ds.get(tag).orElseThrow().value()).data();
    }

    @Test
    void codeDReplacesWithADummyOfTheVr() {
        DataSet ds = apply(0x00080106, VR.DT, Set.of());   // Context Group Version: D
        assertEquals("19000101000000", ds.string(0x00080106).orElseThrow());
    }

    @Test
    void codeZEmptiesTheValue() {
        DataSet ds = apply(0x00100010, VR.PN, Set.of());   // Patient's Name: Z
        assertEquals(0, bytes(ds, 0x00100010).length);
    }

    @Test
    void codeXRemovesTheElement() {
        DataSet ds = apply(0x00101040, VR.LO, Set.of());   // Patient's Address: X
        assertFalse(ds.contains(0x00101040));
    }

    @Test
    void codeKKeepsTheValue() {
        DataSet ds = apply(0x00101010, VR.AS, EnumSet.of(Ps315Option.RETAIN_PATIENT_CHARACTERISTICS));
        assertEquals("030Y", ds.string(0x00101010).orElseThrow());
    }

    @Test
    void codeCCleansDescriptorsAndShiftsModifiedDates() {
        DataSet ds = apply(0x0008103E, VR.LO, EnumSet.of(Ps315Option.CLEAN_DESCRIPTORS));
        assertEquals(0, bytes(ds, 0x0008103E).length, "a descriptor cannot be proven clean: emptied");
        DataSet dates = apply(0x00080022, VR.DA, EnumSet.of(Ps315Option.RETAIN_LONGITUDINAL_MODIFIED_DATES));
        int shift = store.dayShift(PseudonymStore.PATIENT, Elements.PATIENT);
        assertEquals(java.time.LocalDate.of(2020, 1, 2).plusDays(shift).format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE),
                dates.string(0x00080022).orElseThrow());
    }

    @Test
    void codeURemapsTheUidConsistently() {
        DataSet ds = apply(0x00080018, VR.UI, Set.of());
        assertEquals(store.uid("1.2.3.4.5"), ds.string(0x00080018).orElseThrow());
    }

    @Test
    void codeXZKeepsTheElementEmpty() {
        DataSet ds = apply(0x00080022, VR.DA, Set.of());   // Acquisition Date: X/Z
        assertEquals(0, bytes(ds, 0x00080022).length);
    }

    @Test
    void codeXDWritesADummy() {
        DataSet ds = apply(0x00080012, VR.DA, Set.of());   // Instance Creation Date: X/D
        assertEquals("19000101", ds.string(0x00080012).orElseThrow());
    }

    @Test
    void codeZDWritesADummy() {
        DataSet ds = apply(0x00080023, VR.DA, Set.of());   // Content Date: Z/D
        assertEquals("19000101", ds.string(0x00080023).orElseThrow());
    }

    @Test
    void codeXZDWritesADummy() {
        DataSet ds = apply(0x00080080, VR.LO, Set.of());   // Institution Name: X/Z/D
        assertEquals(ElementEditor.DUMMY_TEXT, ds.string(0x00080080).orElseThrow());
    }

    @Test
    void codeXZUKeepsTheSequenceAndRemapsItsUids() {
        DataSet ds = new DataSet(false);
        DataSet item = ds.addItem(0x00081140);               // Referenced Image Sequence: X/Z/U*
        item.putString(0x00081150, VR.UI, "1.2.840.10008.5.1.4.1.1.4");
        item.putString(0x00081155, VR.UI, "1.2.3.99");
        Elements.editor(tableOnly(Set.of()), store).apply(ds);
        DataSet out = ds.items(0x00081140).get(0);
        assertEquals(store.uid("1.2.3.99"), out.string(0x00081155).orElseThrow());
        assertEquals("1.2.840.10008.5.1.4.1.1.4", out.string(0x00081150).orElseThrow(), "SOP Class UIDs are not identifying");
    }

    @Test
    void privateElementsAndTheirCreatorsAreRemoved() {
        DataSet ds = new DataSet(false);
        ds.putString(0x00090010, VR.LO, "ACME");
        ds.putString(0x00091001, VR.LO, "secret");
        Elements.editor(tableOnly(Set.of()), store).apply(ds);
        assertTrue(ds.isEmpty());
    }

    /** Every row of Table E.1-1, under the basic profile and under each option alone. */
    @ParameterizedTest
    @EnumSource(Choice.class)
    void everyRowOfTheTableIsAppliedAsItsCodeSays(Choice choice) {
        Set<Ps315Option> options = choice.option == null ? Set.of() : EnumSet.of(choice.option);
        DicomProfile profile = tableOnly(options);
        int checked = 0;
        for (Ps315Table.Entry row : Elements.TABLE.entries()) {
            if (row.pattern().equals("private")) {
                continue;
            }
            int tag = Integer.parseUnsignedInt(row.pattern().replace('x', '0'), 16);
            if (Tag.group(tag) <= 0x0002) {
                continue;   // command and file meta elements are not in a data set
            }
            Optional<Dictionary.Entry> dict = Dictionary.standard().entry(tag);
            if (dict.isEmpty()) {
                continue;
            }
            VR vr = dict.get().vr();
            DataSet ds = new DataSet(false);
            Elements.put(ds, tag, vr);
            new ElementEditor(profile, store, Elements.PATIENT).apply(ds);
            check(row, row.resolve(options), vr, ds, tag);
            checked++;
        }
        assertTrue(checked > 550, "checked " + checked + " rows");
    }

    private void check(Ps315Table.Entry row, Ps315Code code, VR vr, DataSet ds, int tag) {
        String where = row.name() + " " + Tag.toString(tag) + " " + vr + " code " + code.text();
        Optional<Element> e = ds.get(tag);
        switch (code.action()) {
            case REMOVE -> assertFalse(e.isPresent(), where);
            case EMPTY -> assertTrue(e.isPresent() && (e.get().value().length() == 0
                    || (vr == VR.SQ && ds.items(tag).isEmpty())), where);
            case DUMMY -> {
                assertTrue(e.isPresent(), where);
                if (vr != VR.SQ && vr.isString()) {
                    assertNotEquals(Elements.text(vr), ds.string(tag).orElse(""), where);
                    assertFalse(ds.string(tag).orElse("").isEmpty(), where);
                }
            }
            case UID -> {
                assertTrue(e.isPresent(), where);
                if (vr == VR.UI) {
                    assertEquals(store.uid(Elements.text(vr)), ds.string(tag).orElseThrow(), where);
                }
            }
            case KEEP -> {
                assertTrue(e.isPresent(), where);
                boolean freeText = vr == VR.PN || vr == VR.ST || vr == VR.LT || vr == VR.UT || vr == VR.UC;
                boolean graphicsText = (DicomProfile.isCurve(Tag.group(tag)) || DicomProfile.isOverlay(Tag.group(tag)))
                        && vr.kind() == VR.Kind.TEXT;
                if (vr.isString() && !freeText && !graphicsText) {
                    assertEquals(Elements.text(vr), ds.string(tag).orElseThrow(), where);
                } else if (freeText) {
                    assertEquals(0, e.get().value().length(), where + ": free text is emptied by the safety net");
                }
            }
            case CLEAN -> {
                if (DicomProfile.isCurve(Tag.group(tag)) || DicomProfile.isOverlay(Tag.group(tag))) {
                    assertFalse(e.isPresent(), where + ": graphics are cleaned by removing the whole group");
                } else if (vr == VR.DA) {
                    assertNotEquals(Elements.text(vr), ds.string(tag).orElse(""), where);
                    assertFalse(ds.string(tag).orElse("").isEmpty(), where);
                } else if (vr == VR.UI) {
                    assertEquals(store.uid(Elements.text(vr)), ds.string(tag).orElseThrow(), where);
                } else if (vr.kind() == VR.Kind.TEXT) {
                    assertTrue(e.isPresent(), where);
                    assertNotEquals(Elements.text(vr), ds.string(tag).orElse(""), where);
                } else if (vr == VR.SQ || vr == VR.TM) {
                    assertTrue(e.isPresent(), where + ": a cleaned sequence or time is kept");
                } else if (!vr.isString()) {
                    assertFalse(e.isPresent(), where + ": a binary value that cannot be cleaned is removed");
                }
            }
        }
    }

    /** The basic profile alone, or with one option. */
    enum Choice {
        BASIC(null),
        RETAIN_SAFE_PRIVATE(Ps315Option.RETAIN_SAFE_PRIVATE),
        RETAIN_UIDS(Ps315Option.RETAIN_UIDS),
        RETAIN_DEVICE_IDENTITY(Ps315Option.RETAIN_DEVICE_IDENTITY),
        RETAIN_INSTITUTION_IDENTITY(Ps315Option.RETAIN_INSTITUTION_IDENTITY),
        RETAIN_PATIENT_CHARACTERISTICS(Ps315Option.RETAIN_PATIENT_CHARACTERISTICS),
        RETAIN_LONGITUDINAL_FULL_DATES(Ps315Option.RETAIN_LONGITUDINAL_FULL_DATES),
        RETAIN_LONGITUDINAL_MODIFIED_DATES(Ps315Option.RETAIN_LONGITUDINAL_MODIFIED_DATES),
        CLEAN_DESCRIPTORS(Ps315Option.CLEAN_DESCRIPTORS),
        CLEAN_STRUCTURED_CONTENT(Ps315Option.CLEAN_STRUCTURED_CONTENT),
        CLEAN_GRAPHICS(Ps315Option.CLEAN_GRAPHICS);

        final Ps315Option option;

        Choice(Ps315Option option) {
            this.option = option;
        }
    }
}
