package eu.hbp.mip.anonymiser.dicom.codec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads DICOM files: Part 10 files (128-byte preamble, {@code DICM}, file meta information),
 * meta groups without preamble, and raw data sets (encoding detected from the first element).
 *
 * <p>The header is parsed into a {@link DataSet}; pixel data and bulk values (see
 * {@link ReadLimits#bulkThreshold()}) are recorded as references into the file, never loaded,
 * and encapsulated pixel data is checked by walking its item headers only. Elements after the
 * pixel data are parsed like any other. Parsing is depth-bounded, and every length is checked
 * against the end of its enclosing item and of the file before anything is read, so any input
 * ends in a {@link DicomFile} or a {@link DicomFormatException} (never another exception, an
 * {@link OutOfMemoryError} or a hang).
 *
 * <p>Stateless; thread-safe (each call has its own state).
 *
 * <pre>{@code
 * try (DicomFile file = DicomReader.read(path, ReadLimits.defaults())) {
 *     String modality = file.dataSet().string("Modality").orElse("");
 * }
 * }</pre>
 */
public final class DicomReader {

    private static final long UNDEFINED = 0xFFFFFFFFL;

    private final ReadLimits limits;
    private final Dictionary dictionary = Dictionary.standard();
    private Input in;
    private boolean inMeta;
    private long headerBytes;

    private DicomReader(ReadLimits limits) {
        this.limits = limits;
    }

    /** Reads a file with the default limits. */
    public static DicomFile read(Path file) throws IOException {
        return read(file, ReadLimits.defaults());
    }

    /**
     * Reads a file.
     *
     * @throws DicomFormatException when the file is not DICOM the codec can read, or breaks a limit
     * @throws IOException when the file cannot be read
     */
    public static DicomFile read(Path file, ReadLimits limits) throws IOException {
        return new DicomReader(limits).readFile(file);
    }

    /**
     * Whether the first bytes of a file look like DICOM: {@code DICM} at offset 128, a file
     * meta group at offset 0, or a plausible raw data set (an element of group 0008 first, in
     * implicit or explicit VR, little or big endian). Does not move the buffer's position.
     */
    public static boolean looksLikeDicom(ByteBuffer head) {
        ByteBuffer b = head.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int p = b.position();
        int n = b.remaining();
        if (n >= 132 && b.get(p + 128) == 'D' && b.get(p + 129) == 'I' && b.get(p + 130) == 'C'
                && b.get(p + 131) == 'M') {
            return true;
        }
        if (n < 8) {
            return false;
        }
        int groupLe = b.getShort(p) & 0xFFFF;
        int elementLe = b.getShort(p + 2) & 0xFFFF;
        VR vr = VR.ofCode((b.get(p + 4) & 0xFF) << 8 | b.get(p + 5) & 0xFF);
        if (vr != null) {
            int groupBe = (b.get(p) & 0xFF) << 8 | b.get(p + 1) & 0xFF;
            return (groupLe == 0x0002 || groupLe == 0x0008) && elementLe < 0x0100
                    || groupBe == 0x0008 && ((b.get(p + 2) & 0xFF) << 8 | b.get(p + 3) & 0xFF) < 0x0100;
        }
        long length = b.getInt(p + 4) & 0xFFFFFFFFL;
        return groupLe == 0x0008 && elementLe < 0x0100 && length < 0x400;
    }

    // ------------------------------------------------------------------ file level

    private DicomFile readFile(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            DicomFile read = readFile(file, ch);
            if (read.transferSyntax().deflated()) {
                ch.close();
            }
            return read;
        } catch (IOException | RuntimeException | Error e) {
            ch.close();
            throw e;
        }
    }

    private DicomFile readFile(Path file, FileChannel ch) throws IOException {
        in = new Input(ch);
        long size = in.size();
        boolean preamble = false;
        if (size >= 132) {
            in.seek(128);
            preamble = in.u8(-1) == 'D' && in.u8(-1) == 'I' && in.u8(-1) == 'C' && in.u8(-1) == 'M';
        }
        if (!preamble) {
            in.seek(0);
        }
        boolean meta = preamble || size >= 8 && in.peekU16(false) == 0x0002;
        if (!meta) {
            TransferSyntax ts = detectRaw(size);
            DataSet ds = new DataSet(ts.bigEndian());
            in.seek(0);
            readElements(ds, size, false, ts.explicitVr(), ts.bigEndian(), 0);
            return new DicomFile(new DataSet(false), false, ts, ds, file, file, null, ch);
        }
        DataSet metaSet = new DataSet(false);
        inMeta = true;
        while (in.pos() + 8 <= size && in.peekU16(false) == 0x0002) {
            readElement(metaSet, size, false, true, false, 0);
        }
        inMeta = false;
        String uid = metaSet.string(Tag.TRANSFER_SYNTAX_UID).orElse("");
        if (uid.isEmpty()) {
            throw new DicomFormatException(in.pos(), Tag.TRANSFER_SYNTAX_UID,
                    "file meta information has no transfer syntax UID");
        }
        TransferSyntax ts = TransferSyntax.of(uid);
        if (ts == null) {
            throw new DicomFormatException(-1, Tag.TRANSFER_SYNTAX_UID,
                    "transfer syntax is not a standard one (1.2.840.10008.1.2.*); private transfer syntaxes are not supported");
        }
        if (ts.deflated()) {
            return readDeflated(ch, file, metaSet, ts);
        }
        if (ts.explicitVr() && !ts.bigEndian() && looksImplicit(size)) {
            // A known writer bug: the meta group says explicit VR, the data set is implicit.
            // Read it as it is; the writer then writes implicit VR with a meta group that says so.
            ts = TransferSyntax.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        }
        DataSet ds = new DataSet(ts.bigEndian());
        readElements(ds, size, false, ts.explicitVr(), ts.bigEndian(), 0);
        return new DicomFile(metaSet, true, ts, ds, file, file, null, ch);
    }

    /** Whether the first data set element, at the current position, has no explicit VR code. */
    private boolean looksImplicit(long size) throws IOException {
        long p = in.pos();
        if (p + 8 > size) {
            return false;
        }
        int tag = in.tag(false);
        int code = in.u8(-1) << 8 | in.u8(-1);
        in.seek(p);
        return Tag.group(tag) != 0xFFFE && VR.ofCode(code) == null;
    }

    private TransferSyntax detectRaw(long size) throws IOException {
        if (size < 8) {
            throw new DicomFormatException(0, -1, "file too short to be DICOM (no preamble, no element)");
        }
        int b0 = in.u8(-1);
        int b1 = in.u8(-1);
        in.seek(4);
        int v0 = in.u8(-1);
        int v1 = in.u8(-1);
        if (VR.ofCode(v0 << 8 | v1) != null) {
            boolean bigEndian = b0 == 0 && b1 != 0;
            return TransferSyntax.of(bigEndian ? TransferSyntax.EXPLICIT_VR_BIG_ENDIAN
                    : TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        }
        return TransferSyntax.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
    }

    private DicomFile readDeflated(FileChannel ch, Path file, DataSet meta, TransferSyntax ts) throws IOException {
        long start = in.pos();
        Path tmp = Files.createTempFile("mip-dicom-inflated-", ".bin");
        boolean ok = false;
        try {
            inflate(ch, start, tmp);
            FileChannel inflated = FileChannel.open(tmp, StandardOpenOption.READ);
            try {
                in = new Input(inflated);
                DataSet ds = new DataSet(false);
                readElements(ds, in.size(), false, true, false, 0);
                ok = true;
                return new DicomFile(meta, true, ts, ds, file, tmp, tmp, inflated);
            } finally {
                if (!ok) {
                    inflated.close();
                }
            }
        } finally {
            if (!ok) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private void inflate(FileChannel ch, long start, Path tmp) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(2);
        ch.read(head, start);
        // Raw deflate (RFC 1951) as the standard says; tolerate a zlib wrapper.
        boolean zlib = head.position() == 2 && (head.get(0) & 0x0F) == 8
                && ((head.get(0) & 0xFF) << 8 | head.get(1) & 0xFF) % 31 == 0;
        Inflater inflater = new Inflater(!zlib);
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ByteBuffer src = ByteBuffer.allocate(64 * 1024);
            byte[] dst = new byte[64 * 1024];
            long readAt = start;
            long written = 0;
            while (!inflater.finished()) {
                int n;
                try {
                    n = inflater.inflate(dst);
                } catch (DataFormatException e) {
                    throw new DicomFormatException(start, -1, "deflated data set is not a valid deflate stream");
                }
                if (n == 0) {
                    if (inflater.finished()) {
                        break;
                    }
                    if (inflater.needsDictionary()) {
                        throw new DicomFormatException(start, -1, "deflated data set needs a preset dictionary");
                    }
                    if (!inflater.needsInput()) {
                        throw new DicomFormatException(start, -1, "deflated data set is not a valid deflate stream");
                    }
                    src.clear();
                    int r = ch.read(src, readAt);
                    if (r <= 0) {
                        // A truncated deflate stream ends the data set where the data ends; the
                        // parser then decides whether what was inflated is complete.
                        break;
                    }
                    readAt += r;
                    inflater.setInput(src.array(), 0, r);
                    continue;
                }
                written += n;
                if (written > limits.maxInflatedBytes()) {
                    throw new DicomFormatException(start, -1, "deflated data set inflates beyond the limit of "
                            + limits.maxInflatedBytes() + " bytes");
                }
                ByteBuffer w = ByteBuffer.wrap(dst, 0, n);
                while (w.hasRemaining()) {
                    out.write(w);
                }
            }
        } finally {
            inflater.end();
        }
    }

    // ------------------------------------------------------------------ data sets

    /**
     * Reads elements into ds until {@code end} (defined length) or an item delimiter
     * ({@code untilDelimiter}), never past {@code end}.
     */
    private void readElements(DataSet ds, long end, boolean untilDelimiter, boolean explicit, boolean bigEndian,
                              int depth) throws IOException {
        while (true) {
            long p = in.pos();
            if (!untilDelimiter && p == end) {
                return;
            }
            if (!readElement(ds, end, untilDelimiter, explicit, bigEndian, depth)) {
                return;
            }
        }
    }

    /** Reads one element; false at an item delimiter. */
    private boolean readElement(DataSet ds, long end, boolean untilDelimiter, boolean explicit, boolean bigEndian,
                                int depth) throws IOException {
        long p = in.pos();
        if (p + 8 > end) {
            throw new DicomFormatException(p, -1, untilDelimiter
                    ? "item of undefined length has no item delimitation item before the end of its container"
                    : "element header crosses the end of its item or of the file");
        }
        int tag = in.tag(bigEndian);
        if (tag == Tag.ITEM_DELIMITATION) {
            in.u32(bigEndian, tag);
            if (!untilDelimiter) {
                throw new DicomFormatException(p, tag, "item delimitation item outside an item of undefined length");
            }
            return false;
        }
        if (Tag.group(tag) == 0xFFFE) {
            throw new DicomFormatException(p, tag, "item or delimiter tag where a data element was expected");
        }
        VR vr;
        long length;
        if (explicit) {
            int code = in.u8(tag) << 8 | in.u8(tag);
            vr = VR.ofCode(code);
            if (vr == null) {
                throw new DicomFormatException(p, tag, "unknown VR code in explicit VR data");
            }
            if (vr.hasLongLength()) {
                if (p + 12 > end) {
                    throw new DicomFormatException(p, tag, "element header crosses the end of its item or of the file");
                }
                in.u16(bigEndian, tag);
                length = in.u32(bigEndian, tag);
            } else {
                length = in.u16(bigEndian, tag);
            }
        } else {
            vr = dictionary.vrOf(tag);
            length = in.u32(bigEndian, tag);
        }
        account(ReadLimits.ELEMENT_OVERHEAD, p, tag);
        long start = in.pos();
        Value value;
        if (length == UNDEFINED) {
            if (isPixelTag(tag) && vr != VR.SQ || explicit && (vr == VR.OB || vr == VR.OW)) {
                value = readFragments(tag, end, bigEndian);
            } else if (vr == VR.SQ || vr == VR.UN || !explicit) {
                boolean unAsSq = explicit && vr == VR.UN;
                if (!explicit) {
                    vr = VR.SQ;
                }
                value = readSequence(ds, tag, end, true, !unAsSq && explicit, !unAsSq && bigEndian, depth);
            } else {
                throw new DicomFormatException(p, tag, "undefined length for VR " + vr);
            }
        } else {
            if (length > end - start) {
                throw new DicomFormatException(p, tag, "value length " + length
                        + " runs past the end of its item or of the file");
            }
            if (vr == VR.SQ) {
                value = readSequence(ds, tag, start + length, false, explicit, bigEndian, depth);
                if (in.pos() != start + length) {
                    throw new DicomFormatException(p, tag, "sequence content does not match its length");
                }
            } else if (isPixelTag(tag) || vr.kind() == VR.Kind.BULK && length >= limits.bulkThreshold()) {
                value = new Value.Bulk(start, length);
                in.seek(start + length);
            } else {
                if (length > Math.min(limits.maxValueLength(), Integer.MAX_VALUE - 16)) {
                    throw new DicomFormatException(p, tag, "value length " + length + " exceeds the limit of "
                            + limits.maxValueLength() + " bytes");
                }
                account(length, p, tag);
                value = new Value.Bytes(in.bytes((int) length, tag));
            }
        }
        if (depth == 0 && Tag.group(tag) == 0x0002 && ds.parent() == null && !inMeta) {
            throw new DicomFormatException(p, tag, "file meta element (group 0002) inside the data set");
        }
        if (ds.map().putIfAbsent(tag, new Element(tag, vr, value)) != null) {
            throw new DicomFormatException(p, tag, "tag appears twice in one data set");
        }
        if (tag == Tag.SPECIFIC_CHARACTER_SET && value instanceof Value.Bytes b
                && SpecificCharacterSet.of(DataSet.splitAscii(b.data(), VR.CS)) == null) {
            throw new DicomFormatException(p, tag, "Specific Character Set is not supported"
                    + " (code extensions and unknown terms are refused)");
        }
        return true;
    }

    private Value.Sequence readSequence(DataSet parent, int tag, long end, boolean undefined, boolean explicit,
                                        boolean bigEndian, int depth) throws IOException {
        long seqStart = in.pos();
        if (depth + 1 > limits.maxDepth()) {
            throw new DicomFormatException(seqStart, tag, "sequences nested deeper than the limit of "
                    + limits.maxDepth());
        }
        List<DataSet> items = new ArrayList<>();
        while (true) {
            long p = in.pos();
            if (!undefined && p == end) {
                break;
            }
            if (p + 8 > end) {
                throw new DicomFormatException(p, tag, undefined
                        ? "sequence of undefined length has no sequence delimitation item before the end of its container"
                        : "item header crosses the end of its sequence");
            }
            int itemTag = in.tag(bigEndian);
            long itemLength = in.u32(bigEndian, tag);
            if (itemTag == Tag.SEQUENCE_DELIMITATION) {
                if (!undefined) {
                    throw new DicomFormatException(p, tag, "sequence delimitation item in a sequence of defined length");
                }
                break;
            }
            if (itemTag != Tag.ITEM) {
                throw new DicomFormatException(p, tag, "expected an item (FFFE,E000) in the sequence, found "
                        + Tag.toString(itemTag));
            }
            account(ReadLimits.ELEMENT_OVERHEAD, p, tag);
            DataSet item = new DataSet(bigEndian, parent, itemLength == UNDEFINED);
            if (itemLength == UNDEFINED) {
                readElements(item, end, true, explicit, bigEndian, depth + 1);
            } else {
                if (itemLength > end - in.pos()) {
                    throw new DicomFormatException(p, tag, "item length runs past the end of its sequence");
                }
                readElements(item, in.pos() + itemLength, false, explicit, bigEndian, depth + 1);
            }
            items.add(item);
        }
        return new Value.Sequence(items, undefined);
    }

    private Value.Fragments readFragments(int tag, long end, boolean bigEndian) throws IOException {
        long start = in.pos();
        int count = 0;
        while (true) {
            long p = in.pos();
            if (p + 8 > end) {
                throw new DicomFormatException(p, tag, "encapsulated pixel data has no sequence delimitation item");
            }
            int itemTag = in.tag(bigEndian);
            long length = in.u32(bigEndian, tag);
            if (itemTag == Tag.SEQUENCE_DELIMITATION) {
                break;
            }
            if (itemTag != Tag.ITEM) {
                throw new DicomFormatException(p, tag, "expected a fragment item (FFFE,E000) in encapsulated pixel data");
            }
            if (length == UNDEFINED || length > end - in.pos()) {
                throw new DicomFormatException(p, tag, "fragment length runs past the end of the file");
            }
            in.skip(length);
            count++;
        }
        return new Value.Fragments(start, in.pos() - start, count);
    }

    private static boolean isPixelTag(int tag) {
        return tag == Tag.PIXEL_DATA || tag == Tag.FLOAT_PIXEL_DATA || tag == Tag.DOUBLE_FLOAT_PIXEL_DATA;
    }

    private void account(long bytes, long offset, int tag) throws DicomFormatException {
        headerBytes += bytes;
        if (headerBytes > limits.maxHeaderBytes()) {
            throw new DicomFormatException(offset, tag, "header exceeds the limit of " + limits.maxHeaderBytes()
                    + " bytes in memory");
        }
    }
}
