package eu.hbp.mip.anonymiser.dimse;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A flat set of data elements in implicit VR little endian: a DIMSE command set (group
 * 0000, PS3.7 6.3.1) or a simple query identifier. Values are kept as raw bytes; sequences
 * in a decoded identifier are skipped (with a bounded depth), as a query needs none. Not
 * thread-safe; {@link #toString()} shows tags only, never a value.
 */
final class Elements {

    private static final int MAX_DEPTH = 8;
    private static final int ITEM = 0xFFFEE000;
    private static final int ITEM_DELIMITATION = 0xFFFEE00D;
    private static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;
    private static final long UNDEFINED = 0xFFFFFFFFL;

    /** Tags whose value is a UID, padded with NUL (every other string is padded with a space). */
    private static boolean isUid(int tag) {
        return tag == Dicom.AFFECTED_SOP_CLASS_UID || tag == Dicom.AFFECTED_SOP_INSTANCE_UID
                || tag == Dicom.STUDY_INSTANCE_UID || tag == Dicom.SERIES_INSTANCE_UID || tag == Dicom.SOP_INSTANCE_UID;
    }

    private final TreeMap<Integer, byte[]> values = new TreeMap<>(Integer::compareUnsigned);

    Elements putString(int tag, String value) {
        byte[] b = value.getBytes(StandardCharsets.ISO_8859_1);
        if (b.length % 2 == 1) {
            byte[] padded = new byte[b.length + 1];
            System.arraycopy(b, 0, padded, 0, b.length);
            padded[b.length] = isUid(tag) ? 0 : (byte) ' ';
            b = padded;
        }
        values.put(tag, b);
        return this;
    }

    Elements putUs(int tag, int value) {
        values.put(tag, new byte[] {(byte) value, (byte) (value >>> 8)});
        return this;
    }

    Elements putUl(int tag, long value) {
        values.put(tag, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) value).array());
        return this;
    }

    boolean has(int tag) {
        return values.containsKey(tag);
    }

    /** @return the value as a string without its padding, or empty if absent */
    Optional<String> string(int tag) {
        byte[] b = values.get(tag);
        if (b == null) {
            return Optional.empty();
        }
        int end = b.length;
        while (end > 0 && (b[end - 1] == 0 || b[end - 1] == ' ')) {
            end--;
        }
        int start = 0;
        while (start < end && b[start] == ' ') {
            start++;
        }
        return Optional.of(new String(b, start, end - start, StandardCharsets.ISO_8859_1));
    }

    /** @return an unsigned short value, or {@code fallback} if absent or not two bytes */
    int us(int tag, int fallback) {
        byte[] b = values.get(tag);
        if (b == null || b.length != 2) {
            return fallback;
        }
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8;
    }

    /** @return an unsigned short value */
    int us(int tag) throws ProtocolException {
        int v = us(tag, -1);
        if (v < 0) {
            throw new ProtocolException(ProtocolException.INVALID_PARAMETER, "the command set lacks element "
                    + tagString(tag) + " (US)");
        }
        return v;
    }

    /** @return the encoding, with a leading group length (0000,0000) when {@code groupLength} */
    byte[] encode(boolean groupLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<Integer, byte[]> e : values.entrySet()) {
            if (e.getKey() != Dicom.COMMAND_GROUP_LENGTH) {
                write(out, e.getKey(), e.getValue());
            }
        }
        byte[] body = out.toByteArray();
        if (!groupLength) {
            return body;
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream(body.length + 12);
        write(all, Dicom.COMMAND_GROUP_LENGTH, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(body.length).array());
        all.writeBytes(body);
        return all.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, int tag, byte[] value) {
        ByteBuffer h = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        h.putShort((short) (tag >>> 16)).putShort((short) tag).putInt(value.length);
        out.writeBytes(h.array());
        out.writeBytes(value);
    }

    /**
     * Decodes implicit VR little endian elements; sequences (undefined or defined length) are skipped.
     *
     * @throws ProtocolException if a length runs past the end or sequences nest too deep
     */
    static Elements decode(byte[] bytes) throws ProtocolException {
        Elements e = new Elements();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        e.read(b, 0, false);
        return e;
    }

    /** Reads elements until the buffer ends or, inside an item of undefined length, its delimiter. */
    private void read(ByteBuffer b, int depth, boolean inItem) throws ProtocolException {
        while (b.remaining() > 0) {
            if (b.remaining() < 8) {
                throw malformed(b, "an element header is cut short");
            }
            int tag = (b.getShort() & 0xFFFF) << 16 | (b.getShort() & 0xFFFF);
            long length = b.getInt() & 0xFFFFFFFFL;
            if (tag == ITEM_DELIMITATION && inItem) {
                return;
            }
            if (length == UNDEFINED) {
                skipSequence(b, depth + 1);
                continue;
            }
            if (length > b.remaining()) {
                throw malformed(b, "element " + tagString(tag) + " of " + length + " bytes runs past the end");
            }
            byte[] v = new byte[(int) length];
            b.get(v);
            if (depth == 0) {
                values.put(tag, v);
            }
        }
        if (inItem) {
            throw malformed(b, "an item of undefined length has no delimiter");
        }
    }

    private void skipSequence(ByteBuffer b, int depth) throws ProtocolException {
        if (depth > MAX_DEPTH) {
            throw malformed(b, "sequences nest deeper than " + MAX_DEPTH);
        }
        while (true) {
            if (b.remaining() < 8) {
                throw malformed(b, "a sequence of undefined length has no delimiter");
            }
            int tag = (b.getShort() & 0xFFFF) << 16 | (b.getShort() & 0xFFFF);
            long length = b.getInt() & 0xFFFFFFFFL;
            if (tag == SEQUENCE_DELIMITATION) {
                return;
            }
            if (tag != ITEM) {
                throw malformed(b, "expected an item in a sequence, found " + tagString(tag));
            }
            if (length == UNDEFINED) {
                read(b, depth, true);
            } else if (length > b.remaining()) {
                throw malformed(b, "an item of " + length + " bytes runs past the end");
            } else {
                b.position(b.position() + (int) length);
            }
        }
    }

    private static ProtocolException malformed(ByteBuffer b, String what) {
        return new ProtocolException(ProtocolException.INVALID_PARAMETER, "malformed data set at byte "
                + b.position() + ": " + what);
    }

    static String tagString(int tag) {
        return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Elements[");
        values.keySet().forEach(t -> s.append(tagString(t)));
        return s.append(']').toString();
    }
}
