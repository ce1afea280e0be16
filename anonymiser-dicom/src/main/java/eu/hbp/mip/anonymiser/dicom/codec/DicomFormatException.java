package eu.hbp.mip.anonymiser.dicom.codec;

import eu.hbp.mip.anonymiser.api.FormatException;

/**
 * A DICOM file that the codec refuses (unchecked: the file's fault, never the machine's): truncated, a length past the end of the file or over
 * a {@link ReadLimits} bound, nesting too deep, a deflate stream inflating beyond its bound,
 * a broken item structure, an unsupported encoding.
 *
 * <p>The message names the byte offset (in the file, or in the inflated data set of a
 * deflated file) and the tag where the problem was found, and what was expected; it never
 * contains a value read from the file, so it may be logged and shown to a data manager.
 */
public final class DicomFormatException extends FormatException {

    private static final long serialVersionUID = 1L;

    private final int tag;

    /**
     * @param offset the byte offset of the problem, or -1 when unknown
     * @param tag the tag being read, or -1 when none
     * @param problem what is wrong and what was expected (never a value from the file)
     */
    public DicomFormatException(long offset, int tag, String problem) {
        super(offset, format(offset, tag, problem));
        this.tag = tag;
    }

    /** The tag being read when the problem was found, or -1 when none. */
    public int tag() {
        return tag;
    }

    private static String format(long offset, int tag, String problem) {
        StringBuilder sb = new StringBuilder(problem);
        if (tag != -1) {
            sb.append(" (tag ").append(Tag.toString(tag));
            sb.append(offset >= 0 ? ", byte offset " + offset + ")" : ")");
        } else if (offset >= 0) {
            sb.append(" (byte offset ").append(offset).append(')');
        }
        return sb.toString();
    }
}
