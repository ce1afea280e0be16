package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.dicom.codec.DataSet;
import eu.hbp.mip.anonymiser.dicom.codec.Dictionary;
import eu.hbp.mip.anonymiser.dicom.codec.Element;
import eu.hbp.mip.anonymiser.dicom.codec.Tag;
import eu.hbp.mip.anonymiser.dicom.codec.VR;
import eu.hbp.mip.anonymiser.dicom.codec.Value;
import eu.hbp.mip.anonymiser.dicom.profile.DicomProfile;
import eu.hbp.mip.anonymiser.dicom.profile.ElementAction;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The element lines of a dry run: one per element of a data set and of the items that the
 * profile descends into, with its path, tag, keyword, VR and value length, the action
 * {@link ElementEditor} would take and the rule that decides it. A value only with
 * {@code showValues}. Stateless.
 */
final class DicomExplain {

    private static final int MAX_SHOWN = 64;

    private DicomExplain() {
    }

    /**
     * @param profile the profile
     * @param ds the data set, as read (not yet edited)
     * @param prefix the path of the item, empty at the top
     * @param out receives the lines
     * @param showValues whether values may be shown
     */
    static void elements(DicomProfile profile, DataSet ds, String prefix, Consumer<String> out, boolean showValues) {
        for (Element e : ds.elements()) {
            int tag = e.tag();
            String path = prefix + name(tag);
            String head = path + " " + e.vr() + " length " + e.value().length();
            if (showValues && !(e.value() instanceof Value.Sequence) && e.vr().isString()) {
                head += " value '" + shown(ds.strings(tag)) + "'";
            }
            if (Tag.isGroupLength(tag)) {
                out.accept(head + ": remove (group length; the writer recomputes what it needs)");
                continue;
            }
            if (Tag.isPrivateCreator(tag) && !profile.namesExactly(tag)) {
                out.accept(head + ": private creator, kept while an element of its block is kept, else removed");
                continue;
            }
            ElementAction action = profile.decide(tag, e.vr());
            String rule = profile.rule(tag, e.vr());
            boolean sequence = e.value() instanceof Value.Sequence;
            String what = action(action, e, ds, profile);
            out.accept(head + ": " + what + " [" + rule + "]");
            boolean descends = sequence && (action.kind() == ElementAction.Kind.KEEP
                    || action.kind() == ElementAction.Kind.DUMMY || action.kind() == ElementAction.Kind.UID
                    || what.startsWith("uid"));
            if (descends) {
                List<DataSet> items = ds.items(tag);
                for (int i = 0; i < items.size(); i++) {
                    elements(profile, items.get(i), path + "[" + (i + 1) + "] > ", out, showValues);
                }
            }
        }
    }

    /** @return the action as {@link ElementEditor#apply} carries it out, with its parameters */
    private static String action(ElementAction action, Element e, DataSet ds, DicomProfile profile) {
        VR vr = e.vr();
        boolean sequence = e.value() instanceof Value.Sequence;
        switch (action.kind()) {
            case EMPTY:
                if (sequence && profile.ps315() && !action.byName()
                        && ElementEditor.referencesOnly(ds.items(e.tag()))) {
                    return "uid (a sequence of references: kept, its UIDs remapped)";
                }
                return "empty";
            case PSEUDONYMISE:
                return !vr.isString() || vr == VR.UI ? "remove (pseudonymise takes text only)"
                        : "pseudonymise, domain " + action.domain();
            case UID:
                if (sequence) {
                    return "uid (items remapped)";
                }
                return vr == VR.UI ? "uid remap (keyed; " + ElementEditor.STANDARD_UID_ROOT + "* kept)"
                        : "remove (uid takes VR UI only)";
            case DATE:
                if (vr != VR.DA && vr != VR.DT && vr != VR.TM) {
                    return "remove (date takes DA, DT or TM only)";
                }
                if (vr == VR.TM) {
                    return action.shift() ? "keep (a time of day is not shifted)" : "empty (a time cannot be reduced)";
                }
                return action.shift() ? "date shift by the patient's day shift"
                        : "date reduction to the " + action.reduce().name().toLowerCase(Locale.ROOT);
            case REPLACE:
                return vr.isString() ? "replace with '" + action.value() + "'" : "remove (replace takes text only)";
            case KEEP:
                return sequence ? "keep (items de-identified)" : "keep";
            default:
                return action.kind().label();
        }
    }

    static String name(int tag) {
        String keyword = Dictionary.standard().keywordOf(tag);
        return (keyword.isEmpty() ? "" : keyword + " ") + Tag.toString(tag);
    }

    private static String shown(List<String> values) {
        StringBuilder sb = new StringBuilder();
        for (char c : String.join("\\", values).toCharArray()) {
            sb.append(c >= 0x20 && c != 0x7F ? c : '?');
        }
        return sb.length() <= MAX_SHOWN ? sb.toString() : sb.substring(0, MAX_SHOWN) + "...";
    }
}
