package eu.hbp.mip.anonymiser.api.spi;

/**
 * What a provider did to remove one subject from one of its outputs
 * ({@link AnonymiserProvider#removeSubject}). Immutable.
 *
 * @param deleteFile the output cannot be separated by subject: the caller deletes it
 * @param records how many records were left out of the rewritten output (0 when
 *        {@code wholeFile}, or when the output held none of the subject's records)
 */
public record Removal(boolean deleteFile, long records) {

    public Removal {
        if (records < 0 || deleteFile && records != 0) {
            throw new IllegalArgumentException("records must be 0 for a whole file, and never negative");
        }
    }

    /** @return the caller deletes the whole output */
    public static Removal wholeFile() {
        return new Removal(true, 0);
    }

    /**
     * @param removed records left out of the rewritten copy
     * @return the caller replaces the output by the rewritten copy (when {@code removed > 0})
     */
    public static Removal records(long removed) {
        return new Removal(false, removed);
    }
}
