package eu.hbp.mip.anonymiser.dicom.codec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/** A buffered, seekable reader over a file channel that knows its absolute position. */
final class Input {

    private static final int CAPACITY = 16 * 1024;

    private final FileChannel channel;
    private final long size;
    private final ByteBuffer buf = ByteBuffer.allocate(CAPACITY);
    private long bufStart;

    Input(FileChannel channel) throws IOException {
        this.channel = channel;
        this.size = channel.size();
        buf.limit(0);
    }

    long size() {
        return size;
    }

    long pos() {
        return bufStart + buf.position();
    }

    /** Makes n bytes (n at most the capacity) available, or fails naming the tag. */
    private void ensure(int n, int tag) throws IOException {
        if (buf.remaining() >= n) {
            return;
        }
        if (pos() + n > size) {
            throw new DicomFormatException(pos(), tag, "file ends before the expected " + n + " bytes");
        }
        bufStart += buf.position();
        buf.compact();
        while (buf.position() < n) {
            int r = channel.read(buf, bufStart + buf.position());
            if (r < 0) {
                buf.flip();
                throw new DicomFormatException(pos(), tag, "file ends before the expected " + n + " bytes");
            }
        }
        buf.flip();
    }

    int peekU16(boolean bigEndian) throws IOException {
        ensure(2, -1);
        buf.order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        return buf.getShort(buf.position()) & 0xFFFF;
    }

    int u8(int tag) throws IOException {
        ensure(1, tag);
        return buf.get() & 0xFF;
    }

    int u16(boolean bigEndian, int tag) throws IOException {
        ensure(2, tag);
        buf.order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        return buf.getShort() & 0xFFFF;
    }

    long u32(boolean bigEndian, int tag) throws IOException {
        ensure(4, tag);
        buf.order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        return buf.getInt() & 0xFFFFFFFFL;
    }

    int tag(boolean bigEndian) throws IOException {
        ensure(4, -1);
        buf.order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int group = buf.getShort() & 0xFFFF;
        int element = buf.getShort() & 0xFFFF;
        return group << 16 | element;
    }

    byte[] bytes(int n, int tag) throws IOException {
        if (pos() + n > size) {
            throw new DicomFormatException(pos(), tag, "value runs past the end of the file");
        }
        byte[] out = new byte[n];
        if (n <= CAPACITY) {
            ensure(n, tag);
            buf.get(out);
            return out;
        }
        int have = buf.remaining();
        buf.get(out, 0, have);
        long at = pos();
        ByteBuffer dst = ByteBuffer.wrap(out, have, n - have);
        while (dst.hasRemaining()) {
            int r = channel.read(dst, at + dst.position() - have);
            if (r < 0) {
                throw new DicomFormatException(at, tag, "file ends inside a value");
            }
        }
        seek(at + n - have);
        return out;
    }

    void seek(long p) {
        if (p >= bufStart && p <= bufStart + buf.limit()) {
            buf.position((int) (p - bufStart));
        } else {
            bufStart = p;
            buf.clear().limit(0);
        }
    }

    void skip(long n) {
        seek(pos() + n);
    }
}
