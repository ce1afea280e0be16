package eu.hbp.mip.anonymiser.examples.pacs;

import eu.hbp.mip.anonymiser.api.Mapping;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.core.pseudonym.KeyedPseudonyms;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** An in-memory store over the keyed generator, until the Jdbi store is merged. Not durable. */
final class InterimStore implements PseudonymStore {

    private final KeyedPseudonyms keyed;
    private final Map<String, String> recorded = new ConcurrentHashMap<>();

    InterimStore(KeyedPseudonyms keyed) {
        this.keyed = keyed;
    }

    @Override
    public String pseudonym(String domain, String value) {
        String p = keyed.pseudonym(domain, value);
        recorded.put(domain + "\0" + value, p);
        return p;
    }

    @Override
    public Map<String, String> pseudonyms(String domain, Collection<String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach(v -> out.put(v, pseudonym(domain, v)));
        return out;
    }

    @Override
    public Optional<String> lookup(String domain, String value) {
        return Optional.ofNullable(recorded.get(domain + "\0" + value));
    }

    @Override
    public Optional<String> reidentify(String domain, String pseudonym) {
        return Optional.empty();
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
    }

    @Override
    public boolean isWithdrawn(String domain, String pseudonym) {
        return false;
    }

    @Override
    public void export(Consumer<Mapping> sink) {
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
