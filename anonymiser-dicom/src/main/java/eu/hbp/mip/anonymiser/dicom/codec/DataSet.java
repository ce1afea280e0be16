package eu.hbp.mip.anonymiser.dicom.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * A DICOM data set (the top level of a file, or one item of a sequence): elements in tag
 * order, read and edited by tag or by keyword.
 *
 * <p>Values are kept as read, in the byte order of the file ({@link #order()}); text values
 * are decoded on demand with the Specific Character Set in force (this data set's own
 * (0008,0005), else its parent's). Bulk values and encapsulated pixel data are references
 * into the source file ({@link Value.Bulk}, {@link Value.Fragments}), never loaded.
 *
 * <p>Not thread-safe: one thread edits a data set at a time. Getters never return
 * {@code null}; absent elements are empty {@link Optional}s or empty lists.
 *
 * <pre>{@code
 * DataSet ds = dicomFile.dataSet();
 * String id = ds.string("PatientID").orElse("");
 * ds.putString("PatientID", pseudonym);
 * ds.remove("PatientName");
 * for (DataSet item : ds.items("ReferencedStudySequence")) {
 *     item.putString(Tag.of(0x0008, 0x1155), newUid);
 * }
 * }</pre>
 */
public final class DataSet {

    private final TreeMap<Integer, Element> elements = new TreeMap<>(Tag::compare);
    private final boolean bigEndian;
    private DataSet parent;
    private boolean undefinedLength;

    /**
     * An empty data set.
     *
     * @param bigEndian whether binary values are big endian (only for explicit VR big endian)
     */
    public DataSet(boolean bigEndian) {
        this.bigEndian = bigEndian;
    }

    DataSet(boolean bigEndian, DataSet parent, boolean undefinedLength) {
        this.bigEndian = bigEndian;
        this.parent = parent;
        this.undefinedLength = undefinedLength;
    }

    /** The byte order of binary values held in memory. */
    public ByteOrder order() {
        return bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    /** The data set holding the sequence this item belongs to, or {@code null} at the top level. */
    public DataSet parent() {
        return parent;
    }

    boolean bigEndian() {
        return bigEndian;
    }

    boolean undefinedLength() {
        return undefinedLength;
    }

    Map<Integer, Element> map() {
        return elements;
    }

    /** The number of elements at this level. */
    public int size() {
        return elements.size();
    }

    /** {@code true} when there is no element at this level. */
    public boolean isEmpty() {
        return elements.isEmpty();
    }

    /** A snapshot of the elements at this level, in tag order. */
    public List<Element> elements() {
        return List.copyOf(elements.values());
    }

    /** {@code true} when the tag is present at this level. */
    public boolean contains(int tag) {
        return elements.containsKey(tag);
    }

    /** {@code true} when the keyword's tag is present at this level. */
    public boolean contains(String keyword) {
        return contains(tagOf(keyword));
    }

    /** The element of a tag at this level. */
    public Optional<Element> get(int tag) {
        return Optional.ofNullable(elements.get(tag));
    }

    /** The element of a keyword at this level. */
    public Optional<Element> get(String keyword) {
        return get(tagOf(keyword));
    }

    /**
     * Puts an element, replacing any with the same tag.
     *
     * @throws IllegalArgumentException for an item or delimiter tag, a sequence value with a
     *         VR other than SQ or UN, or a value too long for a VR with a 2-byte length
     */
    public DataSet put(Element element) {
        int tag = element.tag();
        if (Tag.group(tag) == 0xFFFE) {
            throw new IllegalArgumentException("item and delimiter tags are not elements: " + Tag.toString(tag));
        }
        if (element.value() instanceof Value.Sequence && element.vr() != VR.SQ && element.vr() != VR.UN) {
            throw new IllegalArgumentException("a sequence needs VR SQ: " + Tag.toString(tag));
        }
        if (element.value() instanceof Value.Bytes b && !element.vr().hasLongLength() && b.data().length > 0xFFFE) {
            throw new IllegalArgumentException("value too long for VR " + element.vr() + ": " + Tag.toString(tag));
        }
        elements.put(tag, element);
        return this;
    }

    /** Removes a tag at this level; returns the removed element. */
    public Optional<Element> remove(int tag) {
        return Optional.ofNullable(elements.remove(tag));
    }

    /** Removes a keyword's tag at this level; returns the removed element. */
    public Optional<Element> remove(String keyword) {
        return remove(tagOf(keyword));
    }

    /** Removes the elements at this level that match; returns how many. */
    public int removeIf(Predicate<Element> filter) {
        int before = elements.size();
        elements.values().removeIf(filter);
        return before - elements.size();
    }

    // ---------------------------------------------------------------- text

    /**
     * The Specific Character Set in force here: this data set's (0008,0005), else the parent's,
     * else the default repertoire (read as ISO-8859-1).
     */
    public Charset charset() {
        for (DataSet ds = this; ds != null; ds = ds.parent) {
            Element e = ds.elements.get(Tag.SPECIFIC_CHARACTER_SET);
            if (e != null && e.value() instanceof Value.Bytes b) {
                Charset cs = SpecificCharacterSet.of(splitAscii(b.data(), VR.CS));
                return cs == null ? SpecificCharacterSet.DEFAULT : cs;
            }
        }
        return SpecificCharacterSet.DEFAULT;
    }

    /**
     * The first value of a tag as text (see {@link #strings(int)}); empty when the element is
     * absent or has no value.
     */
    public Optional<String> string(int tag) {
        List<String> all = strings(tag);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** The first value of a keyword's tag as text. */
    public Optional<String> string(String keyword) {
        return string(tagOf(keyword));
    }

    /**
     * The values of a tag as text: string VRs decoded (with the Specific Character Set for SH,
     * LO, ST, LT, PN, UC, UT), split at {@code \} (except ST, LT, UT, UR), without padding;
     * binary numbers (US, SS, UL, SL, FL, FD, SV, UV) in decimal and AT as {@code (gggg,eeee)}.
     * Empty for an absent element, a sequence, or a bulk value.
     */
    public List<String> strings(int tag) {
        Element e = elements.get(tag);
        if (e == null || !(e.value() instanceof Value.Bytes b) || b.data().length == 0) {
            return List.of();
        }
        VR vr = e.vr();
        if (vr.isString()) {
            Charset cs = vr.kind() == VR.Kind.TEXT ? charset() : StandardCharsets.ISO_8859_1;
            String text = new String(b.data(), cs);
            List<String> values = new ArrayList<>();
            if (vr == VR.ST || vr == VR.LT || vr == VR.UT || vr == VR.UR) {
                values.add(trim(text, vr));
            } else {
                for (String v : text.split("\\\\", -1)) {
                    values.add(trim(v, vr));
                }
            }
            return values;
        }
        if (vr.kind() == VR.Kind.BINARY) {
            return binaryStrings(b.data(), vr);
        }
        return List.of();
    }

    /** The values of a keyword's tag as text. */
    public List<String> strings(String keyword) {
        return strings(tagOf(keyword));
    }

    /**
     * The value of a DA element as a date ({@code YYYYMMDD}, or the old {@code YYYY.MM.DD}).
     *
     * @throws DicomFormatException when the value is not a valid date (the message names the tag, not the value)
     */
    public Optional<LocalDate> date(int tag) throws DicomFormatException {
        Optional<String> s = string(tag);
        if (s.isEmpty() || s.get().isEmpty()) {
            return Optional.empty();
        }
        String v = s.get().replace(".", "");
        if (v.length() != 8 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new DicomFormatException(-1, tag, "date value is not YYYYMMDD");
        }
        try {
            return Optional.of(LocalDate.of(Integer.parseInt(v.substring(0, 4)),
                    Integer.parseInt(v.substring(4, 6)), Integer.parseInt(v.substring(6, 8))));
        } catch (DateTimeException e) {
            throw new DicomFormatException(-1, tag, "date value is not a calendar date");
        }
    }

    /** The value of a keyword's DA element as a date. */
    public Optional<LocalDate> date(String keyword) throws DicomFormatException {
        return date(tagOf(keyword));
    }

    /**
     * The first value of an integer element (US, SS, UL, SL, IS) as an int.
     *
     * @throws DicomFormatException when the value is not an integer within int range
     */
    public OptionalInt integer(int tag) throws DicomFormatException {
        Optional<String> s = string(tag);
        if (s.isEmpty() || s.get().isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            long v = Long.parseLong(s.get().startsWith("+") ? s.get().substring(1) : s.get());
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new DicomFormatException(-1, tag, "integer value out of range");
            }
            return OptionalInt.of((int) v);
        } catch (NumberFormatException e) {
            throw new DicomFormatException(-1, tag, "value is not an integer");
        }
    }

    /** The first value of a keyword's integer element. */
    public OptionalInt integer(String keyword) throws DicomFormatException {
        return integer(tagOf(keyword));
    }

    /**
     * Puts text values with the VR of the element already there (when it is a text VR), else
     * the dictionary's VR for the tag.
     *
     * @throws IllegalArgumentException when the tag has no dictionary VR or its VR is not text,
     *         or the text cannot be encoded in the Specific Character Set in force
     */
    public DataSet putString(int tag, String... values) {
        Element existing = elements.get(tag);
        VR vr = existing != null && existing.vr().isString() ? existing.vr() : Dictionary.standard().vrOf(tag);
        if (!vr.isString()) {
            throw new IllegalArgumentException("tag " + Tag.toString(tag) + " has VR " + vr
                    + ", not a text VR: use putString(tag, vr, values)");
        }
        return putString(tag, vr, values);
    }

    /** Puts text values for a keyword, with its dictionary VR. */
    public DataSet putString(String keyword, String... values) {
        return putString(tagOf(keyword), values);
    }

    /**
     * Puts text values with a given VR: joined with {@code \}, encoded (with the Specific
     * Character Set in force for SH, LO, ST, LT, PN, UC, UT, else ASCII) and padded to even length.
     *
     * @throws IllegalArgumentException when the VR is not a text VR or the text cannot be encoded
     */
    public DataSet putString(int tag, VR vr, String... values) {
        if (!vr.isString()) {
            throw new IllegalArgumentException("VR " + vr + " is not a text VR (tag " + Tag.toString(tag) + ")");
        }
        Charset cs = vr.kind() == VR.Kind.TEXT ? charset() : StandardCharsets.US_ASCII;
        String text = String.join("\\", values);
        byte[] bytes;
        try {
            CharsetEncoder enc = cs.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            ByteBuffer bb = enc.encode(CharBuffer.wrap(text));
            int n = bb.remaining();
            bytes = new byte[n + (n & 1)];
            bb.get(bytes, 0, n);
            if ((n & 1) == 1) {
                bytes[n] = vr.paddingByte();
            }
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("text cannot be encoded in " + cs + " for tag " + Tag.toString(tag), e);
        }
        if (tag == Tag.SPECIFIC_CHARACTER_SET && SpecificCharacterSet.of(List.of(values)) == null) {
            throw new IllegalArgumentException("unsupported Specific Character Set");
        }
        return put(new Element(tag, vr, new Value.Bytes(bytes)));
    }

    /** Puts a DA value ({@code YYYYMMDD}). */
    public DataSet putDate(int tag, LocalDate date) {
        return putString(tag, VR.DA, String.format("%04d%02d%02d", date.getYear(), date.getMonthValue(),
                date.getDayOfMonth()));
    }

    /** Puts a DA value for a keyword. */
    public DataSet putDate(String keyword, LocalDate date) {
        return putDate(tagOf(keyword), date);
    }

    /**
     * Puts binary integers (US, SS, UL, SL) in this data set's byte order.
     *
     * @throws IllegalArgumentException for another VR
     */
    public DataSet putInts(int tag, VR vr, int... values) {
        int size = switch (vr) {
            case US, SS -> 2;
            case UL, SL -> 4;
            default -> throw new IllegalArgumentException("putInts needs US, SS, UL or SL, not " + vr);
        };
        ByteBuffer bb = ByteBuffer.allocate(values.length * size).order(order());
        for (int v : values) {
            if (size == 2) {
                bb.putShort((short) v);
            } else {
                bb.putInt(v);
            }
        }
        return put(new Element(tag, vr, new Value.Bytes(bb.array())));
    }

    /** Puts raw bytes (in this data set's byte order), padded with 0 to even length. */
    public DataSet putBytes(int tag, VR vr, byte[] value) {
        byte[] v = (value.length & 1) == 0 ? value.clone() : java.util.Arrays.copyOf(value, value.length + 1);
        return put(new Element(tag, vr, new Value.Bytes(v)));
    }

    // ---------------------------------------------------------------- sequences

    /**
     * The items of a sequence: a live, mutable list (remove items from it freely; add them with
     * {@link #addItem(int)}). Empty and unmodifiable when the tag is absent or not a sequence.
     */
    public List<DataSet> items(int tag) {
        Element e = elements.get(tag);
        if (e != null && e.value() instanceof Value.Sequence s) {
            return s.items();
        }
        return Collections.emptyList();
    }

    /** The items of a keyword's sequence. */
    public List<DataSet> items(String keyword) {
        return items(tagOf(keyword));
    }

    /**
     * Appends a new empty item to a sequence, creating the sequence (VR SQ, defined length)
     * when absent or replacing a non-sequence element.
     *
     * @return the new item, to fill in
     */
    public DataSet addItem(int tag) {
        Element e = elements.get(tag);
        Value.Sequence seq;
        boolean itemBigEndian = bigEndian;
        if (e != null && e.value() instanceof Value.Sequence s) {
            seq = s;
            if (e.vr() == VR.UN) {
                itemBigEndian = false;
            }
        } else {
            seq = new Value.Sequence(new ArrayList<>(), false);
            put(new Element(tag, VR.SQ, seq));
        }
        DataSet item = new DataSet(itemBigEndian, this, false);
        seq.items().add(item);
        return item;
    }

    /** Appends a new empty item to a keyword's sequence. */
    public DataSet addItem(String keyword) {
        return addItem(tagOf(keyword));
    }

    /**
     * Visits every element of this data set and of every nested item, depth first in tag order
     * (an element, then the items of its sequence), with the data set that holds it. The visitor
     * may edit the data set it is given; elements it adds are not visited. Iterative: no
     * recursion, whatever the nesting.
     */
    public void forEachDeep(BiConsumer<DataSet, Element> visitor) {
        Deque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {this, new ArrayDeque<>(elements.values())});
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            DataSet ds = (DataSet) frame[0];
            @SuppressWarnings("unchecked")
            Deque<Element> todo = (Deque<Element>) frame[1];
            Element e = todo.poll();
            if (e == null) {
                stack.pop();
                continue;
            }
            visitor.accept(ds, e);
            if (e.value() instanceof Value.Sequence s) {
                List<DataSet> items = new ArrayList<>(s.items());
                for (int i = items.size() - 1; i >= 0; i--) {
                    stack.push(new Object[] {items.get(i), new ArrayDeque<>(items.get(i).elements.values())});
                }
            }
        }
    }

    // ---------------------------------------------------------------- private tags

    /**
     * The private block reserved by a creator in a group: {@code xx} such that
     * {@code (gggg,00xx)} holds the creator (compared without padding).
     */
    public OptionalInt privateBlock(int group, String creator) {
        if ((group & 1) == 0) {
            throw new IllegalArgumentException("private groups are odd");
        }
        for (int xx = 0x10; xx <= 0xFF; xx++) {
            Element e = elements.get(group << 16 | xx);
            if (e != null && creator.strip().equals(string(group << 16 | xx).orElse(""))) {
                return OptionalInt.of(xx);
            }
        }
        return OptionalInt.empty();
    }

    /**
     * The tag of a private element: {@code (gggg,xxee)} where {@code xx} is the creator's block
     * and {@code ee} the offset (0x00..0xFF); empty when the creator has no block here.
     */
    public OptionalInt privateTag(int group, String creator, int offset) {
        if (offset < 0 || offset > 0xFF) {
            throw new IllegalArgumentException("private element offset must be 0x00..0xFF");
        }
        OptionalInt block = privateBlock(group, creator);
        return block.isPresent() ? OptionalInt.of(group << 16 | block.getAsInt() << 8 | offset) : OptionalInt.empty();
    }

    /**
     * The creator's block in a group, reserving the first free one (putting its creator element)
     * when it has none.
     *
     * @throws IllegalStateException when all 240 blocks of the group are taken
     */
    public int reservePrivateBlock(int group, String creator) {
        OptionalInt block = privateBlock(group, creator);
        if (block.isPresent()) {
            return block.getAsInt();
        }
        for (int xx = 0x10; xx <= 0xFF; xx++) {
            if (!elements.containsKey(group << 16 | xx)) {
                putString(group << 16 | xx, VR.LO, creator);
                return xx;
            }
        }
        throw new IllegalStateException("no free private block in group " + Integer.toHexString(group));
    }

    /**
     * The private creator of a private data element at this level ({@code (gggg,00xx)}'s value
     * for {@code (gggg,xxee)}); empty when none.
     */
    public Optional<String> privateCreatorOf(int tag) {
        int creator = Tag.creatorOf(tag);
        return creator == -1 ? Optional.empty() : string(creator);
    }

    // ---------------------------------------------------------------- helpers

    private static int tagOf(String keyword) {
        OptionalInt tag = Dictionary.standard().tagOf(keyword);
        if (tag.isEmpty()) {
            throw new IllegalArgumentException("unknown DICOM keyword: " + keyword);
        }
        return tag.getAsInt();
    }

    private static String trim(String v, VR vr) {
        int end = v.length();
        while (end > 0 && (v.charAt(end - 1) == ' ' || v.charAt(end - 1) == '\0')) {
            end--;
        }
        int start = 0;
        if (vr != VR.ST && vr != VR.LT && vr != VR.UT && vr != VR.UR) {
            while (start < end && v.charAt(start) == ' ') {
                start++;
            }
        }
        return v.substring(start, end);
    }

    static List<String> splitAscii(byte[] data, VR vr) {
        List<String> values = new ArrayList<>();
        for (String v : new String(data, StandardCharsets.ISO_8859_1).split("\\\\", -1)) {
            values.add(trim(v, vr));
        }
        if (values.size() == 1 && values.get(0).isEmpty()) {
            return List.of();
        }
        return values;
    }

    private List<String> binaryStrings(byte[] data, VR vr) {
        ByteBuffer bb = ByteBuffer.wrap(data).order(order());
        List<String> out = new ArrayList<>();
        int unit = vr.unitSize();
        while (bb.remaining() >= unit) {
            out.add(switch (vr) {
                case US -> Integer.toString(bb.getShort() & 0xFFFF);
                case SS -> Short.toString(bb.getShort());
                case UL -> Long.toString(bb.getInt() & 0xFFFFFFFFL);
                case SL -> Integer.toString(bb.getInt());
                case FL -> Float.toString(bb.getFloat());
                case FD -> Double.toString(bb.getDouble());
                case SV -> Long.toString(bb.getLong());
                case UV -> Long.toUnsignedString(bb.getLong());
                case AT -> Tag.toString((bb.getShort() & 0xFFFF) << 16 | (bb.getShort() & 0xFFFF));
                default -> throw new IllegalStateException("not a binary VR: " + vr);
            });
        }
        return out;
    }
}
