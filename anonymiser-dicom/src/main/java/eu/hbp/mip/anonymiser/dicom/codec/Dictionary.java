package eu.hbp.mip.anonymiser.dicom.codec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The DICOM data dictionary (PS3.6): tag to keyword, VR, VM and retirement, and keyword to
 * tag, including repeating groups such as {@code (50xx,3000)} and {@code (60xx,0010)}.
 *
 * <p>The table is the committed resource {@code dictionary.tsv}, generated from the
 * standard's JSON by {@code DictionaryGenerator} (in the tests). Private tags are not in it:
 * a private creator element is {@code LO}, any other private element {@code UN}. An entry
 * with several VRs ("US or SS", "OB or OW") lists them all in {@link Entry#vrs()}; its
 * {@link Entry#vr()} is the one implicit VR data is read as ({@code OW} for "OB or OW",
 * otherwise the first).
 *
 * <p>Immutable and thread-safe; {@link #standard()} loads the table once, lazily.
 *
 * <pre>{@code
 * Dictionary dict = Dictionary.standard();
 * int tag = dict.tagOf("PatientID").orElseThrow();   // 0x00100020
 * VR vr = dict.vrOf(tag);                             // VR.LO
 * }</pre>
 */
public final class Dictionary {

    /**
     * One entry of the dictionary.
     *
     * @param tag the tag, with the repeating nibbles ({@code x}) as 0
     * @param mask the bits of a tag that must equal {@code tag} to match (all ones for a plain tag)
     * @param vrs the allowed VRs, in the standard's order
     * @param vm the value multiplicity as the standard writes it ({@code 1}, {@code 1-n}, {@code 2-2n}...)
     * @param keyword the keyword, such as {@code PatientID}
     * @param retired whether the standard retired the attribute
     */
    public record Entry(int tag, int mask, List<VR> vrs, String vm, String keyword, boolean retired) {

        /** Copies the VR list. */
        public Entry {
            vrs = List.copyOf(vrs);
        }

        /** The VR to read implicit VR data as: {@code OW} for "OB or OW", otherwise the first. */
        public VR vr() {
            return vrs.contains(VR.OW) && vrs.contains(VR.OB) ? VR.OW : vrs.get(0);
        }

        /** Whether this entry describes a tag (a plain tag, or one of a repeating range). */
        public boolean matches(int candidate) {
            return (candidate & mask) == tag;
        }
    }

    private static final String RESOURCE = "dictionary.tsv";

    private final Map<Integer, Entry> byTag;
    private final List<Entry> patterns;
    private final Map<String, Entry> byKeyword;

    private Dictionary(List<Entry> entries) {
        Map<Integer, Entry> tags = new HashMap<>();
        List<Entry> ranges = new ArrayList<>();
        Map<String, Entry> keywords = new HashMap<>();
        for (Entry e : entries) {
            if (e.mask() == -1) {
                tags.put(e.tag(), e);
            } else {
                ranges.add(e);
            }
            keywords.putIfAbsent(e.keyword(), e);
        }
        this.byTag = Map.copyOf(tags);
        this.patterns = List.copyOf(ranges);
        this.byKeyword = Map.copyOf(keywords);
    }

    /** The standard dictionary, loaded once from the committed resource. */
    public static Dictionary standard() {
        return Holder.STANDARD;
    }

    /** The number of entries (plain tags and repeating ranges). */
    public int size() {
        return byTag.size() + patterns.size();
    }

    /** All entries: plain tags, then repeating ranges (unordered). */
    public List<Entry> entries() {
        List<Entry> all = new ArrayList<>(byTag.values());
        all.addAll(patterns);
        return Collections.unmodifiableList(all);
    }

    /** The entry of a standard tag; empty for private and unknown tags. */
    public Optional<Entry> entry(int tag) {
        if (Tag.isPrivate(tag)) {
            return Optional.empty();
        }
        Entry e = byTag.get(tag);
        if (e != null) {
            return Optional.of(e);
        }
        for (Entry p : patterns) {
            if (p.matches(tag)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * The VR of a tag as read in implicit VR: the dictionary's, {@code UL} for a group
     * length, {@code LO} for a private creator, {@code UN} for anything else unknown.
     */
    public VR vrOf(int tag) {
        if (Tag.isPrivateCreator(tag)) {
            return VR.LO;
        }
        Optional<Entry> e = entry(tag);
        if (e.isPresent()) {
            return e.get().vr();
        }
        if (Tag.isGroupLength(tag)) {
            return VR.UL;
        }
        return VR.UN;
    }

    /** The tag of a keyword; for a repeating range the first (for example group 0x6000). */
    public OptionalInt tagOf(String keyword) {
        Entry e = byKeyword.get(keyword);
        return e == null ? OptionalInt.empty() : OptionalInt.of(e.tag());
    }

    /** The keyword of a tag, or the empty string for private and unknown tags. */
    public String keywordOf(int tag) {
        return entry(tag).map(Entry::keyword).orElse("");
    }

    /**
     * Parses one line of the table: {@code tag<TAB>vrs<TAB>vm<TAB>keyword<TAB>retired}, with the
     * tag as 8 hexadecimal digits where {@code x} marks a repeating nibble, and VRs separated by
     * {@code |}.
     */
    static Entry parseLine(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 5 || f[0].length() != 8) {
            throw new IllegalArgumentException("bad dictionary line: " + line);
        }
        int tag = 0;
        int mask = 0;
        for (int i = 0; i < 8; i++) {
            char c = f[0].charAt(i);
            tag <<= 4;
            mask <<= 4;
            if (c != 'x') {
                tag |= Character.digit(c, 16);
                mask |= 0xF;
            }
        }
        List<VR> vrs = new ArrayList<>();
        for (String v : f[1].split("\\|")) {
            vrs.add(VR.valueOf(v));
        }
        return new Entry(tag, mask, vrs, f[2], f[3], "Y".equals(f[4]));
    }

    private static Dictionary load() {
        try (InputStream in = Dictionary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the DICOM dictionary resource " + RESOURCE + " is missing");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<Entry> entries = new ArrayList<>();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isEmpty() && line.charAt(0) != '#') {
                    entries.add(parseLine(line));
                }
            }
            return new Dictionary(entries);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the DICOM dictionary resource", e);
        }
    }

    /** Lazy, immutable holder of the standard dictionary. */
    private static final class Holder {
        static final Dictionary STANDARD = load();
    }
}
