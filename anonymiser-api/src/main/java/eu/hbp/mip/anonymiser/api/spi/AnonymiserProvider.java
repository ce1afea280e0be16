package eu.hbp.mip.anonymiser.api.spi;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.Bucket;
import eu.hbp.mip.anonymiser.api.ProfileException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A format's entry point, found with {@link java.util.ServiceLoader}. A format
 * module declares {@code provides AnonymiserProvider with ...} in its
 * {@code module-info.java} and lists the class in
 * {@code META-INF/services/eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider}.
 *
 * <p>Implementations have a public no-argument constructor, hold no mutable
 * state, and are safe for use by many threads.
 */
public interface AnonymiserProvider {

    /** How many leading bytes of a file {@link #recognise} is given, at most. */
    int SNIFF_BYTES = 1024;

    /**
     * @return the format's name, lower case, unique among providers
     *         ({@code dicom}, {@code csv}); also the name of its profiles folder
     */
    String name();

    /**
     * @return the quarantine bucket of this format's rejections, {@code quarantine/<bucket>};
     *         by default the provider's {@link #name()}
     */
    default Bucket bucket() {
        return Bucket.of(name());
    }

    /**
     * The first segment of every output name this format writes ({@code DICOM}, {@code EHR},
     * {@code NIFTI}): the folder under {@code out/} (and {@code pacs/dicoms/}) that status,
     * forward, verify and forget walk for this format. Letters, digits, '_' and '-'.
     *
     * @return by default the provider's name in upper case
     */
    default String outputRoot() {
        return name().toUpperCase(Locale.ROOT);
    }

    /**
     * The run options this provider reads, by full key ({@code dicom.profile}); the pipeline
     * refuses a key that no provider declares, listing the known ones.
     *
     * @return the option keys, each starting with {@code <name>.}
     */
    default Set<String> options() {
        return Set.of();
    }

    /**
     * Removes one subject's records from one of this format's outputs that also holds other
     * subjects (a consent withdrawal). Either the output cannot be separated
     * ({@link Removal#wholeFile()}: the caller deletes it), or the provider streams the records
     * it keeps into {@code rewriteTo} (a new file it creates) and the caller makes that copy
     * durable and renames it over the output. Bounded memory whatever the output's size.
     * The default deletes the whole output.
     *
     * @param output the published output, read-only here
     * @param subject the subject's pseudonym in the {@code patient} domain
     * @param rewriteTo where to write the kept records; not yet existing, on the output's file system
     * @return what was done; {@code records(0)} when the output holds none of the subject's records
     * @throws IOException if the output cannot be read or the copy written
     */
    default Removal removeSubject(Path output, String subject, Path rewriteTo) throws IOException {
        return Removal.wholeFile();
    }

    /**
     * Decides whether a file is in this format, from its content first.
     *
     * @param fileName the file's name (its extension is a hint, never proof)
     * @param head up to {@link #SNIFF_BYTES} leading bytes of the file, read-only
     * @return how sure the provider is
     */
    Recognition recognise(String fileName, ByteBuffer head);

    /**
     * Sample profiles that {@code init} writes into a new site's
     * {@code scripts/<name>/} folder for the data manager to edit.
     *
     * @return file name (such as {@code mip-default.yaml}) to file content
     */
    default Map<String, String> sampleProfiles() {
        return Map.of();
    }

    /**
     * Builds an anonymiser from the profiles in {@code context.profiles()}.
     *
     * @param context the profiles folder, pseudonym store and options
     * @return a thread-safe anonymiser
     * @throws ProfileException if a profile is missing or invalid, naming the file,
     *         line and fix
     */
    Anonymiser create(AnonymiserContext context);
}
