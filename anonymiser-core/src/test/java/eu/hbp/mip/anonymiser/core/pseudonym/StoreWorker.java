package eu.hbp.mip.anonymiser.core.pseudonym;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A child process for the concurrency tests: opens the store, runs get-or-create
 * for values {@code V0..V(n-1)} in every one of its threads (each in its own
 * shuffled order, so threads and processes overlap), checks that its threads
 * agree, closes the store and writes {@code value TAB pseudonym} lines.
 *
 * <p>Arguments: db folder, JDBC URL or {@code -}, output file, values, threads, seed.
 */
final class StoreWorker {

    private StoreWorker() {
    }

    static Process start(Path db, String url, Path out, int values, int threads, int seed, Path log)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                StoreWorker.class.getName(), db.toString(), url == null ? "-" : url, out.toString(),
                Integer.toString(values), Integer.toString(threads), Integer.toString(seed));
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    static Map<String, String> read(Path out) throws IOException {
        Map<String, String> m = new TreeMap<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            int tab = line.indexOf('\t');
            m.put(line.substring(0, tab), line.substring(tab + 1));
        }
        return m;
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        String url = args[1].equals("-") ? null : args[1];
        Path out = Path.of(args[2]);
        int values = Integer.parseInt(args[3]);
        int threads = Integer.parseInt(args[4]);
        int seed = Integer.parseInt(args[5]);
        Map<String, String> agreed = new ConcurrentHashMap<>();
        long t0 = System.nanoTime();
        try (JdbiPseudonymStore store = PseudonymStores.open(db, url, "")) {
            System.err.printf("opened in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int s = seed * 100 + t;
                all.add(pool.submit(() -> {
                    List<String> order = new ArrayList<>();
                    for (int i = 0; i < values; i++) {
                        order.add("V" + i);
                    }
                    Collections.shuffle(order, new Random(s));
                    go.await();
                    for (String v : order) {
                        String p = store.pseudonym("patient", v);
                        String before = agreed.putIfAbsent(v, p);
                        if (before != null && !before.equals(p)) {
                            throw new IllegalStateException("two threads saw two pseudonyms for one value");
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : all) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            System.err.printf("worked until %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        }
        System.err.printf("closed at %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        List<String> lines = new ArrayList<>();
        new TreeMap<>(agreed).forEach((v, p) -> lines.add(v + "\t" + p));
        Files.write(out, lines, StandardCharsets.UTF_8);
    }
}
