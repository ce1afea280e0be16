package eu.hbp.mip.anonymiser.dicom.profile;

import eu.hbp.mip.anonymiser.api.ProfileException;
import eu.hbp.mip.anonymiser.core.dates.DateReduction;
import eu.hbp.mip.anonymiser.dicom.codec.Dictionary;
import eu.hbp.mip.anonymiser.dicom.codec.Tag;
import eu.hbp.mip.anonymiser.dicom.codec.VR;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A compiled DICOM tag profile: decides, for each data element, the {@link ElementAction}
 * to apply. Immutable and thread-safe.
 *
 * <p>Order of decision for an element (PS3.15 table only with {@code base: ps3.15-basic}):
 * <ol>
 *   <li>a rule naming its exact tag or keyword;</li>
 *   <li>the first rule (in file order) whose range matches it;</li>
 *   <li>a private element (odd group): removed (private elements pass only by an exact rule;
 *       a kept element keeps its private creator);</li>
 *   <li>a curve (50xx) or overlay (60xx) element, when the profile removes curves or overlays, or
 *       with a PS3.15 base (the table removes the overlay's data, so the whole group goes): removed;</li>
 *   <li>the PS3.15 table row that names it, under the selected options;</li>
 *   <li>{@code remove-unspecified}: removed;</li>
 *   <li>with a PS3.15 base, an element the table does not list but that is about the patient
 *       (group 0010) or names a person or a contact ({@link PersonAttributes}, from the
 *       dictionary's keywords and VR PN): removed;</li>
 *   <li>otherwise kept, except for the free-text safety net: an element kept without a rule
 *       naming it is emptied if its VR holds free text or names (PN, ST, LT, UT, UC), removed if it is
 *       text in a curve or overlay group, and emptied if it is a date (DA, DT) no table row names.</li>
 * </ol>
 * A UID (VR UI) that this order keeps is remapped all the same (action {@code uid}), whatever
 * kept it (an exact rule, a range such as {@code (0028,xxxx)}, or no rule), unless a selected
 * PS3.15 option retains it ({@code K}, such as {@code retain-uids}) or it is a class UID
 * ({@link #isClassUid}); UIDs of the form {@code 1.2.840.10008.*} are never remapped.
 */
public final class DicomProfile {

    /** The profile bases. */
    public static final String BASE_NONE = "none";
    /** The PS3.15 Basic Application Level Confidentiality Profile. */
    public static final String BASE_PS315 = "ps3.15-basic";

    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final Pattern TAG = Pattern.compile("\\(?([0-9a-fA-Fx]{4}),?([0-9a-fA-Fx]{4})\\)?");

    private record Range(String pattern, ElementAction action, String rule) {
    }

    /**
     * A UID a selected option retains ({@code K}): kept as is, unlike every other kept UID. Told
     * apart from other keep actions by identity ({@link #decide} compares with {@code ==}).
     */
    private static final ElementAction RETAINED_UID = new ElementAction(ElementAction.Kind.KEEP, null,
            null, false, null, false);

    /**
     * What the header-seeded free-text net does when a kept text value holds one of the file's
     * own patient values (profile key {@code free-text}).
     */
    public enum FreeText {
        /** Replace each hit with a marker (the default). */
        REPLACE,
        /** Reject the file ({@code dicom-phi-in-text}). */
        REJECT
    }

    private final String name;
    private final Ps315Table table;
    private final Set<Ps315Option> options;
    private final boolean removeUnspecified;
    private final boolean removePrivateGroups;
    private final boolean removeCurves;
    private final boolean removeOverlays;
    private final Set<String> admitImageTypes;
    private final boolean pixelBlanking;
    private final FreeText freeText;
    private final OcrPolicy ocr;
    private final List<PixelRule> pixelRules;
    private final Map<Integer, ElementAction> exact;
    private final Map<Integer, String> exactRules;
    private final List<Range> ranges;
    private final String where;

    private DicomProfile(String name, String where, Map<Integer, String> exactRules, Ps315Table table, Set<Ps315Option> options, boolean removeUnspecified,
                         boolean removePrivateGroups, boolean removeCurves, boolean removeOverlays,
                         Set<String> admitImageTypes, boolean pixelBlanking, FreeText freeText, OcrPolicy ocr,
                         List<PixelRule> pixelRules, Map<Integer, ElementAction> exact, List<Range> ranges) {
        this.name = name;
        this.where = where;
        this.exactRules = Map.copyOf(exactRules);
        this.table = table;
        this.options = Collections.unmodifiableSet(options.isEmpty() ? EnumSet.noneOf(Ps315Option.class)
                : EnumSet.copyOf(options));
        this.removeUnspecified = removeUnspecified;
        this.removePrivateGroups = removePrivateGroups;
        this.removeCurves = removeCurves;
        this.removeOverlays = removeOverlays;
        this.admitImageTypes = Set.copyOf(admitImageTypes);
        this.pixelBlanking = pixelBlanking;
        this.freeText = freeText;
        this.ocr = ocr;
        this.pixelRules = List.copyOf(pixelRules);
        this.exact = Map.copyOf(exact);
        this.ranges = List.copyOf(ranges);
    }

    /**
     * Checks and compiles a bound profile file.
     *
     * @param name the profile's name (its file name without {@code .yaml})
     * @param where the file, for error messages
     * @param file the bound file
     * @param table the PS3.15 table
     * @param pixelRules the pixel rules the file's {@code pixel.rules} name, already loaded
     * @return the profile
     * @throws ProfileException naming the file, the rule and the fix
     */
    public static DicomProfile compile(String name, String where, ProfileFile file, Ps315Table table,
                                       List<PixelRule> pixelRules) {
        return compile(name, where, file, table, pixelRules, List.of());
    }

    /**
     * As {@link #compile(String, String, ProfileFile, Ps315Table, List)}, knowing the line of
     * each rule in the file, for {@link #rule}.
     *
     * @param ruleLines the line of each rule, in order; empty when not known
     */
    public static DicomProfile compile(String name, String where, ProfileFile file, Ps315Table table,
                                       List<PixelRule> pixelRules, List<Integer> ruleLines) {
        String base = file.base() == null ? BASE_NONE : file.base();
        if (!base.equals(BASE_NONE) && !base.equals(BASE_PS315)) {
            throw error(where, "base '" + base + "' is unknown; expected '" + BASE_NONE + "' or '" + BASE_PS315 + "'");
        }
        Set<Ps315Option> options = EnumSet.noneOf(Ps315Option.class);
        for (String o : file.options() == null ? List.<String>of() : file.options()) {
            options.add(Ps315Option.byName(o).orElseThrow(() -> error(where, "option '" + o
                    + "' is not a PS3.15 option; expected one of " + optionNames())));
        }
        if (!options.isEmpty() && base.equals(BASE_NONE)) {
            throw error(where, "options need 'base: " + BASE_PS315 + "'");
        }
        Map<Integer, ElementAction> exact = new HashMap<>();
        Map<Integer, String> exactRules = new HashMap<>();
        Map<Integer, Integer> ruleOf = new HashMap<>();
        List<Range> ranges = new ArrayList<>();
        List<ProfileFile.Rule> rules = file.rules() == null ? List.of() : file.rules();
        for (int i = 0; i < rules.size(); i++) {
            ProfileFile.Rule rule = rules.get(i);
            String at = "rule #" + (i + 1);
            String written = " of profile " + where + (ruleLines.size() > i ? ":" + ruleLines.get(i) : "");
            if (rule == null || rule.tags() == null || rule.action() == null) {
                throw error(where, at + ": a rule needs 'tags' (a list) and 'action'");
            }
            ElementAction action = action(where, at, rule);
            if (rule.tags().isEmpty()) {
                throw error(where, at + ": 'tags' is empty; list keywords or tags such as (0010,0020)");
            }
            for (String t : rule.tags()) {
                OptionalInt tag = tagOf(where, at, t);
                if (tag.isPresent()) {
                    Integer before = ruleOf.putIfAbsent(tag.getAsInt(), i + 1);
                    if (before != null) {
                        throw error(where, at + ": " + t + " is already named by rule #" + before
                                + "; give each tag one rule");
                    }
                    exact.put(tag.getAsInt(), action.named());
                    exactRules.put(tag.getAsInt(), at + " (" + t.strip() + ": " + rule.action() + ")" + written);
                } else {
                    ranges.add(new Range(range(where, at, t), action,
                            at + " (" + t.strip() + ": " + rule.action() + ")" + written));
                }
            }
        }
        List<String> admit = file.admitImageTypes() == null ? List.of("ORIGINAL\\PRIMARY") : file.admitImageTypes();
        boolean blank = file.pixel() != null && file.pixel().blank();
        FreeText freeText;
        String ft = file.freeText() == null ? "replace" : file.freeText().toLowerCase(Locale.ROOT);
        switch (ft) {
            case "replace" -> freeText = FreeText.REPLACE;
            case "reject" -> freeText = FreeText.REJECT;
            default -> throw error(where, "free-text '" + file.freeText() + "' is unknown; expected replace"
                    + " (hits in kept text are replaced by a marker) or reject (the file is quarantined)");
        }
        return new DicomProfile(name, where, exactRules, base.equals(BASE_PS315) ? table : null, options,
                Boolean.TRUE.equals(file.removeUnspecified()), Boolean.TRUE.equals(file.removePrivateGroups()),
                Boolean.TRUE.equals(file.removeCurves()), Boolean.TRUE.equals(file.removeOverlays()),
                new LinkedHashSet<>(admit), blank, freeText, OcrPolicy.of(file.ocr()), pixelRules, exact, ranges);
    }

    private static ElementAction action(String where, String at, ProfileFile.Rule rule) {
        String a = rule.action().toLowerCase(Locale.ROOT);
        ElementAction.Kind kind = switch (a) {
            case "keep" -> ElementAction.Kind.KEEP;
            case "remove" -> ElementAction.Kind.REMOVE;
            case "empty" -> ElementAction.Kind.EMPTY;
            case "dummy" -> ElementAction.Kind.DUMMY;
            case "pseudonymise", "pseudonymize" -> ElementAction.Kind.PSEUDONYMISE;
            case "uid" -> ElementAction.Kind.UID;
            case "date" -> ElementAction.Kind.DATE;
            case "replace" -> ElementAction.Kind.REPLACE;
            default -> throw error(where, at + ": action '" + rule.action()
                    + "' is unknown; expected keep, remove, empty, dummy, pseudonymise, uid, date or replace");
        };
        if ((rule.domain() != null) != (kind == ElementAction.Kind.PSEUDONYMISE)) {
            throw error(where, at + ": 'domain' goes with action pseudonymise, and only with it");
        }
        if (rule.domain() != null && !DOMAIN.matcher(rule.domain()).matches()) {
            throw error(where, at + ": domain must be 1 to 64 characters of a-z, 0-9, '_' or '-' (such as 'patient')");
        }
        if ((rule.value() != null) != (kind == ElementAction.Kind.REPLACE)) {
            throw error(where, at + ": 'value' goes with action replace, and only with it");
        }
        boolean shift = Boolean.TRUE.equals(rule.shift());
        DateReduction reduce = null;
        if (rule.reduce() != null) {
            reduce = switch (rule.reduce().toLowerCase(Locale.ROOT)) {
                case "year" -> DateReduction.YEAR;
                case "month" -> DateReduction.MONTH;
                default -> throw error(where, at + ": reduce '" + rule.reduce() + "' is unknown; expected year or month");
            };
        }
        if (kind == ElementAction.Kind.DATE ? (reduce == null) == !shift : (reduce != null || rule.shift() != null)) {
            throw error(where, at + ": action date takes exactly one of 'reduce: year|month' or 'shift: true',"
                    + " and other actions take neither");
        }
        return new ElementAction(kind, rule.domain(), reduce, shift, rule.value(), false);
    }

    /** A keyword or an exact tag; empty for a range (a tag with {@code x}). */
    private static OptionalInt tagOf(String where, String at, String text) {
        String t = text.strip();
        var m = TAG.matcher(t);
        if (m.matches()) {
            String hex = (m.group(1) + m.group(2)).toLowerCase(Locale.ROOT);
            return hex.indexOf('x') >= 0 ? OptionalInt.empty() : OptionalInt.of(Integer.parseUnsignedInt(hex, 16));
        }
        OptionalInt tag = Dictionary.standard().tagOf(t);
        if (tag.isEmpty()) {
            throw error(where, at + ": '" + text + "' is neither a DICOM keyword (PS3.6, such as PatientID)"
                    + " nor a tag such as (0010,0020) or a range such as (60xx,xxxx)");
        }
        return tag;
    }

    private static String range(String where, String at, String text) {
        var m = TAG.matcher(text.strip());
        if (!m.matches()) {
            throw error(where, at + ": '" + text + "' is neither a DICOM keyword nor a tag such as (0010,0020)"
                    + " or a range such as (60xx,xxxx)");
        }
        return (m.group(1) + m.group(2)).toLowerCase(Locale.ROOT);
    }

    private static ProfileException error(String where, String what) {
        return new ProfileException("profile " + where + ": " + what);
    }

    private static List<String> optionNames() {
        List<String> n = new ArrayList<>();
        for (Ps315Option o : Ps315Option.values()) {
            n.add(o.option());
        }
        return n;
    }

    /** @return the profile's name */
    public String name() {
        return name;
    }

    /** @return whether the PS3.15 basic profile is the base */
    public boolean ps315() {
        return table != null;
    }

    /** @return the selected PS3.15 options */
    public Set<Ps315Option> options() {
        return options;
    }

    /** @return the ImageType values (first two, joined with {@code \}) admitted by default */
    public Set<String> admitImageTypes() {
        return admitImageTypes;
    }

    /** @return whether the pixel profile is on */
    public boolean pixelBlanking() {
        return pixelBlanking;
    }

    /** @return what the header-seeded free-text net does with a hit */
    public FreeText freeText() {
        return freeText;
    }

    /** @return which images the burned-in text check reads */
    public OcrPolicy ocr() {
        return ocr;
    }

    /** @return the pixel rules, in order */
    public List<PixelRule> pixelRules() {
        return pixelRules;
    }

    /**
     * The PS3.15 options whose retention this profile's own rules amount to: a rule that keeps
     * (or reduces the dates of) an element that an option's column retains ({@code K}) or cleans
     * ({@code C}, for the modified-dates option) implies that option, for the
     * DeidentificationMethodCodeSequence. With a PS3.15 base, the selected options.
     *
     * @param standard the PS3.15 table
     * @return the options, possibly empty
     */
    public Set<Ps315Option> impliedOptions(Ps315Table standard) {
        if (table != null) {
            return options;
        }
        Set<Ps315Option> implied = EnumSet.noneOf(Ps315Option.class);
        for (Map.Entry<Integer, ElementAction> e : exact.entrySet()) {
            var row = standard.lookup(e.getKey());
            if (row.isEmpty()) {
                continue;
            }
            ElementAction.Kind kind = e.getValue().kind();
            for (Map.Entry<Ps315Option, Ps315Code> o : row.get().options().entrySet()) {
                // a kept UID is remapped all the same (see decide): keeping it retains nothing
                boolean remappedUid = Dictionary.standard().vrOf(e.getKey()) == VR.UI && !isClassUid(e.getKey());
                boolean retains = kind == ElementAction.Kind.KEEP && o.getValue() == Ps315Code.K && !remappedUid;
                boolean modifiesDates = kind == ElementAction.Kind.DATE
                        && o.getKey() == Ps315Option.RETAIN_LONGITUDINAL_MODIFIED_DATES;
                if (retains || modifiesDates) {
                    implied.add(o.getKey());
                }
            }
        }
        return implied;
    }

    /**
     * Whether this profile does at least what the Basic Application Level Confidentiality
     * Profile requires, so that the output may claim code 113100: a PS3.15 base, or a keep-list
     * ({@code remove-unspecified} and {@code remove-private-groups}), and no rule that keeps a
     * private element or an element the table (under the implied options) does not retain.
     *
     * @param standard the PS3.15 table
     * @return whether 113100 may be claimed
     */
    public boolean meetsBasicProfile(Ps315Table standard) {
        if (table == null && !(removeUnspecified && removePrivateGroups)) {
            return false;
        }
        Set<Ps315Option> implied = impliedOptions(standard);
        for (Map.Entry<Integer, ElementAction> e : exact.entrySet()) {
            if (e.getValue().kind() != ElementAction.Kind.KEEP) {
                continue;
            }
            if (Tag.isPrivate(e.getKey())) {
                return false;
            }
            var row = standard.lookup(e.getKey());
            if (row.isPresent() && row.get().resolve(implied).action() != Ps315Code.Action.KEEP) {
                return false;
            }
        }
        return true;
    }

    /** @return whether a rule names this exact tag */
    public boolean namesExactly(int tag) {
        return exact.containsKey(tag);
    }

    /**
     * Decides the action for one element (see the class comment for the order).
     *
     * @param tag the element's tag
     * @param vr its VR
     * @return the action; never null
     */
    public ElementAction decide(int tag, VR vr) {
        ElementAction a = decideKind(tag, vr, null);
        if (vr == VR.UI && a.kind() == ElementAction.Kind.KEEP && a != RETAINED_UID && !isClassUid(tag)) {
            return new ElementAction(ElementAction.Kind.UID, null, null, false, null, a.byName());
        }
        return a;
    }

    /**
     * Whether a UI element names a class of objects rather than an object: its keyword ends in
     * {@code ClassUID} (SOPClassUID, ReferencedSOPClassUID, ...) or {@code TransferSyntaxUID}.
     * Such UIDs (and any of the form {@code 1.2.840.10008.*}, whatever the element) are never
     * remapped: they identify no patient.
     *
     * @param tag a tag
     * @return whether its keyword names a class or transfer syntax UID
     */
    public static boolean isClassUid(int tag) {
        String keyword = Dictionary.standard().keywordOf(tag);
        return keyword.endsWith("ClassUID") || keyword.endsWith("TransferSyntaxUID");
    }

    /**
     * Names the rule that {@link #decide} follows for one element, for a dry run: a rule of the
     * profile file (by number, with the tag or range it was named by), the PS3.15 table row, or
     * the built-in step of the decision order. Never a value.
     *
     * @param tag the element's tag
     * @param vr its VR
     * @return the rule and where it is written; never null
     */
    public String rule(int tag, VR vr) {
        StringBuilder why = new StringBuilder();
        ElementAction a = decideKind(tag, vr, why);
        if (vr == VR.UI && a.kind() == ElementAction.Kind.KEEP && a != RETAINED_UID && !isClassUid(tag)) {
            why.append("; a kept UID is remapped");
        } else if (a == RETAINED_UID) {
            why.append("; a selected option retains this UID");
        }
        return why.toString();
    }

    /** @param why where the deciding rule is described, or null (the fast path, as {@link #decide} takes) */
    private ElementAction decideKind(int tag, VR vr, StringBuilder why) {
        ElementAction a = exact.get(tag);
        if (a != null) {
            if (why != null) {
                why.append(exactRules.get(tag));
            }
            return a;
        }
        int group = Tag.group(tag);
        for (Range r : ranges) {
            if (Ps315Table.matches(r.pattern(), tag)) {
                if (why != null) {
                    why.append(r.rule());
                }
                if (r.action().kind() == ElementAction.Kind.KEEP) {
                    ElementAction kept = safetyNet(vr, isCurve(group) || isOverlay(group), true);
                    if (why != null && kept.kind() != ElementAction.Kind.KEEP) {
                        why.append(", then the built-in safety net (a range keeps no " + vr + ")");
                    }
                    return kept;
                }
                return r.action();
            }
        }
        if (Tag.isPrivate(tag)) {
            if (why != null) {
                why.append("built-in: a private element passes only by an exact rule");
            }
            return ElementAction.of(ElementAction.Kind.REMOVE);
        }
        boolean curve = isCurve(group);
        boolean overlay = isOverlay(group);
        if ((curve && removeCurves) || (overlay && removeOverlays)) {
            if (why != null) {
                why.append((curve ? "remove-curves" : "remove-overlays") + " of profile " + where);
            }
            return ElementAction.of(ElementAction.Kind.REMOVE);
        }
        if (table != null && (curve || overlay)) {
            // the table removes Overlay Data and Curve Data (X, or C under Clean Graphics, which this
            // project cleans by removal): the rest of the group would be an invalid, empty overlay
            if (why != null) {
                why.append("base " + BASE_PS315 + " of profile " + where + ": curve and overlay groups are removed");
            }
            return ElementAction.of(ElementAction.Kind.REMOVE);
        }
        boolean listed = false;
        if (table != null) {
            var entry = table.lookup(tag);
            if (entry.isPresent()) {
                Ps315Code code = entry.get().resolve(options);
                ElementAction fromTable = fromTable(code, entry.get().basic(), vr);
                if (why != null) {
                    why.append("PS3.15 table row, code " + code.text() + (options.isEmpty() ? "" : " under the selected options")
                            + " (base " + BASE_PS315 + " of profile " + where + ")");
                }
                if (fromTable.kind() != ElementAction.Kind.KEEP) {
                    return fromTable;
                }
                if (vr == VR.UI && code.action() == Ps315Code.Action.KEEP) {
                    // an option retains this UID (K): the one kind of kept UID that is not remapped
                    return RETAINED_UID;
                }
                listed = true;
            }
        }
        if (!listed && removeUnspecified) {
            if (why != null) {
                why.append("remove-unspecified of profile " + where);
            }
            return ElementAction.of(ElementAction.Kind.REMOVE);
        }
        if (!listed && table != null && (group == 0x0010 || PersonAttributes.namesPerson(tag, vr))) {
            // what the table does not list but is about the patient or names a person or contact
            if (why != null) {
                why.append("built-in with base " + BASE_PS315 + ": an unlisted element about the patient or a person");
            }
            return ElementAction.of(ElementAction.Kind.REMOVE);
        }
        ElementAction kept = safetyNet(vr, curve || overlay, listed);
        if (!listed) {
            if (why != null) {
                why.append(kept.kind() == ElementAction.Kind.KEEP ? "no rule: kept"
                        : "no rule: the built-in safety net (" + vr + " is not kept without a rule naming it)");
            }
        } else if (kept.kind() != ElementAction.Kind.KEEP) {
            if (why != null) {
                why.append(", then the built-in safety net");
            }
        }
        return kept;
    }


    private static ElementAction fromTable(Ps315Code code, Ps315Code basic, VR vr) {
        return switch (code.action()) {
            case DUMMY -> ElementAction.of(ElementAction.Kind.DUMMY);
            case EMPTY -> ElementAction.of(ElementAction.Kind.EMPTY);
            case REMOVE -> ElementAction.of(ElementAction.Kind.REMOVE);
            case KEEP -> ElementAction.of(ElementAction.Kind.KEEP);
            case UID -> ElementAction.of(vr == VR.SQ ? ElementAction.Kind.KEEP : ElementAction.Kind.UID);
            case CLEAN -> clean(basic, vr);
        };
    }

    /**
     * PS3.15 C (clean): this project cannot prove free text clean, so text is emptied (or a dummy
     * when the basic profile requires a value); dates (DA, DT) are shifted by the patient's day
     * shift (the modified-dates method), TM kept (a shift by whole days leaves the time of day as
     * it is); UIDs remapped; sequences kept and their items de-identified; binary and bulk values
     * that cannot be cleaned (MakerNote, DeviceSettingDescription, binary timestamps such as
     * FrameOriginTimestamp; overlay and curve data under the Clean Graphics Option) removed.
     */
    private static ElementAction clean(Ps315Code basic, VR vr) {
        if (vr == VR.DA || vr == VR.DT) {
            return new ElementAction(ElementAction.Kind.DATE, null, null, true, null, false);
        }
        if (vr == VR.UI) {
            return ElementAction.of(ElementAction.Kind.UID);
        }
        if (vr == VR.TM || vr == VR.SQ) {
            return ElementAction.of(ElementAction.Kind.KEEP);
        }
        if (!vr.isString()) {
            return ElementAction.of(ElementAction.Kind.REMOVE);
        }
        return ElementAction.of(basic.action() == Ps315Code.Action.DUMMY
                ? ElementAction.Kind.DUMMY : ElementAction.Kind.EMPTY);
    }

    private static ElementAction safetyNet(VR vr, boolean graphics, boolean listed) {
        if (graphics && vr.kind() == VR.Kind.TEXT) {
            return ElementAction.of(ElementAction.Kind.REMOVE);
        }
        switch (vr) {
            case PN, ST, LT, UT, UC:
                return ElementAction.of(ElementAction.Kind.EMPTY);
            case DA, DT:
                return ElementAction.of(listed ? ElementAction.Kind.KEEP : ElementAction.Kind.EMPTY);
            default:
                return ElementAction.of(ElementAction.Kind.KEEP);
        }
    }

    /** @return whether a group is a curve group (5000-501E, even) */
    public static boolean isCurve(int group) {
        return group >= 0x5000 && group <= 0x501E && (group & 1) == 0;
    }

    /** @return whether a group is an overlay group (6000-601E, even) */
    public static boolean isOverlay(int group) {
        return group >= 0x6000 && group <= 0x601E && (group & 1) == 0;
    }

    @Override
    public String toString() {
        return "DicomProfile[" + name + "]";
    }
}
