package eu.hbp.mip.anonymiser.csv;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds a row's identifier tokens in a text in one pass, whatever their number: an
 * Aho-Corasick automaton over the case-folded tokens, so the cost is linear in the text
 * plus the tokens (and the matches). A token is found case-insensitively (as
 * {@link String#regionMatches(boolean, int, String, int, int)} compares characters) and only
 * as a whole word: not preceded nor followed by a letter or digit. A control character that
 * stood inside a word ({@link Normalisation.Text#inWord()}) is skipped, and counts as a word
 * boundary, so {@code Fi\tscher} holds {@code Fischer} and {@code Dr\tMartin} holds {@code Martin}.
 *
 * <p>A short text against few tokens (at most {@value #NAIVE_WORK} characters times tokens) is
 * searched directly, token by token at each word start, which needs no automaton: the
 * automaton is only built, once, when a longer text comes. Built once per row and used by one thread: not thread-safe.
 */
final class IdentifierMatcher {

    /** Up to how many characters times tokens a text is searched token by token. */
    static final int NAIVE_WORK = 4096;

    private final List<String> tokens;
    private final int naiveWork;
    private final boolean empty;
    private Automaton automaton;

    /** @param tokens the tokens, each of one character or more; the matcher keeps the list, unchanged */
    IdentifierMatcher(List<String> tokens) {
        this(tokens, NAIVE_WORK);
    }

    /**
     * @param tokens the tokens, each of one character or more; the matcher keeps the list, unchanged
     * @param naiveWork up to how many characters times tokens a text is searched token by token
     *        (0: always with the automaton)
     */
    IdentifierMatcher(List<String> tokens, int naiveWork) {
        this.tokens = tokens;
        this.naiveWork = naiveWork;
        boolean none = true;
        for (String t : tokens) {
            none &= t.isEmpty();
        }
        this.empty = none;
    }

    /** @return whether no token can ever be found */
    boolean isEmpty() {
        return empty;
    }

    /**
     * Marks every whole-word occurrence of a token of {@code minLength} characters or more.
     *
     * @param view the text, CR and LF as spaces
     * @param inWord positions of controls that stood inside a word, or null
     * @param minLength the shortest token to mark
     * @param mask where to mark, or null
     * @return the mask, created at the first occurrence; null when there is none and none was given
     */
    BitSet mask(String view, BitSet inWord, int minLength, BitSet mask) {
        if (empty || view.isEmpty()) {
            return mask;
        }
        if ((long) view.length() * tokens.size() <= naiveWork) {
            if (inWord == null) {
                return naive(view, null, minLength, mask);
            }
            // the text without its controls inside words, and where each of its characters stood
            int[] at = new int[view.length()];
            StringBuilder joined = new StringBuilder(view.length());
            for (int i = 0; i < view.length(); i++) {
                if (!inWord.get(i)) {
                    at[joined.length()] = i;
                    joined.append(view.charAt(i));
                }
            }
            return naive(joined.toString(), at, minLength, mask);
        }
        if (automaton == null) {
            automaton = new Automaton(tokens);
        }
        return automaton.mask(view, inWord, minLength, mask);
    }

    /**
     * Token by token, at every position that may start a whole word (the first, and those after
     * a character that is neither a letter nor a digit, or after a control that was skipped):
     * the same findings as the automaton, for short texts.
     *
     * @param text the text, without the controls inside words
     * @param at the position in the marked text of each character of {@code text}, or null when the same
     */
    private BitSet naive(String text, int[] at, int minLength, BitSet mask) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            if (i > 0 && Character.isLetterOrDigit(text.charAt(i - 1)) && !skippedBefore(at, i)) {
                continue;
            }
            char first = fold(text.charAt(i));
            for (String token : tokens) {
                int len = token.length();
                if (len < minLength || len == 0 || i + len > n || fold(token.charAt(0)) != first) {
                    continue;
                }
                int end = i + len;
                if (text.regionMatches(true, i, token, 0, len)
                        && (end == n || !Character.isLetterOrDigit(text.charAt(end)) || skippedBefore(at, end))) {
                    if (mask == null) {
                        mask = new BitSet(at == null ? n : at[n - 1] + 1);
                    }
                    if (at == null) {
                        mask.set(i, end);
                    } else {
                        mask.set(at[i], at[end - 1] + 1);
                    }
                }
            }
        }
        return mask;
    }

    /** @return whether a control inside a word was skipped just before character {@code i} (0 &lt; i) */
    private static boolean skippedBefore(int[] at, int i) {
        return at != null && at[i] != at[i - 1] + 1;
    }

    /** The Aho-Corasick automaton of the tokens. */
    private static final class Automaton {
        private final Map<Long, Integer> edges = new HashMap<>();
        private final int[] fail;
        private final int[] length;   // the token length when the node ends a token, else 0
        private final int[] nextEnd;  // the next node on the fail chain that ends a token, or -1

        Automaton(List<String> tokens) {
            int nodes = 1;
            int[] depth = new int[16];
            int[] len = new int[16];
            for (String token : tokens) {
                int state = 0;
                for (int i = 0; i < token.length(); i++) {
                    long key = key(state, fold(token.charAt(i)));
                    Integer next = edges.get(key);
                    if (next == null) {
                        if (nodes == depth.length) {
                            depth = Arrays.copyOf(depth, nodes * 2);
                            len = Arrays.copyOf(len, nodes * 2);
                        }
                        next = nodes++;
                        depth[next] = i + 1;
                        edges.put(key, next);
                    }
                    state = next;
                }
                if (!token.isEmpty()) {
                    len[state] = token.length();
                }
            }
            this.length = Arrays.copyOf(len, nodes);
            this.fail = new int[nodes];
            this.nextEnd = new int[nodes];
            Arrays.fill(nextEnd, -1);
            // breadth first: the fail link of a node is the longest proper suffix that is a trie node
            Map<Integer, Map<Character, Integer>> children = new HashMap<>();
            for (Map.Entry<Long, Integer> e : edges.entrySet()) {
                int parent = (int) (e.getKey() >>> 16);
                children.computeIfAbsent(parent, k -> new HashMap<>()).put((char) (e.getKey() & 0xFFFF), e.getValue());
            }
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            for (int child : children.getOrDefault(0, Map.of()).values()) {
                fail[child] = 0;
                queue.add(child);
            }
            while (!queue.isEmpty()) {
                int node = queue.poll();
                int f = fail[node];
                nextEnd[node] = length[f] > 0 ? f : nextEnd[f];
                for (Map.Entry<Character, Integer> e : children.getOrDefault(node, Map.of()).entrySet()) {
                    int child = e.getValue();
                    fail[child] = step(f, e.getKey());
                    queue.add(child);
                }
            }
        }

        BitSet mask(String view, BitSet inWord, int minLength, BitSet mask) {
            int n = view.length();
            int[] at = inWord == null ? null : new int[n]; // text position of each character fed
            int fed = 0;
            int state = 0;
            for (int i = 0; i < n; i++) {
                if (inWord != null) {
                    if (inWord.get(i)) {
                        continue;
                    }
                    at[fed] = i;
                }
                state = step(state, fold(view.charAt(i)));
                int end = i + 1;
                if (end < n && Character.isLetterOrDigit(view.charAt(end)) && (inWord == null || !inWord.get(end))) {
                    fed++;
                    continue; // no whole word ends here
                }
                for (int t = length[state] > 0 ? state : nextEnd[state]; t > 0; t = nextEnd[t]) {
                    int len = length[t];
                    if (len < minLength) {
                        continue;
                    }
                    int start = inWord == null ? end - len : at[fed - len + 1];
                    if (start == 0 || !Character.isLetterOrDigit(view.charAt(start - 1))
                            || inWord != null && inWord.get(start - 1)) {
                        if (mask == null) {
                            mask = new BitSet(n);
                        }
                        mask.set(start, end);
                    }
                }
                fed++;
            }
            return mask;
        }

        private int step(int state, char c) {
            int s = state;
            while (true) {
                Integer next = edges.get(key(s, c));
                if (next != null) {
                    return next;
                }
                if (s == 0) {
                    return 0;
                }
                s = fail[s];
            }
        }

        private static long key(int state, char c) {
            return ((long) state << 16) | c;
        }
    }

    /** Case folding as {@code regionMatches(true, ...)} compares: upper case, then lower case. */
    static char fold(char c) {
        return Character.toLowerCase(Character.toUpperCase(c));
    }
}
