package eu.hbp.mip.anonymiser.api;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What a provider needs to build an {@link Anonymiser}: its profiles folder, the
 * pseudonym store, run options, and the clock that dates the export.
 *
 * @param profiles the folder of this format's profiles, usually
 *        {@link FolderLayout#profiles(String) scripts/&lt;format&gt;}
 * @param store the pseudonym store shared by every format
 * @param options run options by name; each provider documents the ones it reads
 *        (for example {@code dicom.admit-secondary=true}); unknown ones are ignored
 * @param clock the clock of the export date used in output names
 */
public record AnonymiserContext(Path profiles, PseudonymStore store, Map<String, String> options, Clock clock) {

    public AnonymiserContext {
        Objects.requireNonNull(profiles, "profiles");
        Objects.requireNonNull(store, "store");
        options = Map.copyOf(options);
        Objects.requireNonNull(clock, "clock");
    }

    /** A context with no options and the system clock. */
    public AnonymiserContext(Path profiles, PseudonymStore store) {
        this(profiles, store, Map.of(), Clock.systemUTC());
    }

    /**
     * @param name an option name
     * @return whether the option is set to {@code true}
     */
    public boolean flag(String name) {
        return Boolean.parseBoolean(options.getOrDefault(name, "false"));
    }
}
