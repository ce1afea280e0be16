package eu.hbp.mip.anonymiser.dicom.codec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes a {@link DicomFile} as a Part 10 file, in the transfer syntax it was read in.
 *
 * <p>What it writes:
 * <ul>
 *   <li>a zero preamble, {@code DICM}, and the meta group with its group length recomputed,
 *       the transfer syntax, Media Storage SOP Class/Instance UIDs following the data set's
 *       SOP Class/Instance UIDs when it has them, and this implementation's
 *       {@link #IMPLEMENTATION_CLASS_UID} and {@link #IMPLEMENTATION_VERSION_NAME} (a raw data
 *       set without meta gets a meta group too);</li>
 *   <li>the data set, with sequences and items of undefined length kept undefined and
 *       defined lengths recomputed after edits, group lengths (gggg,0000) recomputed, odd
 *       values padded to even length (text with a space, others with a zero byte);</li>
 *   <li>bulk values and encapsulated pixel data copied from the source with
 *       {@code FileChannel.transferTo}, never held in memory; native pixel data passes through
 *       the {@link PixelDataFilter}, if any, one frame at a time.</li>
 * </ul>
 * A file read and written without edits is byte-identical for explicit VR little endian with
 * defined lengths and even values, except the meta group's implementation UID and version.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * try (DicomFile file = DicomReader.read(in)) {
 *     file.dataSet().remove("PatientName");
 *     new DicomWriter().withPixelDataFilter(blanker).write(file, out);
 * }
 * }</pre>
 */
public final class DicomWriter {

    /**
     * This implementation's class UID: {@code 2.25.} and the decimal form of the name-based UUID
     * of {@code "eu.hbp.mip.anonymiser"} ({@code UUID.nameUUIDFromBytes}), derived once.
     */
    public static final String IMPLEMENTATION_CLASS_UID = "2.25.205535024141663089630763285678298793584";
    /** This implementation's version name. */
    public static final String IMPLEMENTATION_VERSION_NAME = "MIP_ANON_0_1";

    private static final long UNDEFINED = 0xFFFFFFFFL;

    private final PixelDataFilter pixelFilter;

    /** A writer that copies pixel data unchanged. */
    public DicomWriter() {
        this(null);
    }

    private DicomWriter(PixelDataFilter pixelFilter) {
        this.pixelFilter = pixelFilter;
    }

    /**
     * A writer that passes native pixel data (7FE0,0010) of the top-level data set through a
     * filter, frame by frame. For a file with encapsulated (compressed) pixel data,
     * {@link #write} refuses with a {@link DicomFormatException}: check
     * {@link TransferSyntax#encapsulated()} first.
     */
    public DicomWriter withPixelDataFilter(PixelDataFilter filter) {
        return new DicomWriter(filter);
    }

    /**
     * Writes to a file, created or truncated.
     *
     * @throws IllegalArgumentException when the target is the file that was read (its bulk data
     *         would be truncated before it is copied)
     */
    public void write(DicomFile file, Path target) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        if (absolute.equals(file.source().toAbsolutePath().normalize())
                || absolute.equals(file.bulkSource().toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("cannot write a DICOM file over the file it was read from");
        }
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            write(file, out);
        }
    }

    /**
     * Writes to a channel, which stays open.
     *
     * @throws DicomFormatException when the pixel filter cannot be applied to this file's pixel data
     */
    public void write(DicomFile file, WritableByteChannel target) throws IOException {
        FileChannel open = file.channel();
        if (open != null) {
            write(file, target, open);
            return;
        }
        try (FileChannel src = FileChannel.open(file.bulkSource(), StandardOpenOption.READ)) {
            write(file, target, src);
        }
    }

    private void write(DicomFile file, WritableByteChannel target, FileChannel src) throws IOException {
        TransferSyntax ts = file.transferSyntax();
        Out out = new Out(target);
        out.bytes(new byte[128], 0, 128);
        out.bytes(new byte[] {'D', 'I', 'C', 'M'}, 0, 4);
        Context ctx = new Context(src, file.dataSet(), ts);
        writeDataSet(ctx, out, metaFor(file), true, false);
        if (ts.deflated()) {
            out.flush();
            Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            try {
                OutputStream raw = Channels.newOutputStream(new Unclosable(target));
                DeflaterOutputStream dos = new DeflaterOutputStream(raw, deflater, 64 * 1024);
                Out deflated = new Out(dos);
                writeDataSet(ctx, deflated, file.dataSet(), true, false);
                deflated.flush();
                dos.finish();
                dos.flush();
            } finally {
                deflater.end();
            }
        } else {
            writeDataSet(ctx, out, file.dataSet(), ts.explicitVr(), ts.bigEndian());
            out.flush();
        }
    }

    private static DataSet metaFor(DicomFile file) {
        DataSet meta = new DataSet(false);
        for (Element e : file.meta().elements()) {
            meta.put(e);
        }
        DataSet ds = file.dataSet();
        if (!meta.contains(Tag.FILE_META_VERSION)) {
            meta.put(new Element(Tag.FILE_META_VERSION, VR.OB, new Value.Bytes(new byte[] {0, 1})));
        }
        if (!meta.contains(Tag.FILE_META_GROUP_LENGTH)) {
            meta.put(new Element(Tag.FILE_META_GROUP_LENGTH, VR.UL, new Value.Bytes(new byte[4])));
        }
        followBytes(meta, Tag.MEDIA_STORAGE_SOP_CLASS_UID, ds.get(Tag.SOP_CLASS_UID));
        followBytes(meta, Tag.MEDIA_STORAGE_SOP_INSTANCE_UID, ds.get(Tag.SOP_INSTANCE_UID));
        follow(meta, Tag.TRANSFER_SYNTAX_UID, Optional.of(file.transferSyntax().uid()));
        follow(meta, Tag.IMPLEMENTATION_CLASS_UID, Optional.of(IMPLEMENTATION_CLASS_UID));
        Optional<String> version = Optional.of(IMPLEMENTATION_VERSION_NAME);
        if (!meta.string(Tag.IMPLEMENTATION_VERSION_NAME).equals(version)) {
            meta.putString(Tag.IMPLEMENTATION_VERSION_NAME, VR.SH, IMPLEMENTATION_VERSION_NAME);
        }
        return meta;
    }

    /** Copies a data set UID's bytes (as they are) into the meta group when they differ. */
    private static void followBytes(DataSet meta, int tag, Optional<Element> source) {
        if (source.isEmpty() || !(source.get().value() instanceof Value.Bytes b)
                || b.data().length == 0 || b.data().length > 64) {
            return;
        }
        Optional<Element> current = meta.get(tag);
        if (current.isPresent() && current.get().value() instanceof Value.Bytes c
                && java.util.Arrays.equals(c.data(), b.data())) {
            return;
        }
        meta.put(new Element(tag, VR.UI, new Value.Bytes(b.data())));
    }

    private static void follow(DataSet meta, int tag, Optional<String> value) {
        if (value.isPresent() && !value.get().isEmpty() && !meta.string(tag).equals(value)) {
            meta.putString(tag, VR.UI, value.get());
        }
    }

    /** What a write needs besides the output. */
    private record Context(FileChannel src, DataSet top, TransferSyntax ts) {
    }

    private void writeDataSet(Context ctx, Out out, DataSet ds, boolean explicit, boolean bigEndian)
            throws IOException {
        Map<Integer, Element> map = ds.map();
        List<Element> elements = new ArrayList<>(map.values());
        for (int i = 0; i < elements.size(); i++) {
            Element e = elements.get(i);
            if (Tag.isGroupLength(e.tag()) && e.value() instanceof Value.Bytes b && b.data().length == 4) {
                long length = 0;
                int group = Tag.group(e.tag());
                for (int j = i + 1; j < elements.size() && Tag.group(elements.get(j).tag()) == group; j++) {
                    length += elementLength(elements.get(j), explicit);
                }
                header(out, e.tag(), e.vr(), 4, explicit, bigEndian);
                out.u32(length, bigEndian);
                continue;
            }
            writeElement(ctx, out, ds, e, explicit, bigEndian);
        }
    }

    private void writeElement(Context ctx, Out out, DataSet ds, Element e, boolean explicit, boolean bigEndian)
            throws IOException {
        Value v = e.value();
        if (v instanceof Value.Bytes b) {
            byte[] data = b.data();
            header(out, e.tag(), e.vr(), even(data.length), explicit, bigEndian);
            out.bytes(data, 0, data.length);
            if ((data.length & 1) == 1) {
                out.u8(e.vr().paddingByte());
            }
        } else if (v instanceof Value.Bulk bulk) {
            header(out, e.tag(), e.vr(), even(bulk.length()), explicit, bigEndian);
            if (pixelFilter != null && ds == ctx.top() && e.tag() == Tag.PIXEL_DATA) {
                filterPixels(ctx, out, ds, bulk, bigEndian);
            } else {
                out.copy(ctx.src(), bulk.offset(), bulk.length());
            }
            if ((bulk.length() & 1) == 1) {
                out.u8(0);
            }
        } else if (v instanceof Value.Fragments f) {
            if (pixelFilter != null && ds == ctx.top() && e.tag() == Tag.PIXEL_DATA) {
                throw new DicomFormatException(f.offset(), e.tag(),
                        "pixel filtering needs native pixel data, this file's pixel data is encapsulated (compressed)");
            }
            header(out, e.tag(), e.vr(), UNDEFINED, explicit, bigEndian);
            out.copy(ctx.src(), f.offset(), f.length());
        } else if (v instanceof Value.Sequence s) {
            boolean itemsExplicit = explicit && e.vr() != VR.UN;
            boolean itemsBigEndian = bigEndian && e.vr() != VR.UN;
            long length = s.undefinedLength() ? UNDEFINED : sequenceLength(s, itemsExplicit);
            header(out, e.tag(), e.vr(), length, explicit, bigEndian);
            for (DataSet item : s.items()) {
                out.tag(Tag.ITEM, itemsBigEndian);
                out.u32(item.undefinedLength() ? UNDEFINED : dataSetLength(item, itemsExplicit), itemsBigEndian);
                writeDataSet(ctx, out, item, itemsExplicit, itemsBigEndian);
                if (item.undefinedLength()) {
                    out.tag(Tag.ITEM_DELIMITATION, itemsBigEndian);
                    out.u32(0, itemsBigEndian);
                }
            }
            if (s.undefinedLength()) {
                out.tag(Tag.SEQUENCE_DELIMITATION, itemsBigEndian);
                out.u32(0, itemsBigEndian);
            }
        }
    }

    private void filterPixels(Context ctx, Out out, DataSet ds, Value.Bulk bulk, boolean bigEndian)
            throws IOException {
        PixelFormat format = pixelFormat(ds, bulk.offset());
        long frameLength = format.frameLength();
        if (frameLength <= 0 || frameLength > Integer.MAX_VALUE - 16) {
            throw new DicomFormatException(bulk.offset(), Tag.PIXEL_DATA, "frame size out of range for pixel filtering");
        }
        if (frameLength * format.frames() > bulk.length()) {
            throw new DicomFormatException(bulk.offset(), Tag.PIXEL_DATA,
                    "pixel data is shorter than Rows x Columns x Samples x Bits Allocated x Number of Frames");
        }
        ByteBuffer frame = ByteBuffer.allocate((int) frameLength).order(format.order());
        long at = bulk.offset();
        for (int i = 0; i < format.frames(); i++) {
            frame.clear();
            while (frame.hasRemaining()) {
                int r = ctx.src().read(frame, at + frame.position());
                if (r < 0) {
                    throw new DicomFormatException(at, Tag.PIXEL_DATA, "source file shrank since it was read");
                }
            }
            frame.flip();
            pixelFilter.filter(format, i, frame);
            frame.position(0).limit((int) frameLength);
            out.bytes(frame);
            at += frameLength;
        }
        out.copy(ctx.src(), at, bulk.offset() + bulk.length() - at);
    }

    private static PixelFormat pixelFormat(DataSet ds, long offset) throws DicomFormatException {
        int rows = required(ds, Tag.ROWS, offset);
        int columns = required(ds, Tag.COLUMNS, offset);
        int bits = required(ds, Tag.BITS_ALLOCATED, offset);
        if (bits <= 0 || bits % 8 != 0) {
            throw new DicomFormatException(offset, Tag.BITS_ALLOCATED,
                    "pixel filtering needs Bits Allocated to be a multiple of 8");
        }
        OptionalInt spp = ds.integer(Tag.SAMPLES_PER_PIXEL);
        OptionalInt frames = ds.integer(Tag.NUMBER_OF_FRAMES);
        int nFrames = frames.orElse(1);
        if (nFrames < 1) {
            throw new DicomFormatException(offset, Tag.NUMBER_OF_FRAMES, "Number of Frames must be positive");
        }
        return new PixelFormat(rows, columns, spp.orElse(1), bits, ds.integer(Tag.BITS_STORED).orElse(bits),
                ds.integer(Tag.PIXEL_REPRESENTATION).orElse(0), ds.integer(Tag.PLANAR_CONFIGURATION).orElse(0),
                ds.string(Tag.PHOTOMETRIC_INTERPRETATION).orElse(""), nFrames, ds.order());
    }

    private static int required(DataSet ds, int tag, long offset) throws DicomFormatException {
        OptionalInt v = ds.integer(tag);
        if (v.isEmpty() || v.getAsInt() <= 0) {
            throw new DicomFormatException(offset, tag, "pixel filtering needs this attribute, positive");
        }
        return v.getAsInt();
    }

    private static void header(Out out, int tag, VR vr, long length, boolean explicit, boolean bigEndian)
            throws IOException {
        out.tag(tag, bigEndian);
        if (!explicit) {
            out.u32(length, bigEndian);
        } else if (vr.hasLongLength()) {
            out.u16(vr.code(), true);
            out.u16(0, bigEndian);
            out.u32(length, bigEndian);
        } else {
            out.u16(vr.code(), true);
            out.u16((int) length, bigEndian);
        }
    }

    private static long even(long n) {
        return n + (n & 1);
    }

    static long dataSetLength(DataSet ds, boolean explicit) {
        long total = 0;
        for (Element e : ds.map().values()) {
            total += elementLength(e, explicit);
        }
        return total;
    }

    private static long sequenceLength(Value.Sequence s, boolean itemsExplicit) {
        long total = 0;
        for (DataSet item : s.items()) {
            total += 8 + dataSetLength(item, itemsExplicit) + (item.undefinedLength() ? 8 : 0);
        }
        return total;
    }

    private static long elementLength(Element e, boolean explicit) {
        long header = explicit && e.vr().hasLongLength() ? 12 : 8;
        Value v = e.value();
        if (v instanceof Value.Sequence s) {
            long content = sequenceLength(s, explicit && e.vr() != VR.UN);
            return header + content + (s.undefinedLength() ? 8 : 0);
        }
        if (v instanceof Value.Fragments f) {
            return header + f.length();
        }
        return header + even(v.length());
    }

    /** Keeps the target channel open when the deflate stream is finished. */
    private record Unclosable(WritableByteChannel channel) implements WritableByteChannel {
        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = 0;
            while (src.hasRemaining()) {
                n += channel.write(src);
            }
            return n;
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() {
            // the caller owns the channel
        }
    }
}
