package eu.hbp.mip.anonymiser.api;

import java.io.IOException;
import java.nio.file.Path;

/**
 * De-identifies one input file of one format under the profiles it was built with.
 *
 * <p>Input that cannot be made safe (malformed, off-profile, refused by a safety
 * gate) is answered with {@link Outcome.Rejected}, never with an exception: the
 * caller moves the file to the quarantine bucket the rejection names. Only a
 * failure of the machine itself (the output cannot be written) escapes as
 * {@link IOException}, and a programming error as an unchecked exception.
 *
 * <p>An anonymiser never writes anywhere but into the {@link OutputSink} it is
 * handed, never modifies its input, never logs a patient value and never puts one
 * in a rejection reason. Implementations are safe for use by many threads at once.
 *
 * <pre>{@code
 * try (AnonymiserRegistry registry = AnonymiserRegistry.discover();
 *      PseudonymStore store = ...) {
 *     Anonymiser csv = registry.provider("csv").orElseThrow()
 *         .create(new AnonymiserContext(layout.profiles("csv"), store));
 *     Outcome outcome = csv.anonymise(Path.of("visits.csv"), OutputSink.into(Path.of("out")));
 *     if (outcome instanceof Outcome.Rejected r) {
 *         System.out.println(r.code() + ": " + r.reason());
 *     }
 * }
 * }</pre>
 */
public interface Anonymiser {

    /**
     * Anonymises {@code input} into {@code output}.
     *
     * @param input a readable regular file; not null
     * @param output where the de-identified files are created; not null
     * @return what was written, or why nothing may be written; never null
     * @throws IOException if reading the input or writing the output fails for
     *         reasons of the machine (disk full, permissions), not of the content
     */
    Outcome anonymise(Path input, OutputSink output) throws IOException;

    /**
     * A dry run: tells, line by line, what {@link #anonymise} would do to {@code input} and which
     * rule decides it (with the profile file and line where the format knows them), and what
     * would reject the file, without writing anything, creating a pseudonym or moving a file.
     * A line never holds a value of the file unless {@code showValues} is true (the caller asks
     * for it only when its output goes to a terminal).
     *
     * @param input a readable regular file
     * @param out receives the lines
     * @param showValues whether values may be shown
     * @return false if this format cannot explain (the default), true once the lines are given
     * @throws IOException if the file cannot be read
     */
    default boolean explain(Path input, java.util.function.Consumer<String> out, boolean showValues)
            throws IOException {
        return false;
    }
}
