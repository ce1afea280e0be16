package eu.hbp.mip.anonymiser.core.pseudonym;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Pseudonyms per second of the store, each beside the raw HMAC rate of
 * {@link KeyedPseudonyms} alone measured just before it in the same process:
 * repeated values (served by the cache) and new values (computed, buffered and
 * written in batches), on SQLite in a temporary {@code db/} and on an embedded
 * PostgreSQL with its default (durable) settings. One thread; the figures are the
 * best of three rounds. Beside the wall-clock rates it prints the rates per second
 * of CPU time (SQLite runs in this thread, so that figure is what an
 * unloaded core would give; PostgreSQL works in its own processes, so its CPU
 * figure leaves the server out). The CPU time is the process's, GC and JIT included. Not a test: run {@code scripts/bench-pseudonyms.sh}.
 *
 * <p>Floors (issue 3): repeated values at least 20% of the raw HMAC rate; new
 * values on SQLite at least 20,000 per second.
 */
final class PseudonymBenchmark {

    private static final int REPEATED_SET = 10_000;
    private static final int REPEATED_CALLS = 1_000_000;
    private static final int NEW_VALUES = 200_000;

    private PseudonymBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Files.createTempDirectory("mip-pseudonym-bench");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start()) {
            String pgUrl = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres?user=postgres";
            Path loadavg = Path.of("/proc/loadavg");
            System.out.printf("load average %s on %d cores%n",
                    Files.exists(loadavg) ? Files.readString(loadavg).split(" ")[0] : "unknown",
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("%-34s %14s %14s %8s   %s%n", "scenario", "pseudonyms/s", "raw HMAC/s", "ratio",
                    "per CPU-second: store, raw HMAC, ratio");
            Result sqliteRepeated = run("SQLite, repeated values (cache)", root.resolve("s1"), null, true);
            Result sqliteNew = run("SQLite, new values", root.resolve("s2"), null, false);
            Result pgRepeated = run("PostgreSQL, repeated values", root.resolve("p1"), pgUrl, true);
            Result pgNew = run("PostgreSQL, new values", root.resolve("p2"), pgUrl, false);
            System.out.println();
            boolean repeatedMet = sqliteRepeated.ratio() >= 0.2 && pgRepeated.ratio() >= 0.2;
            System.out.printf("floor: repeated >= 0.20 x raw HMAC: SQLite %.2f, PostgreSQL %.2f -> %s%n",
                    sqliteRepeated.ratio(), pgRepeated.ratio(), repeatedMet ? "met" : "NOT MET");
            System.out.printf("floor: new values on SQLite >= 20,000/s: %,.0f/s -> %s%n",
                    sqliteNew.rate(), sqliteNew.rate() >= 20_000 ? "met" : "NOT MET");
            System.out.printf("(PostgreSQL new values: %,.0f/s; no floor)%n", pgNew.rate());
        } finally {
            delete(root);
        }
    }

    /** The store's rate, the raw HMAC rate measured just before it, and their ratio. */
    private record Result(double rate, double raw, double ratio) {
    }

    /** Calls per second of wall-clock time and of this thread's CPU time. */
    private record Rate(double wall, double cpu) {
        static Rate of(int calls, long wallNanos, long cpuNanos) {
            return new Rate(calls / (wallNanos / 1e9), calls / (cpuNanos / 1e9));
        }
    }

    /** @return this process's CPU time (the benchmark runs one thread; GC and JIT add a little) */
    private static long cpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    }

    /** @return the round with the best ratio of store rate to raw HMAC rate (wall clock), of three */
    private static Result run(String name, Path base, String pgUrl, boolean repeated) throws IOException {
        Rate best = null;
        Rate rawAtBest = null;
        Rate bestCpu = null;
        Rate rawAtBestCpu = null;
        for (int round = 0; round < 3; round++) {
            Path db = Files.createDirectories(base.resolve("r" + round));
            String url = pgUrl == null ? null : schemaUrl(pgUrl, base.getFileName() + "_" + round);
            Rate raw = rawRate(repeated ? REPEATED_CALLS : NEW_VALUES, round, repeated);
            Rate rate;
            try (JdbiPseudonymStore store = PseudonymStores.open(db, url, new Properties(), "",
                    JdbiPseudonymStore.DEFAULT_CACHE, JdbiPseudonymStore.DEFAULT_BATCH)) {
                rate = repeated ? repeatedRate(store) : newRate(store, round);
            }
            if (best == null || rate.wall() / raw.wall() > best.wall() / rawAtBest.wall()) {
                best = rate;
                rawAtBest = raw;
            }
            if (bestCpu == null || rate.cpu() / raw.cpu() > bestCpu.cpu() / rawAtBestCpu.cpu()) {
                bestCpu = rate;
                rawAtBestCpu = raw;
            }
        }
        System.out.printf("%-34s %,14.0f %,14.0f %8.3f   %,12.0f %,12.0f %7.3f%n", name, best.wall(),
                rawAtBest.wall(), best.wall() / rawAtBest.wall(), bestCpu.cpu(), rawAtBestCpu.cpu(),
                bestCpu.cpu() / rawAtBestCpu.cpu());
        return new Result(best.wall(), rawAtBest.wall(), best.wall() / rawAtBest.wall());
    }

    private static Rate rawRate(int calls, int round, boolean repeated) {
        KeyedPseudonyms keyed = new KeyedPseudonyms(SiteKey.generate(), "");
        IntFunction<String> value = repeated ? i -> "HOSP-" + (i % REPEATED_SET) : i -> "RAW-" + round + "-" + i;
        String[] values = new String[Math.min(calls, 200_000)];
        for (int i = 0; i < values.length; i++) {
            values[i] = value.apply(i);
        }
        long sink = 0;
        for (int i = 0; i < 100_000; i++) {   // warm up
            sink += keyed.pseudonym("patient", values[i % values.length]).charAt(3);
        }
        long c0 = cpu();
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            sink += keyed.pseudonym("patient", values[i % values.length]).charAt(3);
        }
        long t1 = System.nanoTime();
        long c1 = cpu();
        blackhole(sink);
        return Rate.of(calls, t1 - t0, c1 - c0);
    }

    private static Rate repeatedRate(JdbiPseudonymStore store) {
        String[] values = new String[REPEATED_SET];
        for (int i = 0; i < values.length; i++) {
            values[i] = "HOSP-" + i;
            store.pseudonym("patient", values[i]);
        }
        store.flush();
        long sink = 0;
        for (int i = 0; i < 200_000; i++) {   // warm up
            sink += store.pseudonym("patient", values[i % values.length]).charAt(3);
        }
        long c0 = cpu();
        long t0 = System.nanoTime();
        for (int i = 0; i < REPEATED_CALLS; i++) {
            sink += store.pseudonym("patient", values[i % values.length]).charAt(3);
        }
        long t1 = System.nanoTime();
        long c1 = cpu();
        blackhole(sink);
        return Rate.of(REPEATED_CALLS, t1 - t0, c1 - c0);
    }

    private static Rate newRate(JdbiPseudonymStore store, int round) {
        String[] values = new String[NEW_VALUES];
        for (int i = 0; i < values.length; i++) {
            values[i] = "NEW-" + round + "-" + i;
        }
        long sink = 0;
        long c0 = cpu();
        long t0 = System.nanoTime();
        for (String v : values) {
            sink += store.pseudonym("patient", v).charAt(3);
        }
        store.flush();
        long t1 = System.nanoTime();
        long c1 = cpu();
        blackhole(sink);
        return Rate.of(NEW_VALUES, t1 - t0, c1 - c0);
    }

    private static String schemaUrl(String base, String schema) {
        try (var c = java.sql.DriverManager.getConnection(base); var s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return base + "&currentSchema=" + schema;
    }

    private static void blackhole(long sink) {
        if (sink == 42) {
            System.out.print("");
        }
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
