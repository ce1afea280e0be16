package eu.hbp.mip.anonymiser.dicom.codec;

/**
 * Helpers for DICOM tags held as {@code int}s: the group in the high 16 bits, the element
 * in the low 16 bits ({@code 0x00100020} is PatientID, written {@code (0010,0020)}).
 *
 * <p>Tags compare as unsigned numbers ({@link #compare(int, int)}), which is the order in
 * which a data set is encoded. Stateless; thread-safe.
 */
public final class Tag {

    /** (0002,0000) File Meta Information Group Length. */
    public static final int FILE_META_GROUP_LENGTH = 0x00020000;
    /** (0002,0001) File Meta Information Version. */
    public static final int FILE_META_VERSION = 0x00020001;
    /** (0002,0002) Media Storage SOP Class UID. */
    public static final int MEDIA_STORAGE_SOP_CLASS_UID = 0x00020002;
    /** (0002,0003) Media Storage SOP Instance UID. */
    public static final int MEDIA_STORAGE_SOP_INSTANCE_UID = 0x00020003;
    /** (0002,0010) Transfer Syntax UID. */
    public static final int TRANSFER_SYNTAX_UID = 0x00020010;
    /** (0002,0012) Implementation Class UID. */
    public static final int IMPLEMENTATION_CLASS_UID = 0x00020012;
    /** (0002,0013) Implementation Version Name. */
    public static final int IMPLEMENTATION_VERSION_NAME = 0x00020013;
    /** (0008,0005) Specific Character Set. */
    public static final int SPECIFIC_CHARACTER_SET = 0x00080005;
    /** (0008,0016) SOP Class UID. */
    public static final int SOP_CLASS_UID = 0x00080016;
    /** (0008,0018) SOP Instance UID. */
    public static final int SOP_INSTANCE_UID = 0x00080018;
    /** (0028,0002) Samples per Pixel. */
    public static final int SAMPLES_PER_PIXEL = 0x00280002;
    /** (0028,0004) Photometric Interpretation. */
    public static final int PHOTOMETRIC_INTERPRETATION = 0x00280004;
    /** (0028,0006) Planar Configuration. */
    public static final int PLANAR_CONFIGURATION = 0x00280006;
    /** (0028,0008) Number of Frames. */
    public static final int NUMBER_OF_FRAMES = 0x00280008;
    /** (0028,0010) Rows. */
    public static final int ROWS = 0x00280010;
    /** (0028,0011) Columns. */
    public static final int COLUMNS = 0x00280011;
    /** (0028,0100) Bits Allocated. */
    public static final int BITS_ALLOCATED = 0x00280100;
    /** (0028,0101) Bits Stored. */
    public static final int BITS_STORED = 0x00280101;
    /** (0028,0102) High Bit. */
    public static final int HIGH_BIT = 0x00280102;
    /** (0028,0103) Pixel Representation. */
    public static final int PIXEL_REPRESENTATION = 0x00280103;
    /** (7FE0,0008) Float Pixel Data. */
    public static final int FLOAT_PIXEL_DATA = 0x7FE00008;
    /** (7FE0,0009) Double Float Pixel Data. */
    public static final int DOUBLE_FLOAT_PIXEL_DATA = 0x7FE00009;
    /** (7FE0,0010) Pixel Data. */
    public static final int PIXEL_DATA = 0x7FE00010;
    /** (FFFE,E000) Item. */
    public static final int ITEM = 0xFFFEE000;
    /** (FFFE,E00D) Item Delimitation Item. */
    public static final int ITEM_DELIMITATION = 0xFFFEE00D;
    /** (FFFE,E0DD) Sequence Delimitation Item. */
    public static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;

    private Tag() {
    }

    /** The tag of a group and an element (each 0..0xFFFF). */
    public static int of(int group, int element) {
        if ((group & ~0xFFFF) != 0 || (element & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("group and element must be 16-bit numbers");
        }
        return group << 16 | element;
    }

    /** The group number, 0..0xFFFF. */
    public static int group(int tag) {
        return tag >>> 16;
    }

    /** The element number, 0..0xFFFF. */
    public static int element(int tag) {
        return tag & 0xFFFF;
    }

    /** {@code true} for a tag in an odd group above 0x0008 (a private data element or creator). */
    public static boolean isPrivate(int tag) {
        int group = group(tag);
        return (group & 1) == 1 && group > 0x0008 && group != 0xFFFF;
    }

    /** {@code true} for a private creator element, {@code (gggg,0010)} to {@code (gggg,00FF)} in an odd group. */
    public static boolean isPrivateCreator(int tag) {
        int element = element(tag);
        return isPrivate(tag) && element >= 0x0010 && element <= 0x00FF;
    }

    /**
     * The private creator tag that reserves a private data element: {@code (gggg,10xx)} is
     * reserved by {@code (gggg,0010)}; {@code -1} when the tag is not a private data element.
     */
    public static int creatorOf(int tag) {
        int element = element(tag);
        if (!isPrivate(tag) || element < 0x1000) {
            return -1;
        }
        return (tag & 0xFFFF0000) | (element >>> 8);
    }

    /** {@code true} for a group length tag {@code (gggg,0000)}. */
    public static boolean isGroupLength(int tag) {
        return element(tag) == 0;
    }

    /** Compares two tags as unsigned numbers: the order of a data set. */
    public static int compare(int a, int b) {
        return Integer.compareUnsigned(a, b);
    }

    /** The tag in the standard's form {@code (gggg,eeee)}, upper-case hexadecimal. */
    public static String toString(int tag) {
        char[] out = {'(', 0, 0, 0, 0, ',', 0, 0, 0, 0, ')'};
        for (int i = 0; i < 4; i++) {
            out[1 + i] = Character.toUpperCase(Character.forDigit((tag >>> (28 - 4 * i)) & 0xF, 16));
            out[6 + i] = Character.toUpperCase(Character.forDigit((tag >>> (12 - 4 * i)) & 0xF, 16));
        }
        return new String(out);
    }

    /**
     * Parses {@code (gggg,eeee)}, {@code gggg,eeee} or {@code ggggeeee} (hexadecimal).
     *
     * @throws IllegalArgumentException when the text is not a tag
     */
    public static int parse(String text) {
        String s = text.strip();
        if (s.startsWith("(") && s.endsWith(")")) {
            s = s.substring(1, s.length() - 1);
        }
        s = s.replace(",", "");
        if (s.length() != 8) {
            throw new IllegalArgumentException("not a tag (expected (gggg,eeee)): " + text);
        }
        try {
            return (int) Long.parseLong(s, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a tag (expected (gggg,eeee)): " + text, e);
        }
    }
}
