package eu.hbp.mip.anonymiser.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An Aho-Corasick automaton over bytes: finds every occurrence of many byte
 * patterns in one pass over a stream, in time linear in the input plus the matches.
 *
 * <p>Transitions are kept sparse (a dense table at the root, an open-addressing
 * hash table elsewhere), so a million patterns cost tens of megabytes, not
 * gigabytes. Built once by {@link Builder}, then immutable: one automaton may be
 * used by many {@link Scan}s in many threads; a {@link Scan} itself is not thread-safe.
 */
final class MultiPatternSearch {

    /** Receives the id of each pattern that ends at the current position. */
    @FunctionalInterface
    interface Hit {
        void found(int patternId);
    }

    private static final int ROOT = 0;

    private final int[] rootNext;     // dense transitions of the root, -1 for none
    private final long[] keys;        // hash table: (node << 8 | byte) + 1, 0 = empty
    private final int[] values;       // child node for each key
    private final int mask;
    private final int[] fail;         // failure link per node
    private final int[] dictLink;     // nearest node on the failure chain that ends a pattern, -1 for none
    private final int[] patternAt;    // the pattern id ending at a node, -1 for none
    private final int patterns;

    private MultiPatternSearch(int[] rootNext, long[] keys, int[] values, int[] fail, int[] dictLink,
                               int[] patternAt, int patterns) {
        this.rootNext = rootNext;
        this.keys = keys;
        this.values = values;
        this.mask = keys.length - 1;
        this.fail = fail;
        this.dictLink = dictLink;
        this.patternAt = patternAt;
        this.patterns = patterns;
    }

    /** @return the number of distinct patterns */
    int patterns() {
        return patterns;
    }

    /** @return a new scan positioned at the start of a stream */
    Scan scan() {
        return new Scan();
    }

    private int child(int node, int b) {
        if (node == ROOT) {
            return rootNext[b];
        }
        long key = (((long) node) << 8 | b) + 1;
        int slot = mix(key) & mask;
        while (true) {
            long k = keys[slot];
            if (k == 0) {
                return -1;
            }
            if (k == key) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }

    /** The state of one pass over one stream; feed it the stream's bytes in order. */
    final class Scan {
        private int state = ROOT;

        private Scan() {
        }

        /**
         * Advances over {@code buf[off, off+len)}, reporting every pattern that ends
         * inside it (including patterns that began in earlier calls).
         */
        void feed(byte[] buf, int off, int len, Hit hit) {
            int s = state;
            for (int i = off, end = off + len; i < end; i++) {
                int b = buf[i] & 0xFF;
                int next;
                while ((next = child(s, b)) < 0 && s != ROOT) {
                    s = fail[s];
                }
                s = next < 0 ? ROOT : next;
                int d = patternAt[s] >= 0 ? s : dictLink[s];
                while (d >= 0) {
                    hit.found(patternAt[d]);
                    d = dictLink[d];
                }
            }
            state = s;
        }
    }

    /** Collects patterns; not thread-safe. */
    static final class Builder {
        private final List<byte[]> patternBytes = new ArrayList<>();
        // trie under construction, first-child / next-sibling lists
        private int[] firstChild = new int[1024];
        private int[] nextSibling = new int[1024];
        private byte[] label = new byte[1024];
        private int[] patternAt = new int[1024];
        private int nodes = 1;

        Builder() {
            Arrays.fill(firstChild, -1);
            Arrays.fill(nextSibling, -1);
            Arrays.fill(patternAt, -1);
        }

        /**
         * Adds a pattern. Adding the same bytes twice returns the first id.
         *
         * @param pattern at least one byte
         * @return the pattern's id, dense from 0
         */
        int add(byte[] pattern) {
            if (pattern.length == 0) {
                throw new IllegalArgumentException("empty pattern");
            }
            int node = ROOT;
            for (byte b : pattern) {
                int c = firstChild[node];
                while (c >= 0 && label[c] != b) {
                    c = nextSibling[c];
                }
                if (c < 0) {
                    c = newNode(b);
                    nextSibling[c] = firstChild[node];
                    firstChild[node] = c;
                }
                node = c;
            }
            if (patternAt[node] < 0) {
                patternAt[node] = patternBytes.size();
                patternBytes.add(pattern.clone());
            }
            return patternAt[node];
        }

        private int newNode(byte b) {
            if (nodes == firstChild.length) {
                int n = nodes * 2;
                firstChild = grow(firstChild, n);
                nextSibling = grow(nextSibling, n);
                patternAt = grow(patternAt, n);
                label = Arrays.copyOf(label, n);
            }
            label[nodes] = b;
            return nodes++;
        }

        private static int[] grow(int[] a, int n) {
            int old = a.length;
            int[] b = Arrays.copyOf(a, n);
            Arrays.fill(b, old, n, -1);
            return b;
        }

        /** @return the automaton */
        MultiPatternSearch build() {
            int n = nodes;
            int[] rootNext = new int[256];
            Arrays.fill(rootNext, -1);
            int capacity = Integer.highestOneBit(Math.max(4, n * 2 - 1)) << 1;
            long[] keys = new long[capacity];
            int[] values = new int[capacity];
            int mask = capacity - 1;
            for (int c = firstChild[ROOT]; c >= 0; c = nextSibling[c]) {
                rootNext[label[c] & 0xFF] = c;
            }
            for (int node = 1; node < n; node++) {
                for (int c = firstChild[node]; c >= 0; c = nextSibling[c]) {
                    long key = (((long) node) << 8 | (label[c] & 0xFF)) + 1;
                    int slot = mix(key) & mask;
                    while (keys[slot] != 0) {
                        slot = (slot + 1) & mask;
                    }
                    keys[slot] = key;
                    values[slot] = c;
                }
            }
            int[] fail = new int[n];
            int[] dict = new int[n];
            Arrays.fill(dict, -1);
            int[] pat = Arrays.copyOf(patternAt, n);
            MultiPatternSearch partial = new MultiPatternSearch(rootNext, keys, values, fail, dict, pat,
                    patternBytes.size());
            // Breadth-first: a node's failure link is computed from its parent's, which is done already.
            int[] queue = new int[n];
            int head = 0;
            int tail = 0;
            for (int c = firstChild[ROOT]; c >= 0; c = nextSibling[c]) {
                fail[c] = ROOT;
                queue[tail++] = c;
            }
            while (head < tail) {
                int node = queue[head++];
                for (int c = firstChild[node]; c >= 0; c = nextSibling[c]) {
                    int b = label[c] & 0xFF;
                    int f = fail[node];
                    int next;
                    while ((next = partial.child(f, b)) < 0 && f != ROOT) {
                        f = fail[f];
                    }
                    fail[c] = next < 0 || next == c ? ROOT : next;
                    dict[c] = pat[fail[c]] >= 0 ? fail[c] : dict[fail[c]];
                    queue[tail++] = c;
                }
            }
            return partial;
        }
    }
}
