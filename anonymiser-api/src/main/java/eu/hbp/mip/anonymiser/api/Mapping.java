package eu.hbp.mip.anonymiser.api;

import java.time.Instant;

/**
 * One row of the pseudonym store: the original value of an identifier in a
 * domain, its pseudonym, and when it was first seen. It holds a patient value:
 * it is for the hospital's own re-identification and export, never for a log.
 *
 * @param domain the identifier domain, such as {@code patient} or {@code visit}
 * @param value the original identifier
 * @param pseudonym its pseudonym
 * @param firstSeen when the store first recorded it
 */
public record Mapping(String domain, String value, String pseudonym, Instant firstSeen) {

    /** Keeps the original value out of accidental logging. */
    @Override
    public String toString() {
        return "Mapping[domain=" + domain + ", pseudonym=" + pseudonym + ", firstSeen=" + firstSeen + "]";
    }
}
