package eu.hbp.mip.anonymiser.pipeline;

import eu.hbp.mip.anonymiser.api.Mapping;
import eu.hbp.mip.anonymiser.api.PseudonymStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The leak check behind {@code verify}: every original value recorded in the
 * pseudonym store is searched for, as UTF-8 and as Latin-1 bytes, in every file
 * under a folder, in one pass per file (an Aho-Corasick automaton).
 *
 * <p>A finding names the file (under the scanned folder, whose names are already
 * pseudonymised), the domain, the pseudonym and the encoding; never the value.
 * Values shorter than {@link #minLength} characters are skipped, and counted,
 * since they occur by chance in any file. Immutable after construction; {@link #scan}
 * may be called from several threads.
 */
public final class LeakCheck {

    /** One original value found in one file. */
    public record Leak(Path file, String domain, String pseudonym, String encoding) {
    }

    /** What a scan found. */
    public record Report(long files, long bytes, long values, long skippedShort, List<Leak> leaks) {
        public boolean clean() {
            return leaks.isEmpty();
        }
    }

    private record Origin(String domain, String pseudonym, String encoding) {
    }

    private final MultiPatternSearch search;
    private final List<List<Origin>> origins;
    private final long values;
    private final long skippedShort;
    private final int minLength;

    private LeakCheck(MultiPatternSearch search, List<List<Origin>> origins, long values, long skippedShort,
                      int minLength) {
        this.search = search;
        this.origins = origins;
        this.values = values;
        this.skippedShort = skippedShort;
        this.minLength = minLength;
    }

    /**
     * Builds the automaton from every mapping in {@code store}.
     *
     * @param store the pseudonym store
     * @param minLength values with fewer characters are skipped
     * @return the check
     */
    public static LeakCheck from(PseudonymStore store, int minLength) {
        MultiPatternSearch.Builder builder = new MultiPatternSearch.Builder();
        List<List<Origin>> origins = new ArrayList<>();
        long[] counts = new long[2];
        store.export(m -> add(m, minLength, builder, origins, counts));
        return new LeakCheck(builder.build(), origins, counts[0], counts[1], minLength);
    }

    /** For tests: a check over the given mappings. */
    public static LeakCheck of(Iterable<Mapping> mappings, int minLength) {
        MultiPatternSearch.Builder builder = new MultiPatternSearch.Builder();
        List<List<Origin>> origins = new ArrayList<>();
        long[] counts = new long[2];
        mappings.forEach(m -> add(m, minLength, builder, origins, counts));
        return new LeakCheck(builder.build(), origins, counts[0], counts[1], minLength);
    }

    private static void add(Mapping m, int minLength, MultiPatternSearch.Builder builder,
                            List<List<Origin>> origins, long[] counts) {
        String value = m.value();
        counts[0]++;
        if (value == null || value.strip().length() < minLength) {
            counts[1]++;
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        addPattern(builder, origins, utf8, new Origin(m.domain(), m.pseudonym(), "UTF-8"));
        CharsetEncoder latin1 = StandardCharsets.ISO_8859_1.newEncoder();
        if (latin1.canEncode(value)) {
            byte[] l1 = value.getBytes(StandardCharsets.ISO_8859_1);
            if (!Arrays.equals(l1, utf8)) {
                addPattern(builder, origins, l1, new Origin(m.domain(), m.pseudonym(), "ISO-8859-1"));
            }
        }
    }

    private static void addPattern(MultiPatternSearch.Builder builder, List<List<Origin>> origins, byte[] bytes,
                                   Origin origin) {
        int id = builder.add(bytes);
        while (origins.size() <= id) {
            origins.add(new ArrayList<>(1));
        }
        origins.get(id).add(origin);
    }

    /** @return how many mappings were read */
    long values() {
        return values;
    }

    /** @return how many were too short to search for */
    long skippedShort() {
        return skippedShort;
    }

    /** @return the minimum length searched for */
    int minLength() {
        return minLength;
    }

    /**
     * Scans every regular file under {@code root} (names starting with {@code .},
     * such as the mover's temporary files, are left out).
     *
     * @param root the folder, usually {@code out/}
     * @param threads how many files to scan at once
     * @return the findings, sorted by file
     */
    public Report scan(Path root, int threads) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> SiteStatus.visible(root, p))
                    .sorted()
                    .toList();
        }
        ConcurrentLinkedQueue<Leak> leaks = new ConcurrentLinkedQueue<>();
        AtomicLong bytes = new AtomicLong();
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, threads));
        try {
            pool.submit(() -> files.parallelStream().forEach(f -> {
                try {
                    bytes.addAndGet(scanFile(root, f, leaks));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            })).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("leak check interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw new IllegalStateException("leak check failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        List<Leak> sorted = new ArrayList<>(leaks);
        sorted.sort(Comparator.comparing((Leak l) -> l.file().toString())
                .thenComparing(Leak::domain).thenComparing(Leak::pseudonym).thenComparing(Leak::encoding));
        return new Report(files.size(), bytes.get(), values, skippedShort, List.copyOf(sorted));
    }

    private long scanFile(Path root, Path file, ConcurrentLinkedQueue<Leak> leaks) throws IOException {
        if (search.patterns() == 0) {
            return Files.size(file);
        }
        Set<Integer> hits = new LinkedHashSet<>();
        MultiPatternSearch.Scan scan = search.scan();
        byte[] buf = new byte[1 << 16];
        long total = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                scan.feed(buf, 0, n, hits::add);
                total += n;
            }
        }
        Path relative = root.relativize(file);
        for (int id : hits) {
            for (Origin o : origins.get(id)) {
                leaks.add(new Leak(relative, o.domain(), o.pseudonym(), o.encoding()));
            }
        }
        return total;
    }
}
