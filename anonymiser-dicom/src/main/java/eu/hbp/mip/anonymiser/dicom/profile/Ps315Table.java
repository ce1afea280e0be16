package eu.hbp.mip.anonymiser.dicom.profile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * PS3.15 Table E.1-1 (the attributes of the Basic Application Level Confidentiality
 * Profile and its options), read from the resource {@value #RESOURCE} that
 * {@code Ps315TableGenerator} writes from the standard's JSON. Immutable and thread-safe.
 */
public final class Ps315Table {

    /** The committed resource, relative to this class. */
    public static final String RESOURCE = "ps315-table.tsv";

    /**
     * One row of the table.
     *
     * @param pattern the tag pattern: 8 hex digits where {@code x} matches any digit, or {@code private}
     * @param basic the basic profile's code
     * @param options the codes of the options that name this attribute
     * @param name the attribute's name in the standard
     */
    public record Entry(String pattern, Ps315Code basic, Map<Ps315Option, Ps315Code> options, String name) {
        public Entry {
            options = Collections.unmodifiableMap(new EnumMap<>(options.isEmpty()
                    ? new EnumMap<>(Ps315Option.class) : options));
        }

        /**
         * The code in force under a set of options: an option that names this attribute
         * overrides the basic profile; when several do, {@code K} (retain) wins over {@code C}.
         *
         * @param selected the options the profile selects
         * @return the code to apply
         */
        public Ps315Code resolve(Set<Ps315Option> selected) {
            Ps315Code chosen = null;
            for (Map.Entry<Ps315Option, Ps315Code> e : options.entrySet()) {
                if (selected.contains(e.getKey()) && (chosen == null || e.getValue() == Ps315Code.K)) {
                    chosen = e.getValue();
                }
            }
            return chosen != null ? chosen : basic;
        }
    }

    private final Map<Integer, Entry> exact;
    private final List<Entry> ranges;
    private final Entry privateEntry;
    private final List<Entry> all;

    private Ps315Table(List<Entry> entries) {
        Map<Integer, Entry> ex = new HashMap<>();
        List<Entry> rg = new ArrayList<>();
        Entry priv = null;
        for (Entry e : entries) {
            if (e.pattern().equals("private")) {
                priv = e;
            } else if (e.pattern().indexOf('x') >= 0) {
                rg.add(e);
            } else {
                ex.put(Integer.parseUnsignedInt(e.pattern(), 16), e);
            }
        }
        this.exact = Map.copyOf(ex);
        this.ranges = List.copyOf(rg);
        this.privateEntry = priv;
        this.all = List.copyOf(entries);
    }

    /** @return the table from the committed resource */
    public static Ps315Table load() {
        try (InputStream in = Ps315Table.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the anonymiser-dicom jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + RESOURCE, e);
        }
    }

    /** Parses the resource text (see {@code Ps315TableGenerator} for the format). */
    static Ps315Table parse(String text) {
        List<Entry> entries = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new java.io.StringReader(text))) {
            String line;
            Ps315Option[] opts = Ps315Option.values();
            while ((line = r.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != 3 + opts.length) {
                    throw new IllegalStateException("resource " + RESOURCE + ": bad line with " + f.length + " fields");
                }
                Map<Ps315Option, Ps315Code> options = new EnumMap<>(Ps315Option.class);
                for (int i = 0; i < opts.length; i++) {
                    if (!f[2 + i].equals("-")) {
                        options.put(opts[i], Ps315Code.parse(f[2 + i]));
                    }
                }
                entries.add(new Entry(f[0], Ps315Code.parse(f[1]), options, f[2 + opts.length]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Ps315Table(entries);
    }

    /** @return every row, in the resource's order */
    public List<Entry> entries() {
        return all;
    }

    /**
     * @param tag a data element tag ({@code group << 16 | element})
     * @return the row that names it: by exact tag, the private-attributes row for odd
     *         groups, then by repeating-group pattern
     */
    public Optional<Entry> lookup(int tag) {
        Entry e = exact.get(tag);
        if (e != null) {
            return Optional.of(e);
        }
        if (((tag >>> 16) & 1) == 1) {
            return Optional.ofNullable(privateEntry);
        }
        for (Entry r : ranges) {
            if (matches(r.pattern(), tag)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /**
     * @param pattern 8 hex digits, {@code x} matching any
     * @param tag a tag
     * @return whether the tag matches
     */
    static boolean matches(String pattern, int tag) {
        for (int i = 0; i < 8; i++) {
            char c = pattern.charAt(i);
            if (c != 'x' && Character.digit(c, 16) != ((tag >>> (28 - 4 * i)) & 0xF)) {
                return false;
            }
        }
        return true;
    }
}
