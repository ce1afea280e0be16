package eu.hbp.mip.anonymiser.nifti;

import eu.hbp.mip.anonymiser.api.FormatException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One NIfTI-1 (348 bytes) or NIfTI-2 (540 bytes) header, read from its bytes in either byte
 * order and checked: the magic, {@code dim}, {@code bitpix} and {@code vox_offset}. The text
 * fields can be rewritten in place ({@link #setText}); nothing else of the header changes but
 * {@code vox_offset} ({@link #setVoxOffset}). Not thread-safe: one instance per file.
 *
 * <p>Every {@link FormatException} it throws names the field and its byte offset and what was
 * expected, never a value read from the file.
 */
final class NiftiHeader {

    /** The NIfTI-1 header size. */
    static final int SIZE_1 = 348;
    /** The NIfTI-2 header size. */
    static final int SIZE_2 = 540;

    /** A text field of the header. */
    enum Text {
        DESCRIP("descrip", 148, 80, 240, 80),
        AUX_FILE("aux_file", 228, 24, 320, 24),
        INTENT_NAME("intent_name", 328, 16, 508, 16),
        /** NIfTI-1 only (an unused Analyze field); NIfTI-2 has none. */
        DB_NAME("db_name", 14, 18, -1, 0);

        final String field;
        private final int offset1;
        private final int length1;
        private final int offset2;
        private final int length2;

        Text(String field, int offset1, int length1, int offset2, int length2) {
            this.field = field;
            this.offset1 = offset1;
            this.length1 = length1;
            this.offset2 = offset2;
            this.length2 = length2;
        }

        /** @return the field's length in bytes in NIfTI-1 (the longest of the two versions) */
        int maxLength() {
            return Math.max(length1, length2);
        }

        /**
         * @param profileName a profile key
         * @return the field, or null if none has that name
         */
        static Text of(String profileName) {
            for (Text t : values()) {
                if (t.field.equals(profileName)) {
                    return t;
                }
            }
            return null;
        }
    }

    private static final byte[] MAGIC_1_SINGLE = {'n', '+', '1', 0};
    private static final byte[] MAGIC_1_PAIR = {'n', 'i', '1', 0};
    private static final byte[] MAGIC_2_SINGLE = {'n', '+', '2', 0, '\r', '\n', 0x1A, '\n'};
    private static final byte[] MAGIC_2_PAIR = {'n', 'i', '2', 0, '\r', '\n', 0x1A, '\n'};

    private final byte[] bytes;
    private final ByteBuffer view;
    private final int version;
    private final boolean pair;
    private final long voxOffset;
    private final long dataBytes;

    private NiftiHeader(byte[] bytes, ByteOrder order, int version, long maxDataBytes) {
        this.bytes = bytes;
        this.view = ByteBuffer.wrap(bytes).order(order);
        this.version = version;
        byte[] magic = version == 1 ? Arrays.copyOfRange(bytes, 344, 348) : Arrays.copyOfRange(bytes, 4, 12);
        if (version == 1 ? Arrays.equals(magic, MAGIC_1_SINGLE) : Arrays.equals(magic, MAGIC_2_SINGLE)) {
            pair = false;
        } else if (version == 1 ? Arrays.equals(magic, MAGIC_1_PAIR) : Arrays.equals(magic, MAGIC_2_PAIR)) {
            pair = true;
        } else {
            throw version == 1
                    ? new FormatException(344, "magic at byte 344 must be \"n+1\" (a .nii file) or \"ni1\""
                    + " (a .hdr/.img pair); an Analyze 7.5 header without NIfTI magic is not accepted")
                    : new FormatException(4, "magic at byte 4 must be \"n+2\" or \"ni2\" followed by"
                    + " \\r\\n\\032\\n (a NIfTI-2 header)");
        }
        int dimAt = version == 1 ? 40 : 16;
        long dim0 = dim(0);
        if (dim0 < 1 || dim0 > 7) {
            throw new FormatException(dimAt, "dim[0] at byte " + dimAt + " must be 1 to 7 (the number of dimensions)");
        }
        int bitpixAt = version == 1 ? 72 : 14;
        int bitpix = view.getShort(bitpixAt);
        if (bitpix != 1 && bitpix != 8 && bitpix != 16 && bitpix != 24 && bitpix != 32 && bitpix != 64
                && bitpix != 96 && bitpix != 128 && bitpix != 256) {
            throw new FormatException(bitpixAt, "bitpix at byte " + bitpixAt
                    + " must be one of 1, 8, 16, 24, 32, 64, 96, 128, 256");
        }
        long voxels = 1;
        for (int i = 1; i <= dim0; i++) {
            long d = dim(i);
            int at = dimAt + i * (version == 1 ? 2 : 8);
            if (d < 1) {
                throw new FormatException(at, "dim[" + i + "] at byte " + at + " must be at least 1");
            }
            try {
                voxels = Math.multiplyExact(voxels, d);
            } catch (ArithmeticException e) {
                throw new FormatException(at, "dim[1.." + dim0 + "] multiply past 2^63 voxels");
            }
        }
        long bits;
        try {
            bits = Math.multiplyExact(voxels, (long) bitpix);
        } catch (ArithmeticException e) {
            bits = Long.MAX_VALUE;
        }
        dataBytes = bits == Long.MAX_VALUE ? Long.MAX_VALUE : (bits + 7) / 8;
        if (dataBytes > maxDataBytes) {
            throw new FormatException(dimAt, "dim and bitpix describe more image data than the bound of "
                    + maxDataBytes + " bytes (option nifti.max-image-bytes)");
        }
        int voxAt = version == 1 ? 108 : 168;
        if (version == 1) {
            float f = view.getFloat(voxAt);
            if (!(f >= 0) || f != Math.rint(f) || f > 1L << 40) {
                throw new FormatException(voxAt, "vox_offset at byte 108 must be a whole, non-negative number");
            }
            voxOffset = (long) f;
        } else {
            voxOffset = view.getLong(voxAt);
            if (voxOffset < 0) {
                throw new FormatException(voxAt, "vox_offset at byte 168 must not be negative");
            }
        }
        if (!pair && voxOffset < size() + 4L) {
            throw new FormatException(voxAt, "vox_offset at byte " + voxAt + " must be at least " + (size() + 4)
                    + " in a single-file NIfTI (the header and the 4-byte extension flag come first)");
        }
    }

    /**
     * The header size and byte order from the first four bytes, or 0 when they are not 348
     * or 540 in either byte order.
     *
     * @param head at least 4 bytes
     * @return 348, 540, or 0
     */
    static int sizeOf(ByteBuffer head) {
        if (head.remaining() < 4) {
            return 0;
        }
        int le = head.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt();
        int be = head.duplicate().order(ByteOrder.BIG_ENDIAN).getInt();
        for (int v : new int[] {le, be}) {
            if (v == SIZE_1 || v == SIZE_2) {
                return v;
            }
        }
        return 0;
    }

    /**
     * Reads and checks a header.
     *
     * @param bytes the leading bytes of the file
     * @param length how many of them are valid
     * @param maxDataBytes the hard bound of the image data
     * @return the header (a copy of its bytes)
     * @throws FormatException if the header is truncated or broken
     */
    static NiftiHeader parse(byte[] bytes, int length, long maxDataBytes) {
        if (length < 4) {
            throw new FormatException(0, "the file ends at byte " + length + ", before sizeof_hdr (4 bytes at byte 0)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, length);
        int le = b.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt();
        int be = b.duplicate().order(ByteOrder.BIG_ENDIAN).getInt();
        ByteOrder order;
        int size;
        if (le == SIZE_1 || le == SIZE_2) {
            order = ByteOrder.LITTLE_ENDIAN;
            size = le;
        } else if (be == SIZE_1 || be == SIZE_2) {
            order = ByteOrder.BIG_ENDIAN;
            size = be;
        } else {
            throw new FormatException(0, "sizeof_hdr at byte 0 must be 348 (NIfTI-1) or 540 (NIfTI-2),"
                    + " in either byte order");
        }
        if (length < size) {
            throw new FormatException(length, "the file ends at byte " + length + ", inside the " + size
                    + "-byte NIfTI-" + (size == SIZE_1 ? 1 : 2) + " header");
        }
        return new NiftiHeader(Arrays.copyOf(bytes, size), order, size == SIZE_1 ? 1 : 2, maxDataBytes);
    }

    private long dim(int i) {
        return version == 1 ? view.getShort(40 + 2 * i) : view.getLong(16 + 8 * i);
    }

    /** @return 1 or 2 */
    int version() {
        return version;
    }

    /** @return 348 or 540 */
    int size() {
        return bytes.length;
    }

    /** @return the byte order of the file */
    ByteOrder order() {
        return view.order();
    }

    /** @return whether this is the header of a .hdr/.img pair (magic ni1/ni2) */
    boolean pair() {
        return pair;
    }

    /** @return where the image data starts: in this file, or in the .img of a pair */
    long voxOffset() {
        return voxOffset;
    }

    /** @return the image data's size from dim and bitpix */
    long dataBytes() {
        return dataBytes;
    }

    /**
     * @param text a text field
     * @return whether this version has it
     */
    boolean has(Text text) {
        return version == 1 || text.offset2 >= 0;
    }

    /**
     * @param text a text field
     * @return whether it holds anything but NUL bytes
     */
    boolean isSet(Text text) {
        int off = version == 1 ? text.offset1 : text.offset2;
        int len = version == 1 ? text.length1 : text.length2;
        for (int i = off; i < off + len; i++) {
            if (bytes[i] != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Overwrites a text field: {@code value} (ASCII, cut to the field's length less one) then
     * NUL bytes; null clears it.
     *
     * @param text a field this version has
     * @param value the new text, or null
     */
    void setText(Text text, String value) {
        int off = version == 1 ? text.offset1 : text.offset2;
        int len = version == 1 ? text.length1 : text.length2;
        Arrays.fill(bytes, off, off + len, (byte) 0);
        if (value != null) {
            byte[] v = value.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(v, 0, bytes, off, Math.min(v.length, len - 1));
        }
    }

    /** Clears the fields no reader uses and a writer may have filled: data_type (NIfTI-1), unused_str (NIfTI-2). */
    void clearUnused() {
        if (version == 1) {
            Arrays.fill(bytes, 4, 14, (byte) 0);
        } else {
            Arrays.fill(bytes, 525, 540, (byte) 0);
        }
    }

    /** @param offset the new vox_offset */
    void setVoxOffset(long offset) {
        if (version == 1) {
            view.putFloat(108, offset);
        } else {
            view.putLong(168, offset);
        }
    }

    /** @return the header's bytes as they now are */
    byte[] bytes() {
        return bytes.clone();
    }
}
