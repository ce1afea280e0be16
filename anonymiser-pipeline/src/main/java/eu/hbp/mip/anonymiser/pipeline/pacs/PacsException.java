package eu.hbp.mip.anonymiser.pipeline.pacs;

import eu.hbp.mip.anonymiser.api.AnonymiserException;

/**
 * The PACS could not be reached, refused our credentials, or answered something we
 * cannot use. The message is one line a data manager can act on: which server (its base
 * URL, never a query), what happened, and the remedy. It never carries a patient value.
 */
public final class PacsException extends AnonymiserException {

    private static final long serialVersionUID = 1L;

    /** What kind of failure, so that a command can choose its exit code. */
    public enum Kind {
        /** Wrong user, password or token (HTTP 401 or 403). */
        AUTHENTICATION,
        /** Connection refused, time-out, TLS failure, server error after every retry. */
        UNREACHABLE,
        /** The server answered something that is not valid DICOMweb. */
        PROTOCOL
    }

    private final Kind kind;

    /**
     * @param kind the kind of failure
     * @param message one line: what failed, where, and the remedy
     */
    public PacsException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /**
     * @param kind the kind of failure
     * @param message one line: what failed, where, and the remedy
     * @param cause the underlying failure
     */
    public PacsException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** @return the kind of failure */
    public Kind kind() {
        return kind;
    }
}
