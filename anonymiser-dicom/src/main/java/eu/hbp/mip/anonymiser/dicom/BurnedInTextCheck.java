package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.dicom.codec.DataSet;
import eu.hbp.mip.anonymiser.dicom.codec.DicomFile;
import eu.hbp.mip.anonymiser.dicom.codec.DicomFormatException;
import eu.hbp.mip.anonymiser.dicom.codec.Element;
import eu.hbp.mip.anonymiser.dicom.codec.Tag;
import eu.hbp.mip.anonymiser.dicom.codec.Value;
import eu.hbp.mip.anonymiser.dicom.profile.PixelRule;
import eu.hbp.mip.anonymiser.dicom.profile.PixelRulesFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The burned-in text check: reads each frame of an image whose pixels it can decode (native
 * pixel data, 8 or 16 bits allocated, MONOCHROME1, MONOCHROME2 or RGB), windows it to 8 bits
 * (Window Center and Width after the rescale when the header has them, else the frame's own
 * range; MONOCHROME1 inverted) and asks the OCR engine for words. A word inside a rectangle of
 * the pixel rule that will blank the image is covered; any other word is a finding. Findings
 * carry the frame and the box, never the text. Stateless apart from its engine; thread-safe.
 */
final class BurnedInTextCheck {

    private static final int WINDOW_CENTER = 0x00281050;
    private static final int WINDOW_WIDTH = 0x00281051;
    private static final int RESCALE_INTERCEPT = 0x00281052;
    private static final int RESCALE_SLOPE = 0x00281053;

    /**
     * What the check found.
     *
     * @param decodable whether the pixels could be decoded (if not, nothing was read)
     * @param covered how many words lie in the regions the pixel rule blanks
     * @param uncovered the words outside them, as "frame N: box", in frame order
     */
    record Result(boolean decodable, int covered, List<String> uncovered) {
    }

    private final OcrEngines.Engine engine;

    BurnedInTextCheck(OcrEngines.Engine engine) {
        this.engine = engine;
    }

    /**
     * @param file the input, not yet anonymised
     * @param rule the pixel rule that blanks this image, or null when nothing is blanked
     * @return the findings
     * @throws IOException if the pixels cannot be read from the file
     */
    Result check(DicomFile file, PixelRule rule) throws IOException {
        DataSet ds = file.dataSet();
        Optional<Element> pixels = ds.get(Tag.PIXEL_DATA);
        Optional<Layout> layout = pixels.isEmpty() ? Optional.empty() : Layout.of(ds);
        if (layout.isEmpty() || pixels.get().value() instanceof Value.Fragments
                || pixels.get().value() instanceof Value.Sequence) {
            return new Result(false, 0, List.of());
        }
        Layout l = layout.get();
        long frameLength = (long) l.rows * l.cols * l.spp * l.bytes;
        int covered = 0;
        List<String> uncovered = new ArrayList<>();
        Value value = pixels.get().value();
        long available = value.length();
        if (frameLength > Integer.MAX_VALUE || available < frameLength) {
            return new Result(false, 0, List.of());
        }
        int frames = (int) Math.min(l.frames, available / frameLength);
        try (FileChannel channel = value instanceof Value.Bulk ? FileChannel.open(file.bulkSource(), StandardOpenOption.READ) : null) {
            ByteBuffer frame = ByteBuffer.allocate((int) frameLength).order(ds.order());
            for (int f = 0; f < frames; f++) {
                frame.clear();
                if (value instanceof Value.Bulk bulk) {
                    long at = bulk.offset() + f * frameLength;
                    while (frame.hasRemaining()) {
                        if (channel.read(frame, at + frame.position()) < 0) {
                            throw new IOException("pixel data ends early in " + file.source().getFileName());
                        }
                    }
                } else if (value instanceof Value.Bytes b) {
                    frame.put(b.data(), (int) (f * frameLength), (int) frameLength);
                }
                frame.flip();
                for (OcrEngines.Box box : engine.words(l.grey(frame), l.cols, l.rows)) {
                    if (rule != null && inside(box, rule)) {
                        covered++;
                    } else {
                        uncovered.add("frame " + f + ": " + box);
                    }
                }
            }
        }
        return new Result(true, covered, uncovered);
    }

    private static boolean inside(OcrEngines.Box box, PixelRule rule) {
        for (PixelRulesFile.Rectangle r : rule.rectangles()) {
            if (box.x() >= r.x() && box.y() >= r.y() && (long) box.x() + box.width() <= (long) r.x() + r.width()
                    && (long) box.y() + box.height() <= (long) r.y() + r.height()) {
                return true;
            }
        }
        return false;
    }

    /** The pixel layout and the windowing, when the check can decode it. */
    private record Layout(int rows, int cols, int spp, int bytes, int stored, boolean signed, boolean planar,
                          boolean invert, int frames, double slope, double intercept, double center, double width,
                          ByteOrder order) {

        static Optional<Layout> of(DataSet ds) {
            try {
                int rows = ds.integer(Tag.ROWS).orElse(0);
                int cols = ds.integer(Tag.COLUMNS).orElse(0);
                int spp = ds.integer(Tag.SAMPLES_PER_PIXEL).orElse(1);
                int bits = ds.integer(Tag.BITS_ALLOCATED).orElse(0);
                int stored = ds.integer(Tag.BITS_STORED).orElse(bits);
                String photometric = ds.string(Tag.PHOTOMETRIC_INTERPRETATION).orElse("").strip();
                boolean mono = photometric.equals("MONOCHROME1") || photometric.equals("MONOCHROME2");
                boolean rgb = photometric.equals("RGB");
                if (rows <= 0 || cols <= 0 || (bits != 8 && bits != 16) || stored < 1 || stored > bits
                        || !(mono && spp == 1 || rgb && spp == 3 && bits == 8)) {
                    return Optional.empty();
                }
                return Optional.of(new Layout(rows, cols, spp, bits / 8, stored,
                        ds.integer(Tag.PIXEL_REPRESENTATION).orElse(0) == 1,
                        ds.integer(Tag.PLANAR_CONFIGURATION).orElse(0) == 1, photometric.equals("MONOCHROME1"),
                        Math.max(1, ds.integer(Tag.NUMBER_OF_FRAMES).orElse(1)),
                        number(ds, RESCALE_SLOPE, 1), number(ds, RESCALE_INTERCEPT, 0),
                        number(ds, WINDOW_CENTER, Double.NaN), number(ds, WINDOW_WIDTH, Double.NaN), ds.order()));
            } catch (DicomFormatException e) {
                return Optional.empty();
            }
        }

        private static double number(DataSet ds, int tag, double absent) {
            try {
                String v = ds.string(tag).orElse("").strip();
                return v.isEmpty() ? absent : Double.parseDouble(v);
            } catch (NumberFormatException e) {
                return absent;
            }
        }

        /** One frame as 8-bit grey, row by row. */
        byte[] grey(ByteBuffer frame) {
            int n = rows * cols;
            byte[] out = new byte[n];
            if (spp == 3) {
                for (int i = 0; i < n; i++) {
                    int r;
                    int g;
                    int b;
                    if (planar) {
                        r = frame.get(i) & 0xFF;
                        g = frame.get(n + i) & 0xFF;
                        b = frame.get(2 * n + i) & 0xFF;
                    } else {
                        r = frame.get(3 * i) & 0xFF;
                        g = frame.get(3 * i + 1) & 0xFF;
                        b = frame.get(3 * i + 2) & 0xFF;
                    }
                    out[i] = (byte) ((r * 299 + g * 587 + b * 114) / 1000);
                }
                return out;
            }
            double[] v = new double[n];
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            int mask = (1 << stored) - 1;
            for (int i = 0; i < n; i++) {
                int raw = bytes == 1 ? frame.get(i) & 0xFF : frame.order(order).getShort(2 * i) & 0xFFFF;
                raw &= mask;
                if (signed && (raw & (1 << (stored - 1))) != 0) {
                    raw -= 1 << stored;
                }
                v[i] = raw * slope + intercept;
                min = Math.min(min, v[i]);
                max = Math.max(max, v[i]);
            }
            double lo;
            double hi;
            if (!Double.isNaN(center) && !Double.isNaN(width) && width >= 1) {
                lo = center - 0.5 - (width - 1) / 2;
                hi = center - 0.5 + (width - 1) / 2;
            } else {
                lo = min;
                hi = max;
            }
            double span = Math.max(hi - lo, 1e-9);
            for (int i = 0; i < n; i++) {
                double g = (v[i] - lo) / span * 255;
                int grey = (int) Math.round(Math.max(0, Math.min(255, g)));
                out[i] = (byte) (invert ? 255 - grey : grey);
            }
            return out;
        }
    }
}
