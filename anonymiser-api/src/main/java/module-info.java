/**
 * The public surface of the MIP Anonymiser: what an embedding service calls
 * ({@link eu.hbp.mip.anonymiser.api}) and what a format implements
 * ({@link eu.hbp.mip.anonymiser.api.spi}). It names no implementation.
 */
module eu.hbp.mip.anonymiser.api {
    exports eu.hbp.mip.anonymiser.api;
    exports eu.hbp.mip.anonymiser.api.spi;

    uses eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider;
}
