package eu.hbp.mip.anonymiser.api;

/** The pseudonym store failed: unreachable, misconfigured, or it detected a collision. */
public class StoreException extends AnonymiserException {

    private static final long serialVersionUID = 1L;

    /** @param message what failed, where, and the remedy */
    public StoreException(String message) {
        super(message);
    }

    /**
     * @param message what failed, where, and the remedy
     * @param cause the underlying failure
     */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
