/**
 * Keyed pseudonyms: the site key, the HMAC pseudonym and UID generator, and the
 * Jdbi {@link eu.hbp.mip.anonymiser.api.PseudonymStore} on SQLite or PostgreSQL.
 */
package eu.hbp.mip.anonymiser.core.pseudonym;
