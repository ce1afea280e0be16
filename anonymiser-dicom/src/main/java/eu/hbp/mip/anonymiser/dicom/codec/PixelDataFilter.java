package eu.hbp.mip.anonymiser.dicom.codec;

import java.nio.ByteBuffer;

/**
 * Transforms native (uncompressed) pixel data frame by frame while {@link DicomWriter}
 * copies it, for example to blank regions with burned-in text. Only one frame is in memory at
 * a time; the pixel data is never decoded beyond the layout in {@link PixelFormat}.
 *
 * <p>The writer calls {@link #filter} once per frame, in order, with a buffer of exactly
 * {@link PixelFormat#frameLength()} bytes (position 0, limit frame length, byte order set to
 * the file's); the filter changes it in place and must not change its length. Bytes after the
 * last whole frame (padding) are copied unchanged.
 */
@FunctionalInterface
public interface PixelDataFilter {

    /**
     * Transforms one frame in place.
     *
     * @param format the pixel layout, the same for every frame of a file
     * @param frame the frame number, from 0
     * @param pixels the frame's bytes, to change in place
     */
    void filter(PixelFormat format, int frame, ByteBuffer pixels);
}
