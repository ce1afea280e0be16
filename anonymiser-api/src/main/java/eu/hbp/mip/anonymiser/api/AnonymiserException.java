package eu.hbp.mip.anonymiser.api;

/**
 * The root of the anonymiser's own unchecked exceptions. Its messages say what
 * failed, where, and how to fix it; they never carry a patient value.
 */
public class AnonymiserException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what failed, where, and the remedy */
    public AnonymiserException(String message) {
        super(message);
    }

    /**
     * @param message what failed, where, and the remedy
     * @param cause the underlying failure
     */
    public AnonymiserException(String message, Throwable cause) {
        super(message, cause);
    }
}
