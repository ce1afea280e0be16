/**
 * Keyed pseudonyms: the site key ({@link eu.hbp.mip.anonymiser.core.pseudonym.SiteKey}),
 * the pure HMAC generator of pseudonyms, DICOM UIDs and day shifts
 * ({@link eu.hbp.mip.anonymiser.core.pseudonym.KeyedPseudonyms}), and the Jdbi
 * {@link eu.hbp.mip.anonymiser.api.PseudonymStore} on an SQLite file in {@code db/} or
 * on PostgreSQL ({@link eu.hbp.mip.anonymiser.core.pseudonym.PseudonymStores#open},
 * {@link eu.hbp.mip.anonymiser.core.pseudonym.JdbiPseudonymStore}), with the CSV
 * export of the mapping for the hospital
 * ({@link eu.hbp.mip.anonymiser.core.pseudonym.MappingCsv}).
 *
 * <p>Nothing here logs, and no exception message holds a patient value or a secret.
 */
package eu.hbp.mip.anonymiser.core.pseudonym;
