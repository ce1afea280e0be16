/**
 * The user-facing types of the MIP Anonymiser.
 *
 * <p>An {@link eu.hbp.mip.anonymiser.api.Anonymiser} turns one input file into
 * de-identified output and answers with an {@link eu.hbp.mip.anonymiser.api.Outcome}:
 * {@link eu.hbp.mip.anonymiser.api.Outcome.Anonymised} or
 * {@link eu.hbp.mip.anonymiser.api.Outcome.Rejected}. Anonymisers come from
 * {@link eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider}s, found through the
 * {@link eu.hbp.mip.anonymiser.api.AnonymiserRegistry}. Identifiers are replaced
 * through a {@link eu.hbp.mip.anonymiser.api.PseudonymStore}; files live in the
 * folders of a {@link eu.hbp.mip.anonymiser.api.FolderLayout}.
 *
 * <p>Nothing in this package logs, and no message or reason produced through it
 * carries a patient value.
 */
package eu.hbp.mip.anonymiser.api;
