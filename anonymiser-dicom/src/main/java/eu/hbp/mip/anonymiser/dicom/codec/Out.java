package eu.hbp.mip.anonymiser.dicom.codec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/** Buffered output to a channel (bulk copied with transferTo) or to a stream (deflate). */
final class Out {

    private final WritableByteChannel channel;
    private final OutputStream stream;
    private final ByteBuffer buf = ByteBuffer.allocate(16 * 1024);

    Out(WritableByteChannel channel) {
        this.channel = channel;
        this.stream = null;
    }

    Out(OutputStream stream) {
        this.channel = null;
        this.stream = stream;
    }

    private void room(int n) throws IOException {
        if (buf.remaining() < n) {
            flush();
        }
    }

    void u8(int v) throws IOException {
        room(1);
        buf.put((byte) v);
    }

    void u16(int v, boolean bigEndian) throws IOException {
        room(2);
        buf.order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN).putShort((short) v);
    }

    void u32(long v, boolean bigEndian) throws IOException {
        room(4);
        buf.order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN).putInt((int) v);
    }

    void tag(int tag, boolean bigEndian) throws IOException {
        u16(tag >>> 16, bigEndian);
        u16(tag & 0xFFFF, bigEndian);
    }

    void bytes(byte[] b, int off, int len) throws IOException {
        if (len > buf.capacity()) {
            flush();
            write(ByteBuffer.wrap(b, off, len));
            return;
        }
        room(len);
        buf.put(b, off, len);
    }

    void bytes(ByteBuffer b) throws IOException {
        flush();
        write(b);
    }

    /** Copies length bytes of a file from offset: transferTo for a channel target. */
    void copy(FileChannel src, long offset, long length) throws IOException {
        flush();
        long end = offset + length;
        if (channel != null) {
            long at = offset;
            while (at < end) {
                long n = src.transferTo(at, end - at, channel);
                if (n <= 0) {
                    if (at >= src.size()) {
                        throw new DicomFormatException(at, -1, "source file shrank since it was read");
                    }
                    // The target took nothing this time: move one chunk by hand, never spin.
                    ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(64 * 1024, end - at));
                    int r = src.read(chunk, at);
                    if (r < 0) {
                        throw new DicomFormatException(at, -1, "source file shrank since it was read");
                    }
                    chunk.flip();
                    write(chunk);
                    n = r;
                }
                at += n;
            }
        } else {
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            long at = offset;
            while (at < end) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), end - at));
                int r = src.read(chunk, at);
                if (r < 0) {
                    throw new DicomFormatException(at, -1, "source file shrank since it was read");
                }
                stream.write(chunk.array(), 0, r);
                at += r;
            }
        }
    }

    void flush() throws IOException {
        buf.flip();
        write(buf);
        buf.clear();
    }

    private void write(ByteBuffer b) throws IOException {
        if (channel != null) {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } else if (b.hasArray()) {
            stream.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
            b.position(b.limit());
        } else {
            byte[] tmp = new byte[b.remaining()];
            b.get(tmp);
            stream.write(tmp);
        }
    }
}
