package eu.hbp.mip.anonymiser.dimse;

import java.io.IOException;

/**
 * The peer broke PS3.8 or PS3.7: the association is aborted (A-ABORT, source service provider,
 * with {@link #reason()}). The message names the PDU or element, never a value.
 */
final class ProtocolException extends IOException {

    private static final long serialVersionUID = 1L;

    /** A-ABORT reasons (PS3.8 9.3.8). */
    static final int UNRECOGNIZED_PDU = 1;
    static final int UNEXPECTED_PDU = 2;
    static final int UNRECOGNIZED_PARAMETER = 4;
    static final int UNEXPECTED_PARAMETER = 5;
    static final int INVALID_PARAMETER = 6;

    private final int reason;

    ProtocolException(int reason, String message) {
        super(message);
        this.reason = reason;
    }

    int reason() {
        return reason;
    }
}
