package eu.hbp.mip.anonymiser.csv;

import eu.hbp.mip.anonymiser.api.Mapping;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.core.pseudonym.KeyedPseudonyms;
import eu.hbp.mip.anonymiser.core.pseudonym.SiteKey;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * TEST ONLY: a pseudonym store in memory, backed by the real {@link KeyedPseudonyms}
 * and a map. The CSV tests use the real SQLite store; this one serves the memory test's
 * child JVM ({@link #unrecorded()}), where the anonymiser's own memory is measured, and
 * unit tests that need no database. Not for production.
 */
final class KeyedMemoryStore implements PseudonymStore {

    private final KeyedPseudonyms keyed;
    private final Map<String, String> forward = new ConcurrentHashMap<>();
    private final Map<String, String> backward = new ConcurrentHashMap<>();
    private final Set<String> withdrawn = ConcurrentHashMap.newKeySet();
    private final boolean recording;

    private KeyedMemoryStore(SiteKey key, boolean recording) {
        this.keyed = new KeyedPseudonyms(key, "");
        this.recording = recording;
    }

    KeyedMemoryStore(SiteKey key) {
        this(key, true);
    }

    KeyedMemoryStore() {
        this(SiteKey.generate());
    }

    /**
     * A store that records nothing (constant memory), for the memory test: every call
     * computes the HMAC again, and lookup/reidentify find nothing.
     */
    static KeyedMemoryStore unrecorded() {
        return new KeyedMemoryStore(SiteKey.generate(), false);
    }

    @Override
    public String pseudonym(String domain, String value) {
        if (!recording) {
            return keyed.pseudonym(domain, value);
        }
        return forward.computeIfAbsent(domain + '\0' + value, k -> {
            String p = keyed.pseudonym(domain, value);
            backward.put(domain + '\0' + p, value);
            return p;
        });
    }

    @Override
    public Map<String, String> pseudonyms(String domain, Collection<String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String v : values) {
            out.put(v, pseudonym(domain, v));
        }
        return out;
    }

    @Override
    public Optional<String> lookup(String domain, String value) {
        return Optional.ofNullable(forward.get(domain + '\0' + value));
    }

    @Override
    public Optional<String> reidentify(String domain, String pseudonym) {
        return Optional.ofNullable(backward.get(domain + '\0' + pseudonym));
    }

    @Override
    public String uid(String uid) {
        return keyed.uid(uid);
    }

    @Override
    public int dayShift(String domain, String value) {
        return keyed.dayShift(domain, value);
    }

    @Override
    public void withdraw(String domain, String pseudonym) {
        withdrawn.add(domain + '\0' + pseudonym);
    }

    @Override
    public boolean isWithdrawn(String domain, String pseudonym) {
        return withdrawn.contains(domain + '\0' + pseudonym);
    }

    @Override
    public void export(Consumer<Mapping> sink) {
        throw new UnsupportedOperationException("the test store does not export");
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
