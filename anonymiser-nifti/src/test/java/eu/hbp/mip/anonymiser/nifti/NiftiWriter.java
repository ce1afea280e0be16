package eu.hbp.mip.anonymiser.nifti;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * TEST ONLY: writes small NIfTI-1 and NIfTI-2 files byte by byte from the standard's layout
 * (nifti1.h, nifti2.h), in either byte order, single-file or pair header, with text fields and
 * extensions, so that the tests do not trust the reader they test. Mutable builder, one per file.
 */
final class NiftiWriter {

    /** The PHI the writer puts into every text field and extension unless told otherwise. */
    static final String DESCRIP = "Jane Zyxwabc DOB 1961-02-03";
    static final String AUX = "HOSP98765-aux";
    static final String INTENT = "PhiIntent77";
    static final String DB_NAME = "DbNameSecret";
    static final String DICOM_EXT = "(0010,0010) PN Zyxwabc^Jane HOSP98765";
    static final String AFNI_EXT = "<AFNI_attributes history='made by Dr Qrstuv'/>";
    static final String XML_EXT = "<note>Saint Phineas Hospital</note>";

    private int version = 1;
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    private boolean pair;
    private final long[] dim = {3, 4, 3, 2, 1, 1, 1, 1};
    private short bitpix = 16;
    private short datatype = 4;
    private final List<Object[]> extensions = new ArrayList<>();
    private String descrip = DESCRIP;
    private long padding;
    private byte[] data;
    private byte[] trailing = new byte[0];

    NiftiWriter version(int v) {
        this.version = v;
        return this;
    }

    NiftiWriter order(ByteOrder o) {
        this.order = o;
        return this;
    }

    NiftiWriter pair() {
        this.pair = true;
        return this;
    }

    NiftiWriter dims(long... dims) {
        dim[0] = dims.length;
        for (int i = 0; i < dims.length; i++) {
            dim[i + 1] = dims[i];
        }
        return this;
    }

    NiftiWriter bitpix(int bits, int type) {
        this.bitpix = (short) bits;
        this.datatype = (short) type;
        return this;
    }

    NiftiWriter extension(int code, String text) {
        extensions.add(new Object[] {code, text.getBytes(StandardCharsets.UTF_8)});
        return this;
    }

    /** The three identifying extensions: DICOM (2), AFNI (4), XML (12... here 6, comment). */
    NiftiWriter phiExtensions() {
        return extension(2, DICOM_EXT).extension(4, AFNI_EXT).extension(6, XML_EXT);
    }

    NiftiWriter descrip(String d) {
        this.descrip = d;
        return this;
    }

    /** Zero bytes between the extensions and vox_offset. */
    NiftiWriter padding(long bytes) {
        this.padding = bytes;
        return this;
    }

    NiftiWriter trailing(byte[] bytes) {
        this.trailing = bytes;
        return this;
    }

    NiftiWriter data(byte[] bytes) {
        this.data = bytes;
        return this;
    }

    /** @return the image data: its size from dim and bitpix, a pattern without ASCII runs */
    byte[] data() {
        if (data == null) {
            long n = 1;
            for (int i = 1; i <= dim[0]; i++) {
                n *= dim[i];
            }
            data = new byte[(int) ((n * bitpix + 7) / 8)];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (0x80 | (i * 37 & 0x7F));
            }
        }
        return data;
    }

    private byte[] extensionBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object[] e : extensions) {
            byte[] text = (byte[]) e[1];
            int esize = (8 + text.length + 15) / 16 * 16;
            ByteBuffer b = ByteBuffer.allocate(esize).order(order);
            b.putInt(esize).putInt((Integer) e[0]).put(text);
            out.writeBytes(b.array());
        }
        return out.toByteArray();
    }

    /** @return the header (and extensions) alone: a whole .hdr, or the start of a .nii */
    byte[] header() {
        int size = version == 1 ? 348 : 540;
        byte[] ext = extensionBytes();
        long vox = pair ? 0 : size + 4 + ext.length + padding;
        ByteBuffer b = ByteBuffer.allocate(size).order(order);
        b.putInt(0, size);
        if (version == 1) {
            put(b, 4, "AnaSecret", 10);
            put(b, 14, DB_NAME, 18);
            b.put(38, (byte) 'r');
            for (int i = 0; i < 8; i++) {
                b.putShort(40 + 2 * i, (short) dim[i]);
            }
            b.putShort(70, datatype).putShort(72, bitpix);
            for (int i = 0; i < 8; i++) {
                b.putFloat(76 + 4 * i, 1f);
            }
            b.putFloat(108, vox).putFloat(112, 1f);
            b.put(123, (byte) 10);
            put(b, 148, descrip, 80);
            put(b, 228, AUX, 24);
            b.putShort(252, (short) 1).putShort(254, (short) 1);
            b.putFloat(280, 1f).putFloat(300, 1f).putFloat(320, 1f);
            put(b, 328, INTENT, 16);
            put(b, 344, pair ? "ni1" : "n+1", 4);
        } else {
            byte[] magic = {'n', pair ? (byte) 'i' : (byte) '+', '2', 0, '\r', '\n', 0x1A, '\n'};
            for (int i = 0; i < 8; i++) {
                b.put(4 + i, magic[i]);
            }
            b.putShort(12, datatype).putShort(14, bitpix);
            for (int i = 0; i < 8; i++) {
                b.putLong(16 + 8 * i, dim[i]);
                b.putDouble(104 + 8 * i, 1.0);
            }
            b.putLong(168, vox).putDouble(176, 1.0);
            put(b, 240, descrip, 80);
            put(b, 320, AUX, 24);
            b.putInt(344, 1).putInt(348, 1);
            b.putDouble(400, 1.0).putDouble(440, 1.0).putDouble(480, 1.0);
            b.putInt(500, 10);
            put(b, 508, INTENT, 16);
            put(b, 525, "UnusedSecret", 15);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(b.array());
        out.writeBytes(new byte[] {(byte) (ext.length > 0 ? 1 : 0), 0, 0, 0});
        out.writeBytes(ext);
        return out.toByteArray();
    }

    /** @return a whole single-file .nii (or, for a pair, the .hdr) */
    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header());
        if (!pair) {
            out.writeBytes(new byte[(int) padding]);
            out.writeBytes(data());
            out.writeBytes(trailing);
        }
        return out.toByteArray();
    }

    /** @return the file gzip-compressed */
    byte[] gzipped() {
        return gzip(bytes());
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void put(ByteBuffer b, int at, String text, int length) {
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < Math.min(t.length, length - 1); i++) {
            b.put(at + i, t[i]);
        }
    }
}
