package eu.hbp.mip.anonymiser.pipeline;

import eu.hbp.mip.anonymiser.api.AnonymiserException;

/**
 * A site that cannot be opened as asked: not initialised, a store or prefix that differs from
 * the one recorded at initialisation, an option no provider knows. The message says what to
 * run or change; it never holds a patient value or a password.
 */
public final class SiteException extends AnonymiserException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and the remedy */
    public SiteException(String message) {
        super(message);
    }
}
