package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.api.Mapping;
import eu.hbp.mip.anonymiser.api.PseudonymStore;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The store a dry run edits with: lookups pass through to the real store, nothing is ever
 * created in it. A value without a pseudonym yet gets {@value #NEW_PSEUDONYM}, a UID
 * {@value #NEW_UID}, a day shift 0 (a shift moves no element from kept to removed). One per
 * dry run; it never closes the real store.
 */
final class DryRunStore implements PseudonymStore {

    /** What a value without a pseudonym yet is shown as. */
    static final String NEW_PSEUDONYM = "NEWPSEUDONYM";
    /** What a UID is remapped to in a dry run. */
    static final String NEW_UID = "2.25.0";

    private final PseudonymStore store;

    DryRunStore(PseudonymStore store) {
        this.store = store;
    }

    @Override
    public String pseudonym(String domain, String value) {
        return store.lookup(domain, value).orElse(NEW_PSEUDONYM);
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
        return store.lookup(domain, value);
    }

    @Override
    public Optional<String> reidentify(String domain, String pseudonym) {
        return Optional.empty();
    }

    @Override
    public String uid(String uid) {
        return NEW_UID;
    }

    @Override
    public int dayShift(String domain, String value) {
        return 0;
    }

    @Override
    public void withdraw(String domain, String pseudonym) {
        throw new UnsupportedOperationException("a dry run records nothing");
    }

    @Override
    public boolean isWithdrawn(String domain, String pseudonym) {
        return store.isWithdrawn(domain, pseudonym);
    }

    @Override
    public void export(Consumer<Mapping> sink) {
        throw new UnsupportedOperationException("a dry run exports nothing");
    }

    @Override
    public void flush() {
        // nothing is written
    }

    @Override
    public void close() {
        // the real store belongs to the caller
    }
}
