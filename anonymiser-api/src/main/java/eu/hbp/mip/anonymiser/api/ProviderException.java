package eu.hbp.mip.anonymiser.api;

/** An anonymiser provider cannot be found, loaded or is ambiguous (two providers with one name). */
public class ProviderException extends AnonymiserException {

    private static final long serialVersionUID = 1L;

    /** @param message what failed, where, and the remedy */
    public ProviderException(String message) {
        super(message);
    }

    /**
     * @param message what failed, where, and the remedy
     * @param cause the underlying failure
     */
    public ProviderException(String message, Throwable cause) {
        super(message, cause);
    }
}
