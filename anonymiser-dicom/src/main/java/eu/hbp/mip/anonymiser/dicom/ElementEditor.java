package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.core.dates.DateReduction;
import eu.hbp.mip.anonymiser.dicom.codec.DataSet;
import eu.hbp.mip.anonymiser.dicom.codec.Element;
import eu.hbp.mip.anonymiser.dicom.codec.Tag;
import eu.hbp.mip.anonymiser.dicom.codec.VR;
import eu.hbp.mip.anonymiser.dicom.codec.Value;
import eu.hbp.mip.anonymiser.dicom.profile.DicomProfile;
import eu.hbp.mip.anonymiser.dicom.profile.ElementAction;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies a {@link DicomProfile} to the elements of one data set and of every nested item.
 * One instance per file; not thread-safe. Never logs or reports a value.
 */
final class ElementEditor {

    /** The root of the UIDs the standard defines (SOP classes, transfer syntaxes...): never remapped. */
    static final String STANDARD_UID_ROOT = "1.2.840.10008.";

    /** A dummy text value (PS3.15 D) for text VRs. */
    static final String DUMMY_TEXT = "ANONYMOUS";

    private final DicomProfile profile;
    private final PseudonymStore store;
    private final String patientId;
    private final Map<String, Long> counts = new TreeMap<>();

    /**
     * @param profile the profile
     * @param store the pseudonym store
     * @param patientId the original PatientID, for per-patient date shifts; null if absent
     */
    ElementEditor(DicomProfile profile, PseudonymStore store, String patientId) {
        this.profile = profile;
        this.store = store;
        this.patientId = patientId;
    }

    /** @return how many elements each action touched, by action label */
    Map<String, Long> counts() {
        return counts;
    }

    /**
     * Edits a data set in place, then its items, iteratively (the file meta group is not part of
     * the data set: the codec keeps it apart and rewrites it).
     *
     * @param top the data set
     */
    void apply(DataSet top) {
        ArrayList<DataSet> todo = new ArrayList<>();
        todo.add(top);
        while (!todo.isEmpty()) {
            DataSet ds = todo.remove(todo.size() - 1);
            List<Element> creators = new ArrayList<>();
            for (Element e : ds.elements()) {
                int tag = e.tag();
                if (Tag.isPrivateCreator(tag) && !profile.namesExactly(tag)) {
                    creators.add(e);
                    continue;
                }
                if (Tag.isGroupLength(tag)) {
                    ds.remove(tag);
                    continue;
                }
                ElementAction action = profile.decide(tag, e.vr());
                edit(ds, e, action, todo);
            }
            for (Element creator : creators) {
                int block = Tag.element(creator.tag()) << 8;
                int groupBase = creator.tag() & 0xFFFF0000;
                boolean used = false;
                for (Element e : ds.elements()) {
                    int el = Tag.element(e.tag());
                    if ((e.tag() & 0xFFFF0000) == groupBase && el >= block && el <= (block | 0xFF)) {
                        used = true;
                        break;
                    }
                }
                if (!used) {
                    ds.remove(creator.tag());
                    count("remove");
                } else {
                    count("keep");
                }
            }
        }
    }

    private void edit(DataSet ds, Element e, ElementAction action, List<DataSet> todo) {
        int tag = e.tag();
        VR vr = e.vr();
        boolean sequence = e.value() instanceof Value.Sequence;
        switch (action.kind()) {
            case KEEP -> {
                if (sequence) {
                    todo.addAll(ds.items(tag));
                }
            }
            case REMOVE -> ds.remove(tag);
            case EMPTY -> {
                if (sequence && profile.ps315() && !action.byName() && referencesOnly(ds.items(tag))) {
                    // the table's X/Z on a sequence of references (ReferencedStudySequence): kept with
                    // its UIDs remapped, valid whatever its Type, where 0 items would not be for Type 3
                    todo.addAll(ds.items(tag));
                    count("uid");
                    return;
                }
                if (sequence || vr == VR.SQ) {
                    ds.put(new Element(tag, VR.SQ, new Value.Sequence(new ArrayList<>(), false)));
                } else {
                    ds.put(new Element(tag, vr, new Value.Bytes(new byte[0])));
                }
            }
            case DUMMY -> {
                if (sequence) {
                    todo.addAll(ds.items(tag));
                } else {
                    dummy(ds, e);
                }
            }
            case PSEUDONYMISE -> {
                if (!vr.isString() || vr == VR.UI) {
                    ds.remove(tag);
                    count("remove");
                    return;
                }
                List<String> values = ds.strings(tag);
                List<String> out = new ArrayList<>();
                for (String v : values) {
                    out.add(v.isEmpty() ? v : fit(store.pseudonym(action.domain(), v), vr));
                }
                put(ds, tag, vr, out);
            }
            case UID -> {
                if (sequence) {
                    todo.addAll(ds.items(tag));
                } else if (vr == VR.UI) {
                    List<String> out = new ArrayList<>();
                    for (String v : ds.strings(tag)) {
                        out.add(v.isEmpty() || v.startsWith(STANDARD_UID_ROOT) ? v : store.uid(v));
                    }
                    put(ds, tag, vr, out);
                } else {
                    ds.remove(tag);
                    count("remove");
                    return;
                }
            }
            case DATE -> date(ds, e, action);
            case REPLACE -> {
                if (vr.isString()) {
                    ds.putString(tag, vr, action.value());
                } else {
                    ds.remove(tag);
                    count("remove");
                    return;
                }
            }
        }
        count(action.kind().label());
    }

    /**
     * Whether a sequence has items and holds nothing but references: UIDs and sequences of
     * references, at most 4 levels deep.
     */
    static boolean referencesOnly(List<DataSet> items) {
        return !items.isEmpty() && referencesOnly(items, 0);
    }

    private static boolean referencesOnly(List<DataSet> items, int depth) {
        if (depth > 4) {
            return false;
        }
        for (DataSet item : items) {
            for (Element e : item.elements()) {
                boolean ok = e.vr() == VR.UI || Tag.isGroupLength(e.tag())
                        || (e.value() instanceof Value.Sequence s && referencesOnly(s.items(), depth + 1));
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    private void count(String label) {
        counts.merge(label, 1L, Long::sum);
    }

    private static void put(DataSet ds, int tag, VR vr, List<String> values) {
        ds.putString(tag, vr, values.toArray(String[]::new));
    }

    private void dummy(DataSet ds, Element e) {
        int tag = e.tag();
        VR vr = e.vr();
        String text = switch (vr) {
            case AE, CS, LO, SH, ST, LT, UT, UC, PN -> DUMMY_TEXT;
            case AS -> "000Y";
            case DA -> "19000101";
            case DT -> "19000101000000";
            case TM -> "000000";
            case DS, IS -> "0";
            case UR -> "urn:anonymous";
            case UI -> {
                List<String> v = ds.strings(tag);
                yield store.uid(v.isEmpty() ? "dummy" + Tag.toString(tag) : v.get(0));
            }
            default -> null;
        };
        if (text != null) {
            ds.putString(tag, vr, text);
            return;
        }
        long length = e.value().length();
        int n = (int) Math.max(vr.unitSize(), Math.min(Math.max(length, 0), 64 * 1024));
        n = n - n % Math.max(1, vr.unitSize());
        ds.putBytes(tag, vr, new byte[Math.max(n, 2)]);
    }

    private void date(DataSet ds, Element e, ElementAction action) {
        int tag = e.tag();
        VR vr = e.vr();
        if (vr != VR.DA && vr != VR.DT && vr != VR.TM) {
            ds.remove(tag);
            return;
        }
        int shift = 0;
        if (action.shift()) {
            if (patientId == null || patientId.isEmpty()) {
                ds.put(new Element(tag, vr, new Value.Bytes(new byte[0])));
                return;
            }
            shift = store.dayShift(PseudonymStore.PATIENT, patientId);
        }
        if (vr == VR.TM) {
            if (!action.shift()) {
                ds.put(new Element(tag, vr, new Value.Bytes(new byte[0])));
            }
            return;
        }
        List<String> out = new ArrayList<>();
        for (String v : ds.strings(tag)) {
            String r = v.isEmpty() ? v : dateValue(v, vr, action.reduce(), shift);
            if (r == null) {
                ds.put(new Element(tag, vr, new Value.Bytes(new byte[0])));
                count("date-unparsable");
                return;
            }
            out.add(r);
        }
        put(ds, tag, vr, out);
    }

    /**
     * Reduces or shifts one DA or DT value; null when it is not a date this can read. A shifted DT
     * keeps its form: the time, the fraction of a second and the time zone suffix after the date
     * are kept as written ({@code 20200102103000.123+0100} shifted by 5 days is
     * {@code 20200107103000.123+0100}); a DA may be in the old {@code YYYY.MM.DD} form.
     */
    static String dateValue(String value, VR vr, DateReduction reduce, int shift) {
        String v = vr == VR.DA ? value.replace(".", "") : value;
        int digits = 0;
        while (digits < v.length() && Character.isDigit(v.charAt(digits))) {
            digits++;
        }
        if (vr == VR.DA && digits != 8 || v.length() < 4) {
            return null;
        }
        if (digits < 8) {
            // a DT of year or year-month precision
            if (reduce == DateReduction.YEAR || (reduce == DateReduction.MONTH && digits <= 6 && (digits == 4 || digits == 6))) {
                return reduce == DateReduction.YEAR ? v.substring(0, 4) : v.substring(0, digits);
            }
            return null;
        }
        LocalDate date;
        try {
            date = LocalDate.of(Integer.parseInt(v.substring(0, 4)), Integer.parseInt(v.substring(4, 6)),
                    Integer.parseInt(v.substring(6, 8)));
        } catch (DateTimeException | NumberFormatException ex) {
            return null;
        }
        if (reduce != null) {
            LocalDate r = reduce.apply(date);
            return format(r);
        }
        LocalDate s = DateReduction.shift(date, shift);
        return format(s) + (vr == VR.DT ? v.substring(8) : "");
    }

    private static String format(LocalDate d) {
        return String.format("%04d%02d%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
    }

    /** Fits a pseudonym to the VR's maximum length, keeping its last characters. */
    static String fit(String pseudonym, VR vr) {
        int max = switch (vr) {
            case AE, CS, SH, DS -> 16;
            case AS -> 4;
            case IS -> 12;
            case LO, PN -> 64;
            default -> Integer.MAX_VALUE;
        };
        return pseudonym.length() <= max ? pseudonym : pseudonym.substring(pseudonym.length() - max);
    }
}
