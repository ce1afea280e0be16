package eu.hbp.mip.anonymiser.core.pseudonym;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A bounded map from (domain, value) to a pseudonym that is already durable in the
 * store, with approximately least-recently-used eviction in two generations: new
 * entries go to the young map; when it holds half the capacity, it becomes the old
 * map and the previous old map is dropped at once; a hit in the old map is copied
 * back to the young one. Reads take no lock (two {@link ConcurrentHashMap} look-ups
 * at most), an eviction is one reference swap, and memory is bounded by about the
 * capacity whatever the input. A miss is always safe: the store then recomputes
 * the pseudonym and its insert-if-absent finds the row. Thread-safe.
 */
final class DurableCache {

    private final int half;
    private volatile ConcurrentHashMap<Key, String> young;
    private volatile ConcurrentHashMap<Key, String> old;

    /** @param capacity the most entries kept (about); 0 disables the cache */
    DurableCache(int capacity) {
        this.half = Math.max(0, capacity / 2);
        this.young = newMap();
        this.old = newMap();
    }

    String get(Key key) {
        String p = young.get(key);
        if (p == null) {
            p = old.get(key);
            if (p != null) {
                put(key, p);
            }
        }
        return p;
    }

    void put(Key key, String pseudonym) {
        if (half == 0) {
            return;
        }
        ConcurrentHashMap<Key, String> y = young;
        y.put(key, pseudonym);
        if (y.size() >= half) {
            rotate(y);
        }
    }

    /** @return how many entries are held now (both generations; an entry may be in both) */
    int size() {
        return young.size() + old.size();
    }

    private synchronized void rotate(ConcurrentHashMap<Key, String> full) {
        if (young == full) {
            old = full;
            young = newMap();
        }
    }

    private ConcurrentHashMap<Key, String> newMap() {
        return new ConcurrentHashMap<>(Math.max(16, half + half / 3 + 1));
    }

    /** (domain, value): a cache and buffer key; its {@code toString} hides the value. */
    record Key(String domain, String value) {
        @Override
        public String toString() {
            return "Key[domain=" + domain + "]";
        }
    }
}
