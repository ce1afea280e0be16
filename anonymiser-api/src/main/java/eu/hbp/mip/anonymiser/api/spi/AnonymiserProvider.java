package eu.hbp.mip.anonymiser.api.spi;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.ProfileException;

import java.nio.ByteBuffer;
import java.util.Map;

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
