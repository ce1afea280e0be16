package eu.hbp.mip.anonymiser.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The answer of an {@link Anonymiser} for one input: either {@link Anonymised}
 * or {@link Rejected}. Immutable; never carries a patient value.
 */
public sealed interface Outcome permits Outcome.Anonymised, Outcome.Rejected {

    /**
     * The input was de-identified.
     *
     * @param outputs the relative names written into the {@link OutputSink}, in order
     * @param counts how many values each rule or action touched, by rule name
     *        (for example {@code pseudonymise=120}, {@code remove=34})
     * @param subjects the pseudonyms of the patients whose data the input held
     *        (in the {@code patient} domain), so that a consent withdrawal can find
     *        their outputs
     */
    record Anonymised(List<String> outputs, Map<String, Long> counts, Set<String> subjects)
            implements Outcome {
        public Anonymised {
            outputs = List.copyOf(outputs);
            counts = Map.copyOf(counts);
            subjects = Set.copyOf(subjects);
        }
    }

    /**
     * The input may not be released; it belongs in quarantine.
     *
     * @param code a stable machine-readable code, such as {@code csv-missing-column},
     *        {@code dicom-malformed}, {@code dicom-secondary-image}, {@code unrecognised}
     * @param reason words a data manager can act on: what failed, where (row, column,
     *        tag, byte offset), what was expected; never a patient value
     * @param bucket the quarantine folder the input goes to
     */
    record Rejected(String code, String reason, Bucket bucket) implements Outcome {
        public Rejected {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(bucket, "bucket");
        }
    }
}
