package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.api.Mapping;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.api.StoreException;
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
 * TEST ONLY: an in-memory pseudonym store backed by the real {@link KeyedPseudonyms} and a
 * {@link ConcurrentHashMap}, standing in until the JDBC store lands on this branch. It
 * records mappings and withdrawals and detects collisions like the real store.
 */
final class KeyedMemoryStore implements PseudonymStore {

    private final KeyedPseudonyms keyed;
    private final Map<String, String> forward = new ConcurrentHashMap<>();
    private final Map<String, String> backward = new ConcurrentHashMap<>();
    private final Set<String> withdrawn = ConcurrentHashMap.newKeySet();

    KeyedMemoryStore(SiteKey key) {
        this.keyed = new KeyedPseudonyms(key, "");
    }

    KeyedMemoryStore() {
        this(SiteKey.of(new byte[SiteKey.SIZE]));
    }

    @Override
    public String pseudonym(String domain, String value) {
        String p = keyed.pseudonym(domain, value);
        forward.put(domain + "\0" + value, p);
        String before = backward.putIfAbsent(domain + "\0" + p, value);
        if (before != null && !before.equals(value)) {
            throw new StoreException("collision in domain " + domain);
        }
        return p;
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
        return Optional.ofNullable(forward.get(domain + "\0" + value));
    }

    @Override
    public Optional<String> reidentify(String domain, String pseudonym) {
        return Optional.ofNullable(backward.get(domain + "\0" + pseudonym));
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
        withdrawn.add(domain + "\0" + pseudonym);
    }

    @Override
    public boolean isWithdrawn(String domain, String pseudonym) {
        return withdrawn.contains(domain + "\0" + pseudonym);
    }

    @Override
    public void export(Consumer<Mapping> sink) {
        throw new UnsupportedOperationException("not needed by the DICOM tests");
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
