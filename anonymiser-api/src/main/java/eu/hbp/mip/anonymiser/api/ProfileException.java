package eu.hbp.mip.anonymiser.api;

/** A profile (or other configuration) cannot be loaded or is invalid: the message names the file, the line and the fix. */
public class ProfileException extends AnonymiserException {

    private static final long serialVersionUID = 1L;

    /** @param message what failed, where, and the remedy */
    public ProfileException(String message) {
        super(message);
    }

    /**
     * @param message what failed, where, and the remedy
     * @param cause the underlying failure
     */
    public ProfileException(String message, Throwable cause) {
        super(message, cause);
    }
}
