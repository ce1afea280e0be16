package eu.hbp.mip.anonymiser.api;

import eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider;
import eu.hbp.mip.anonymiser.api.spi.Recognition;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The providers a pipeline may use, by name. Built by {@link #discover()} (every
 * provider on the class path or module path), or by hand with {@link #builder()}
 * for an embedding service that registers its providers itself and switches
 * discovery off.
 *
 * <p>Discovery survives a broken provider: one that cannot be loaded is left out
 * and reported by {@link #failures()}. Two providers with one name are refused
 * with a {@link ProviderException} naming both classes. Immutable and thread-safe.
 *
 * <pre>{@code
 * AnonymiserRegistry registry = AnonymiserRegistry.discover();
 * Optional<AnonymiserProvider> provider = registry.recognise(Path.of("in/IM0001"));
 *
 * AnonymiserRegistry explicit = AnonymiserRegistry.builder()
 *     .discovery(false)
 *     .register(new MyNiftiProvider())
 *     .build();
 * }</pre>
 */
public final class AnonymiserRegistry {

    private final Map<String, AnonymiserProvider> providers;
    private final List<String> failures;

    private AnonymiserRegistry(Map<String, AnonymiserProvider> providers, List<String> failures) {
        this.providers = providers;
        this.failures = failures;
    }

    /**
     * Finds every provider visible from this library's class loader.
     *
     * @return the registry
     * @throws ProviderException if two providers share a name
     */
    public static AnonymiserRegistry discover() {
        return builder().build();
    }

    /** @return a builder: discovery on, with this library's class loader, until told otherwise */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the providers by name, in discovery order */
    public Map<String, AnonymiserProvider> providers() {
        return providers;
    }

    /**
     * @param name a provider name such as {@code dicom}
     * @return that provider, if registered
     */
    public Optional<AnonymiserProvider> provider(String name) {
        return Optional.ofNullable(providers.get(name));
    }

    /** @return what discovery could not load, one line each (class and cause, no stack trace) */
    public List<String> failures() {
        return failures;
    }

    /**
     * Chooses the provider for a file by sniffing its first bytes (and, more weakly,
     * its name). Content beats name; on a tie the first registered provider wins.
     *
     * @param file a readable file
     * @return the provider, or empty if none recognises it
     * @throws IOException if the file cannot be read
     */
    public Optional<AnonymiserProvider> recognise(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(AnonymiserProvider.SNIFF_BYTES);
        }
        Path name = file.getFileName();
        return recognise(name == null ? "" : name.toString(), ByteBuffer.wrap(head));
    }

    /**
     * @param fileName the file's name
     * @param head its leading bytes
     * @return the provider with the strongest recognition, if any
     */
    public Optional<AnonymiserProvider> recognise(String fileName, ByteBuffer head) {
        AnonymiserProvider best = null;
        Recognition bestRecognition = Recognition.NO;
        for (AnonymiserProvider provider : providers.values()) {
            Recognition r = provider.recognise(fileName, head.asReadOnlyBuffer());
            if (r.compareTo(bestRecognition) > 0) {
                best = provider;
                bestRecognition = r;
            }
        }
        return Optional.ofNullable(best);
    }

    private static final int MAX_PROVIDER_ENTRIES = 1_000;

    /** Builds a registry; not thread-safe, use once. */
    public static final class Builder {
        private boolean discovery = true;
        private ClassLoader classLoader = AnonymiserRegistry.class.getClassLoader();
        private final List<AnonymiserProvider> explicit = new ArrayList<>();

        private Builder() {
        }

        /** @param on whether to look for providers with {@link ServiceLoader}; default on */
        public Builder discovery(boolean on) {
            this.discovery = on;
            return this;
        }

        /** @param loader the class loader discovery searches; default this library's own */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = loader;
            return this;
        }

        /** @param provider a provider to register by hand, before any discovered ones */
        public Builder register(AnonymiserProvider provider) {
            explicit.add(provider);
            return this;
        }

        /**
         * @return the registry
         * @throws ProviderException if two providers share a name
         */
        public AnonymiserRegistry build() {
            List<String> failures = new ArrayList<>();
            List<AnonymiserProvider> all = new ArrayList<>(explicit);
            if (discovery) {
                all.addAll(load(failures));
            }
            Map<String, AnonymiserProvider> byName = new LinkedHashMap<>();
            for (AnonymiserProvider p : all) {
                AnonymiserProvider previous = byName.putIfAbsent(p.name(), p);
                if (previous != null && previous.getClass() != p.getClass()) {
                    throw new ProviderException("two anonymiser providers are named '" + p.name() + "': "
                            + previous.getClass().getName() + " and " + p.getClass().getName()
                            + "; remove one of their jars from the class path or register one by hand"
                            + " with discovery switched off");
                }
            }
            return new AnonymiserRegistry(Collections.unmodifiableMap(byName), List.copyOf(failures));
        }

        private Collection<AnonymiserProvider> load(List<String> failures) {
            List<AnonymiserProvider> found = new ArrayList<>();
            ServiceLoader<AnonymiserProvider> loader = ServiceLoader.load(AnonymiserProvider.class, classLoader);
            Iterator<AnonymiserProvider> it = loader.iterator();
            // A broken entry throws once and is passed over; the bound guards against a loader that repeats it.
            for (int attempts = 0; attempts < MAX_PROVIDER_ENTRIES; attempts++) {
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    found.add(it.next());
                } catch (ServiceConfigurationError e) {
                    failures.add(e.getMessage());
                }
            }
            return found;
        }
    }
}
