package eu.hbp.mip.anonymiser.dicom.codec;

import java.nio.ByteOrder;

/**
 * The layout of native (uncompressed) pixel data, as given to a {@link PixelDataFilter}.
 *
 * @param rows Rows (0028,0010)
 * @param columns Columns (0028,0011)
 * @param samplesPerPixel Samples per Pixel (0028,0002)
 * @param bitsAllocated Bits Allocated (0028,0100), a multiple of 8
 * @param bitsStored Bits Stored (0028,0101)
 * @param pixelRepresentation Pixel Representation (0028,0103): 0 unsigned, 1 signed
 * @param planarConfiguration Planar Configuration (0028,0006): 0 interleaved, 1 by plane
 * @param photometricInterpretation Photometric Interpretation (0028,0004), such as {@code MONOCHROME2}
 * @param frames the number of frames (Number of Frames, or 1)
 * @param order the byte order of the samples (big endian only in explicit VR big endian)
 */
public record PixelFormat(int rows, int columns, int samplesPerPixel, int bitsAllocated, int bitsStored,
                          int pixelRepresentation, int planarConfiguration, String photometricInterpretation,
                          int frames, ByteOrder order) {

    /** The bytes of one frame: rows × columns × samples × bitsAllocated / 8. */
    public long frameLength() {
        return (long) rows * columns * samplesPerPixel * (bitsAllocated / 8);
    }

    /** The bytes of one sample: bitsAllocated / 8. */
    public int bytesPerSample() {
        return bitsAllocated / 8;
    }
}
