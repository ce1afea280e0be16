package eu.hbp.mip.anonymiser.api;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The link between original identifiers and their pseudonyms, kept where the
 * hospital alone can read it ({@code db/} in the {@link FolderLayout}).
 *
 * <p>A pseudonym is a keyed function of (domain, value): the same value in the
 * same domain gets the same pseudonym in every file, run, thread and machine that
 * shares the site key. Domains are short lower-case names; {@code patient} is the
 * domain shared by a CSV subject column and a DICOM PatientID.
 *
 * <p>Implementations are safe for use by many threads, and by several processes
 * on one store; get-or-create is idempotent. They never log an original value
 * and never put one in an exception message. Failures of the underlying database
 * are thrown as {@link StoreException}.
 *
 * <pre>{@code
 * String subject = store.pseudonym("patient", "HOSP-000123");
 * String studyUid = store.uid("1.2.840.113619.2.55.3.604688119");
 * Optional<String> original = store.reidentify("patient", subject);
 * }</pre>
 */
public interface PseudonymStore extends AutoCloseable {

    /** The domain of patient identifiers, shared by every format. */
    String PATIENT = "patient";

    /**
     * Returns the pseudonym of {@code value} in {@code domain}, recording the pair
     * the first time it is seen.
     *
     * @param domain the identifier domain; not null or empty
     * @param value the original identifier; not null
     * @return the pseudonym, never null
     * @throws StoreException if the store cannot record it, or if two values meet
     *         one pseudonym (a collision, which must never pass silently)
     */
    String pseudonym(String domain, String value);

    /**
     * Get-or-create for many values of one domain in one round trip.
     *
     * @param domain the identifier domain
     * @param values the original identifiers; duplicates allowed
     * @return a map from each distinct value to its pseudonym
     */
    Map<String, String> pseudonyms(String domain, Collection<String> values);

    /**
     * Looks up a pseudonym without creating one.
     *
     * @return the pseudonym recorded for (domain, value), if any
     */
    Optional<String> lookup(String domain, String value);

    /**
     * Re-identification, for the hospital's own authorised use.
     *
     * @return the original value recorded for (domain, pseudonym), if any
     */
    Optional<String> reidentify(String domain, String pseudonym);

    /**
     * A DICOM UID derived from {@code uid} with the site key: {@code 2.25.} and the
     * decimal form of a 128-bit keyed hash (PS3.5 B.2), at most 64 characters.
     * Deterministic, so references between instances still resolve; not recorded.
     *
     * @param uid the original UID; not null
     * @return the replacement UID
     */
    String uid(String uid);

    /**
     * A per-subject date shift in days, derived from the site key: the same for a
     * subject in every file, different across subjects, within the bounds the
     * implementation documents.
     *
     * @param domain the domain of the subject identifier (usually {@link #PATIENT})
     * @param value the original subject identifier
     * @return the number of days to add to the subject's dates
     */
    int dayShift(String domain, String value);

    /**
     * Records that the subject with this pseudonym withdrew consent: later files
     * of theirs are quarantined instead of anonymised.
     *
     * @param domain the subject domain
     * @param pseudonym the subject's pseudonym (never the original identifier)
     */
    void withdraw(String domain, String pseudonym);

    /**
     * @return whether the subject with this pseudonym withdrew consent
     */
    boolean isWithdrawn(String domain, String pseudonym);

    /**
     * Streams every recorded mapping, for the hospital's export of the link.
     *
     * @param sink receives each mapping, in no particular order
     */
    void export(Consumer<Mapping> sink);

    /**
     * Makes every mapping handed out so far durable. A store may buffer new mappings
     * for speed; the crash-safe mover calls this before it publishes an output, so no
     * released pseudonym is ever missing from the store.
     *
     * @throws StoreException if the mappings cannot be written
     */
    void flush();

    /** Flushes, then releases the database connections; idempotent. */
    @Override
    void close();
}
