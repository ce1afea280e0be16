package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.dicom.codec.PixelDataFilter;
import eu.hbp.mip.anonymiser.dicom.codec.PixelFormat;
import eu.hbp.mip.anonymiser.dicom.profile.PixelRule;
import eu.hbp.mip.anonymiser.dicom.profile.PixelRulesFile;

import java.nio.ByteBuffer;

/**
 * Blanks the rectangles of a {@link PixelRule} in every frame of native pixel data, as the
 * codec's writer streams the frames: every sample of every pixel inside a rectangle (clipped
 * to the image) is set to 0, for any Bits Allocated (a multiple of 8), Samples per Pixel and
 * Planar Configuration. Stateless apart from its rule; thread-safe.
 */
final class PixelBlanker implements PixelDataFilter {

    private final PixelRule rule;

    PixelBlanker(PixelRule rule) {
        this.rule = rule;
    }

    @Override
    public void filter(PixelFormat format, int frame, ByteBuffer pixels) {
        int rows = format.rows();
        int cols = format.columns();
        int bps = format.bytesPerSample();
        int spp = format.samplesPerPixel();
        for (PixelRulesFile.Rectangle r : rule.rectangles()) {
            int x0 = Math.min(r.x(), cols);
            int y0 = Math.min(r.y(), rows);
            int x1 = (int) Math.min((long) r.x() + r.width(), cols);
            int y1 = (int) Math.min((long) r.y() + r.height(), rows);
            if (x1 <= x0 || y1 <= y0) {
                continue;
            }
            for (int y = y0; y < y1; y++) {
                if (format.planarConfiguration() == 1 && spp > 1) {
                    for (int s = 0; s < spp; s++) {
                        long start = (long) s * rows * cols * bps + ((long) y * cols + x0) * bps;
                        zero(pixels, start, (long) (x1 - x0) * bps);
                    }
                } else {
                    long start = ((long) y * cols + x0) * spp * bps;
                    zero(pixels, start, (long) (x1 - x0) * spp * bps);
                }
            }
        }
    }

    private static void zero(ByteBuffer pixels, long start, long length) {
        int end = (int) Math.min(start + length, pixels.limit());
        for (int i = (int) start; i < end; i++) {
            pixels.put(i, (byte) 0);
        }
    }
}
