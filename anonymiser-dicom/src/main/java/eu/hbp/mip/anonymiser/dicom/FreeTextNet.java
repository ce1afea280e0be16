package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.dicom.codec.DataSet;
import eu.hbp.mip.anonymiser.dicom.codec.Dictionary;
import eu.hbp.mip.anonymiser.dicom.codec.Element;
import eu.hbp.mip.anonymiser.dicom.codec.Tag;
import eu.hbp.mip.anonymiser.dicom.codec.VR;
import eu.hbp.mip.anonymiser.dicom.codec.Value;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * The header-seeded free-text net: after the profile has been applied, every text value left
 * in the data set (VRs LO, SH, UR, UC, LT, ST, UT and PN, at every depth of sequences) is
 * searched for the file's own patient values ({@link HeaderSeeds}, read before anonymisation).
 * In {@link #replace} mode each hit is replaced by {@value #MARKER} ({@code removed} in a UR),
 * the value being cut to its VR's maximum length; {@link #findings} only reports the hits, for
 * the {@code free-text: reject} mode.
 *
 * <p>Findings name the element's path (keywords and tags) and the rule, never the value. One
 * instance per file; not thread-safe.
 */
final class FreeTextNet {

    /** What a hit is replaced by. */
    static final String MARKER = "[removed]";
    private static final String URI_MARKER = "removed";

    /**
     * One hit.
     *
     * @param path the element, as {@code Keyword (gggg,eeee)} joined with {@code >} through sequences
     * @param rule the seed's rule, such as {@code patient-name}
     */
    record Finding(String path, String rule) {
        @Override
        public String toString() {
            return path + " (rule " + rule + ")";
        }
    }

    private final HeaderSeeds seeds;
    private long hits;

    FreeTextNet(HeaderSeeds seeds) {
        this.seeds = seeds;
    }

    /** @return how many matches {@link #replace} replaced */
    long hits() {
        return hits;
    }

    /**
     * Reports the hits without changing anything.
     *
     * @param top the anonymised data set
     * @return the distinct findings, in data set order
     */
    Set<Finding> findings(DataSet top) {
        Set<Finding> out = new LinkedHashSet<>();
        walk(top, false, out);
        return out;
    }

    /**
     * Replaces every hit by the marker.
     *
     * @param top the anonymised data set, edited in place
     * @return the distinct findings, in data set order
     */
    Set<Finding> replace(DataSet top) {
        Set<Finding> out = new LinkedHashSet<>();
        walk(top, true, out);
        return out;
    }

    private void walk(DataSet top, boolean replace, Set<Finding> out) {
        if (seeds.seeds().isEmpty()) {
            return;
        }
        Deque<Object[]> todo = new ArrayDeque<>();
        todo.push(new Object[] {top, ""});
        while (!todo.isEmpty()) {
            Object[] frame = todo.pop();
            DataSet ds = (DataSet) frame[0];
            String prefix = (String) frame[1];
            for (Element e : ds.elements()) {
                if (e.value() instanceof Value.Sequence s) {
                    String path = prefix + name(e.tag()) + " > ";
                    for (DataSet item : s.items()) {
                        todo.push(new Object[] {item, path});
                    }
                } else if (HeaderSeeds.searched(e) && e.value() instanceof Value.Bytes b && b.data().length > 0) {
                    search(ds, e, prefix + name(e.tag()), replace, out);
                }
            }
        }
    }

    private void search(DataSet ds, Element e, String path, boolean replace, Set<Finding> out) {
        VR vr = e.vr();
        List<String> values = new ArrayList<>(ds.strings(e.tag()));
        boolean changed = false;
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            String cleaned = clean(v, vr, path, out, replace);
            if (replace && !cleaned.equals(v)) {
                String cut = fit(cleaned, vr);
                // cutting can put a word boundary inside a token: search the cut text once more
                if (!cut.equals(cleaned) && !clean(cut, vr, path, new LinkedHashSet<>(), false).equals(cut)) {
                    cut = fit(MARKER, vr);
                }
                values.set(i, cut);
                changed = true;
            }
        }
        if (changed) {
            try {
                ds.putString(e.tag(), vr, values.toArray(String[]::new));
            } catch (IllegalArgumentException notEncodable) {
                ds.remove(e.tag());
            }
        }
    }

    /** The value with every hit replaced (when {@code replace}), adding a finding per rule hit. */
    private String clean(String value, VR vr, String path, Set<Finding> out, boolean replace) {
        String v = value;
        for (HeaderSeeds.Seed seed : seeds.seeds()) {
            if (vr == VR.PN && !seed.inPersonNames()) {
                continue;
            }
            Matcher m = seed.pattern().matcher(v);
            if (!m.find()) {
                continue;
            }
            out.add(new Finding(path, seed.rule()));
            if (!replace) {
                // a marker in a copy keeps later seeds from matching inside this hit
                v = m.replaceAll(Matcher.quoteReplacement(MARKER));
                continue;
            }
            StringBuilder sb = new StringBuilder();
            do {
                hits++;
                m.appendReplacement(sb, Matcher.quoteReplacement(vr == VR.UR ? URI_MARKER : MARKER));
            } while (m.find());
            m.appendTail(sb);
            v = sb.toString();
        }
        return v;
    }

    private static String fit(String v, VR vr) {
        int max = switch (vr) {
            case SH -> 16;
            case LO, PN -> 64;
            case ST -> 1024;
            case LT -> 10240;
            default -> Integer.MAX_VALUE;
        };
        return v.length() <= max ? v : v.substring(0, max);
    }

    private static String name(int tag) {
        String keyword = Dictionary.standard().keywordOf(tag);
        return (keyword.isEmpty() ? "" : keyword + " ") + Tag.toString(tag);
    }
}
