package eu.hbp.mip.anonymiser.dicom.codec;

/**
 * The bounds a {@link DicomReader} enforces, so that no input can exhaust memory, disk or
 * time. Exceeding one is a {@link DicomFormatException}.
 *
 * @param maxValueLength the largest value held in memory, in bytes (default 16 MiB); larger
 *        bulk values (OB, OW, OF, OD, OL, OV, UN) are referenced, never loaded, whatever their size
 * @param maxDepth the deepest nesting of sequences (default 64, at most {@link #MAX_DEPTH})
 * @param maxHeaderBytes the most bytes of values and element bookkeeping held in memory for one
 *        file (default 64 MiB); each element counts at least {@link #ELEMENT_OVERHEAD} bytes
 * @param maxInflatedBytes the largest data set a deflated file may inflate to, in bytes
 *        (default 4 GiB); the inflated data set is written to a temporary file, not to memory
 * @param bulkThreshold bulk values (OB, OW, OF, OD, OL, OV, UN) at least this long are
 *        referenced in the source file instead of loaded (default 64 KiB); pixel data is always
 *        referenced
 */
public record ReadLimits(long maxValueLength, int maxDepth, long maxHeaderBytes, long maxInflatedBytes,
                         long bulkThreshold) {

    /** The largest {@link #maxDepth} allowed: parsing recurses once per level, so the stack stays small. */
    public static final int MAX_DEPTH = 128;

    /** The bookkeeping bytes counted against {@link #maxHeaderBytes} for each element or item. */
    public static final int ELEMENT_OVERHEAD = 128;

    /** The defaults: 16 MiB values, depth 64, 64 MiB header, 4 GiB inflated, 64 KiB bulk threshold. */
    public static ReadLimits defaults() {
        return new ReadLimits(16L << 20, 64, 64L << 20, 4L << 30, 64L << 10);
    }

    /** Checks the bounds are positive. */
    public ReadLimits {
        if (maxValueLength < 0 || maxDepth < 1 || maxHeaderBytes < 0 || maxInflatedBytes < 0
                || bulkThreshold < 0) {
            throw new IllegalArgumentException("read limits must be positive (depth at least 1)");
        }
        if (maxDepth > MAX_DEPTH) {
            throw new IllegalArgumentException("maxDepth is at most " + MAX_DEPTH
                    + " (parsing recurses once per level)");
        }
    }

    /** A copy with another {@link #maxValueLength}. */
    public ReadLimits withMaxValueLength(long v) {
        return new ReadLimits(v, maxDepth, maxHeaderBytes, maxInflatedBytes, bulkThreshold);
    }

    /** A copy with another {@link #maxDepth}. */
    public ReadLimits withMaxDepth(int v) {
        return new ReadLimits(maxValueLength, v, maxHeaderBytes, maxInflatedBytes, bulkThreshold);
    }

    /** A copy with another {@link #maxHeaderBytes}. */
    public ReadLimits withMaxHeaderBytes(long v) {
        return new ReadLimits(maxValueLength, maxDepth, v, maxInflatedBytes, bulkThreshold);
    }

    /** A copy with another {@link #maxInflatedBytes}. */
    public ReadLimits withMaxInflatedBytes(long v) {
        return new ReadLimits(maxValueLength, maxDepth, maxHeaderBytes, v, bulkThreshold);
    }

    /** A copy with another {@link #bulkThreshold}. */
    public ReadLimits withBulkThreshold(long v) {
        return new ReadLimits(maxValueLength, maxDepth, maxHeaderBytes, maxInflatedBytes, v);
    }
}
