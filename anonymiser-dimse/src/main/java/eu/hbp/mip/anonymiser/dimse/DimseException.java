package eu.hbp.mip.anonymiser.dimse;

import eu.hbp.mip.anonymiser.api.AnonymiserException;

/**
 * A DIMSE peer could not be reached, refused the association, or broke the protocol. The
 * message names the peer (host, port, AE titles) and what to check, never a patient value.
 */
public final class DimseException extends AnonymiserException {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** The peer cannot be reached, timed out, or dropped the connection. */
        UNREACHABLE,
        /** The peer rejected the association (AE titles, presentation contexts). */
        REFUSED,
        /** The peer answered against the protocol, or a service failed with an error status. */
        PROTOCOL
    }

    private final Kind kind;

    /**
     * @param kind what went wrong
     * @param message what failed, where, and the remedy
     */
    public DimseException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /**
     * @param kind what went wrong
     * @param message what failed, where, and the remedy
     * @param cause the underlying failure
     */
    public DimseException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** @return what went wrong */
    public Kind kind() {
        return kind;
    }
}
