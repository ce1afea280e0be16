package eu.hbp.mip.anonymiser.dicom.codec;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds hand-made (often malformed) explicit VR little endian DICOM bytes for tests. */
final class Craft {

    static final int UNDEFINED = -1;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A Part 10 file start: preamble, DICM, a meta group with the given transfer syntax. */
    static Craft part10(String transferSyntax) {
        Craft meta = new Craft().text(0x00020010, "UI", transferSyntax);
        byte[] body = meta.bytes();
        Craft c = new Craft();
        c.raw(new byte[128]).raw("DICM".getBytes(StandardCharsets.US_ASCII));
        c.element(0x00020000, "UL", le(4).putInt(body.length).array());
        return c.raw(body);
    }

    Craft raw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    Craft text(int tag, String vr, String value) {
        byte[] b = value.getBytes(StandardCharsets.ISO_8859_1);
        if ((b.length & 1) == 1) {
            b = java.util.Arrays.copyOf(b, b.length + 1);
            b[b.length - 1] = (byte) ("UI".equals(vr) ? 0 : ' ');
        }
        return element(tag, vr, b);
    }

    Craft element(int tag, String vr, byte[] value) {
        return header(tag, vr, value.length).raw(value);
    }

    /** An element header with any length (UNDEFINED for 0xFFFFFFFF). */
    Craft header(int tag, String vr, long length) {
        ByteBuffer b = le(12);
        b.putShort((short) (tag >>> 16)).putShort((short) tag);
        b.put((byte) vr.charAt(0)).put((byte) vr.charAt(1));
        if (VR.valueOf(vr).hasLongLength()) {
            b.putShort((short) 0).putInt((int) length);
            return raw(b.array());
        }
        b.putShort((short) length);
        return raw(java.util.Arrays.copyOf(b.array(), 8));
    }

    /** An item, delimiter or fragment header: tag and 4-byte length, no VR. */
    Craft item(int tag, long length) {
        return raw(le(8).putShort((short) (tag >>> 16)).putShort((short) tag).putInt((int) length).array());
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
