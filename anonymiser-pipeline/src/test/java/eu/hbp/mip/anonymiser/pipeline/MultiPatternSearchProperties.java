package eu.hbp.mip.anonymiser.pipeline;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MultiPatternSearchProperties {

    /** Small alphabet so that patterns overlap, share prefixes and suffixes often. */
    private static byte[] bytes(List<Integer> codes) {
        byte[] b = new byte[codes.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) ('a' + codes.get(i));
        }
        return b;
    }

    @Property(tries = 300)
    void findsExactlyTheOccurrencesANaiveSearchFinds(
            @ForAll @Size(min = 1, max = 12) List<@Size(min = 1, max = 5) List<@IntRange(min = 0, max = 2) Integer>> pats,
            @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 2) Integer> textCodes,
            @ForAll @IntRange(min = 1, max = 7) int chunk) {
        MultiPatternSearch.Builder builder = new MultiPatternSearch.Builder();
        List<byte[]> patterns = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (List<Integer> p : pats) {
            byte[] b = bytes(p);
            patterns.add(b);
            ids.add(builder.add(b));
        }
        byte[] text = bytes(textCodes);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < patterns.size(); i++) {
            byte[] p = patterns.get(i);
            for (int end = p.length; end <= text.length; end++) {
                if (java.util.Arrays.equals(text, end - p.length, end, p, 0, p.length)) {
                    expected.add(ids.get(i) + "@" + end);
                }
            }
        }
        Set<String> found = new HashSet<>();
        MultiPatternSearch.Scan scan = builder.build().scan();
        int[] pos = {0};
        for (int off = 0; off < text.length; off += chunk) {
            int len = Math.min(chunk, text.length - off);
            // report positions by feeding one byte at a time inside the chunk boundary
            for (int i = 0; i < len; i++) {
                pos[0] = off + i + 1;
                scan.feed(text, off + i, 1, id -> found.add(id + "@" + pos[0]));
            }
        }
        assertEquals(expected, found);
    }

    @Property(tries = 100)
    void chunkBoundariesDoNotHideAMatch(@ForAll @IntRange(min = 1, max = 40) int chunk) {
        MultiPatternSearch.Builder builder = new MultiPatternSearch.Builder();
        int id = builder.add("HOSP-000123".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        byte[] text = ("xxxxxxxxxxxxxxxxxxxHOSP-000123yyyyyyyyyHOSP-00012").getBytes(
                java.nio.charset.StandardCharsets.US_ASCII);
        List<Integer> hits = new ArrayList<>();
        MultiPatternSearch.Scan scan = builder.build().scan();
        for (int off = 0; off < text.length; off += chunk) {
            scan.feed(text, off, Math.min(chunk, text.length - off), hits::add);
        }
        assertEquals(List.of(id), hits);
    }
}
