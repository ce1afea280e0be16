package eu.hbp.mip.anonymiser.dicom.codec;

/**
 * How a data set is encoded: the transfer syntax UID and what it means to the codec.
 *
 * @param uid the transfer syntax UID
 * @param explicitVr whether elements carry their VR
 * @param bigEndian whether numbers are big endian (only explicit VR big endian, retired)
 * @param deflated whether the data set is deflated (RFC 1951) after the meta group
 * @param encapsulated whether pixel data is expected encapsulated (compressed); the reader
 *        follows the file either way: undefined-length pixel data is read as fragments
 */
public record TransferSyntax(String uid, boolean explicitVr, boolean bigEndian, boolean deflated,
                             boolean encapsulated) {

    /** 1.2.840.10008.1.2, implicit VR little endian. */
    public static final String IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
    /** 1.2.840.10008.1.2.1, explicit VR little endian. */
    public static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    /** 1.2.840.10008.1.2.1.99, deflated explicit VR little endian. */
    public static final String DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99";
    /** 1.2.840.10008.1.2.2, explicit VR big endian (retired). */
    public static final String EXPLICIT_VR_BIG_ENDIAN = "1.2.840.10008.1.2.2";

    private static final String STANDARD_ROOT = "1.2.840.10008.1.2.";

    /**
     * The transfer syntax of a UID: the four native ones, and every other standard transfer
     * syntax ({@code 1.2.840.10008.1.2.*}: JPEG, JPEG-LS, JPEG 2000, RLE, MPEG, HTJ2K...) as
     * explicit VR little endian with encapsulated pixel data.
     *
     * @return the transfer syntax, or {@code null} for a UID outside the standard's root
     *         (a private transfer syntax the codec cannot know how to read)
     */
    public static TransferSyntax of(String uid) {
        return switch (uid) {
            case IMPLICIT_VR_LITTLE_ENDIAN -> new TransferSyntax(uid, false, false, false, false);
            case EXPLICIT_VR_LITTLE_ENDIAN -> new TransferSyntax(uid, true, false, false, false);
            case DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN -> new TransferSyntax(uid, true, false, true, false);
            case EXPLICIT_VR_BIG_ENDIAN -> new TransferSyntax(uid, true, true, false, false);
            default -> uid.startsWith(STANDARD_ROOT) && uid.length() <= 64
                    ? new TransferSyntax(uid, true, false, false, true) : null;
        };
    }
}
