package eu.hbp.mip.anonymiser.api;

/**
 * A file whose content breaks its format: truncated, a length past the end, a structure
 * the codec cannot read or write. It is the file's fault, never the machine's, so it is
 * unchecked and never an {@link java.io.IOException}: whichever step finds it (reading,
 * editing, writing the output), the pipeline quarantines the file with the format's
 * {@code <format>-malformed} code and this message as the reason.
 *
 * <p>The message names the location (byte offset, tag, row, column) and what was
 * expected; it never holds a value read from the file.
 */
public class FormatException extends AnonymiserException {

    private static final long serialVersionUID = 1L;

    private final long offset;

    /**
     * @param offset the byte offset of the problem in the file, or -1 when unknown
     * @param message where and what was expected; never a value from the file
     */
    public FormatException(long offset, String message) {
        super(message);
        this.offset = offset;
    }

    /** @return the byte offset of the problem, or -1 when unknown */
    public long offset() {
        return offset;
    }
}
