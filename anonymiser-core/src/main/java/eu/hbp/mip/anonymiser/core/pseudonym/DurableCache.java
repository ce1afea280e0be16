package eu.hbp.mip.anonymiser.core.pseudonym;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded least-recently-used map from (domain, value) to a pseudonym that is
 * already durable in the store. Striped into segments, each a small access-ordered
 * {@link LinkedHashMap} under its own monitor, so threads rarely contend; memory is
 * bounded by the capacity whatever the input. Thread-safe.
 */
final class DurableCache {

    private static final int SEGMENTS = 16;   // 2^4, see segment()

    private final Segment[] segments;

    /** @param capacity the most entries kept (spread over the segments); 0 disables the cache */
    DurableCache(int capacity) {
        int perSegment = Math.max(0, (capacity + SEGMENTS - 1) / SEGMENTS);
        segments = new Segment[SEGMENTS];
        for (int i = 0; i < SEGMENTS; i++) {
            segments[i] = new Segment(perSegment);
        }
    }

    String get(Key key) {
        Segment s = segment(key);
        synchronized (s) {
            return s.get(key);
        }
    }

    void put(Key key, String pseudonym) {
        Segment s = segment(key);
        synchronized (s) {
            s.put(key, pseudonym);
        }
    }

    /** @return how many entries are held now */
    int size() {
        int n = 0;
        for (Segment s : segments) {
            synchronized (s) {
                n += s.size();
            }
        }
        return n;
    }

    private Segment segment(Key key) {
        // the top bits of a multiplicative hash: the segment maps index by the low bits,
        // which must stay spread inside each segment
        int h = key.hashCode() * 0x9E3779B9;
        return segments[h >>> (Integer.SIZE - 4)];
    }

    /** (domain, value): a cache and buffer key; its {@code toString} hides the value. */
    record Key(String domain, String value) {
        @Override
        public String toString() {
            return "Key[domain=" + domain + "]";
        }
    }

    private static final class Segment extends LinkedHashMap<Key, String> {
        private static final long serialVersionUID = 1L;
        private final int max;

        Segment(int max) {
            super(16, 0.75f, true);
            this.max = max;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, String> eldest) {
            return size() > max;
        }
    }
}
