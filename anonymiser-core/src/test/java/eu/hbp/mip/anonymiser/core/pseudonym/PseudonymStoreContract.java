package eu.hbp.mip.anonymiser.core.pseudonym;

import eu.hbp.mip.anonymiser.api.Mapping;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.api.StoreException;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour every {@link PseudonymStore} on Jdbi must show, run against a real
 * SQLite file ({@link SqlitePseudonymStoreTests}) and a real PostgreSQL
 * ({@link PostgresPseudonymStoreTests}).
 */
abstract class PseudonymStoreContract {

    /** A value whose appearance in any message would be a leak. */
    static final String SECRET = "HOSP-SECRET-4711";

    @TempDir
    Path dir;
    Path db;
    String url;

    /** @return the JDBC URL of a fresh, empty store; null for SQLite in db/ */
    abstract String freshUrl();

    /** @return direct access to the store's database, for setting up broken states */
    abstract Jdbi raw();

    @BeforeEach
    void setUp() {
        db = dir.resolve("db");
        url = freshUrl();
    }

    JdbiPseudonymStore open() {
        return PseudonymStores.open(db, url, "");
    }

    JdbiPseudonymStore open(int cache, int batch) {
        return PseudonymStores.open(db, url, new Properties(), "", cache, batch);
    }

    long rows(String table) {
        return raw().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
    }

    @Test
    void returnsTheGeneratorsPseudonymAndTheSameOneEveryTime() {
        try (JdbiPseudonymStore store = open()) {
            KeyedPseudonyms keyed = new KeyedPseudonyms(SiteKey.loadOrCreate(db), "");
            String p = store.pseudonym("patient", SECRET);
            assertEquals(keyed.pseudonym("patient", SECRET), p);
            assertEquals(p, store.pseudonym("patient", SECRET));
            store.flush();
            assertEquals(p, store.pseudonym("patient", SECRET));
            assertEquals(1, rows("mapping"));
        }
    }

    @Test
    void distinctValuesAndDomainsGetDistinctPseudonyms() {
        try (JdbiPseudonymStore store = open()) {
            Set<String> seen = new HashSet<>();
            for (String domain : List.of("patient", "visit", "accession")) {
                for (int i = 0; i < 300; i++) {
                    assertTrue(seen.add(store.pseudonym(domain, "ID-" + i)), "a pseudonym was given twice");
                }
            }
            store.flush();
            assertEquals(900, rows("mapping"));
        }
    }

    @Test
    void batchGetOrCreateAgreesWithSingleCalls() {
        try (JdbiPseudonymStore store = open()) {
            List<String> values = List.of("A", "B", "A", "C", "B", "D");
            Map<String, String> batch = store.pseudonyms("visit", values);
            assertEquals(List.of("A", "B", "C", "D"), new ArrayList<>(batch.keySet()));
            for (String v : batch.keySet()) {
                assertEquals(store.pseudonym("visit", v), batch.get(v));
            }
            store.flush();
            assertEquals(4, rows("mapping"));
        }
    }

    @Test
    void mappingsSurviveCloseAndReopen() {
        Map<String, String> first = new HashMap<>();
        Map<String, Instant> seen = new HashMap<>();
        try (JdbiPseudonymStore store = open()) {
            for (int i = 0; i < 2_500; i++) {
                first.put("P" + i, store.pseudonym("patient", "P" + i));
            }
        }
        try (JdbiPseudonymStore store = open()) {
            store.export(m -> seen.put(m.value(), m.firstSeen()));
            assertEquals(first.keySet(), seen.keySet());
            for (Map.Entry<String, String> e : first.entrySet()) {
                if (e.getKey().endsWith("7")) {   // a sample: one query each
                    assertEquals(Optional.of(e.getValue()), store.lookup("patient", e.getKey()));
                    assertEquals(Optional.of(e.getKey()), store.reidentify("patient", e.getValue()));
                }
                assertEquals(e.getValue(), store.pseudonym("patient", e.getKey()));
            }
            store.flush();
        }
        assertEquals(2_500, rows("mapping"), "seeing old values again must not add rows");
        try (JdbiPseudonymStore store = open()) {
            Map<String, Instant> again = new HashMap<>();
            store.export(m -> again.put(m.value(), m.firstSeen()));
            assertEquals(seen, again, "first_seen is kept from the first time");
        }
    }

    @Test
    void lookupNeverCreates() {
        try (JdbiPseudonymStore store = open()) {
            assertEquals(Optional.empty(), store.lookup("patient", SECRET));
            store.flush();
            assertEquals(0, rows("mapping"));
            String p = store.pseudonym("patient", SECRET);
            assertEquals(Optional.of(p), store.lookup("patient", SECRET), "a buffered mapping is found");
        }
    }

    @Test
    void reidentifyReturnsTheOriginalValue() {
        try (JdbiPseudonymStore store = open()) {
            String p = store.pseudonym("patient", SECRET);
            assertEquals(Optional.of(SECRET), store.reidentify("patient", p));
            assertEquals(Optional.empty(), store.reidentify("visit", p), "domains are separate");
            assertEquals(Optional.empty(), store.reidentify("patient", "0000000000000000"));
        }
    }

    @Test
    void flushMakesMappingsVisibleToAnotherStoreOnTheSameDatabase() {
        try (JdbiPseudonymStore writer = open(); JdbiPseudonymStore reader = open()) {
            String p = writer.pseudonym("patient", SECRET);
            assertEquals(1, writer.buffered(), "a new mapping is buffered");
            assertEquals(Optional.empty(), reader.reidentify("patient", p));
            writer.flush();
            assertEquals(0, writer.buffered());
            assertEquals(Optional.of(SECRET), reader.reidentify("patient", p));
        }
    }

    @Test
    void exportStreamsEveryMappingOnce() {
        Instant before = Instant.now().minusMillis(1);
        List<Mapping> out = new ArrayList<>();
        try (JdbiPseudonymStore store = open()) {
            for (int i = 0; i < 1_200; i++) {
                store.pseudonym(i % 2 == 0 ? "patient" : "visit", "secret-" + i);   // cannot occur in a pseudonym
            }
            store.export(out::add);
        }
        Instant after = Instant.now().plusMillis(1);
        assertEquals(1_200, out.size());
        assertEquals(1_200, new HashSet<>(out).size());
        KeyedPseudonyms keyed = new KeyedPseudonyms(SiteKey.loadOrCreate(db), "");
        for (Mapping m : out) {
            assertEquals(keyed.pseudonym(m.domain(), m.value()), m.pseudonym());
            assertFalse(m.firstSeen().isBefore(before) || m.firstSeen().isAfter(after), "first_seen " + m.firstSeen());
            assertFalse(m.toString().contains(m.value()), "a mapping's toString must hide the value");
        }
    }

    @Test
    @Timeout(value = 25, unit = TimeUnit.SECONDS)
    void exportDoesNotBlockWriters() {
        try (JdbiPseudonymStore exporter = open(); JdbiPseudonymStore writer = open()) {
            for (int i = 0; i < 10; i++) {
                exporter.pseudonym("patient", "secret-" + i);
            }
            List<String> exported = new ArrayList<>();
            exporter.export(m -> {
                if (exported.isEmpty()) {   // while the export's read is open
                    writer.pseudonym("patient", "written-meanwhile");
                    writer.flush();
                }
                exported.add(m.value());
            });
            assertEquals(10, exported.size());
        }
        assertEquals(11, rows("mapping"));
    }

    @Test
    void csvExportIsOwnerOnlyQuotedAndComplete() throws IOException {
        Path target = dir.resolve("mapping.csv");
        List<String> values = List.of("plain", "with,comma", "with \"quote\"", "two\nlines", " padded ", "é中😀");
        try (JdbiPseudonymStore store = open()) {
            values.forEach(v -> store.pseudonym("patient", v));
            assertEquals(values.size(), MappingCsv.write(store, target));
            StringWriter w = new StringWriter();
            MappingCsv.write(store, w);
            assertEquals(w.toString(), Files.readString(target));
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        String csv = Files.readString(target);
        assertTrue(csv.startsWith(MappingCsv.HEADER + "\r\n"));
        assertTrue(csv.contains(",plain,"));
        assertTrue(csv.contains(",\"with,comma\","));
        assertTrue(csv.contains(",\"with \"\"quote\"\"\","));
        assertTrue(csv.contains(",\"two\nlines\","));
        assertTrue(csv.contains(",\" padded \","));
        assertTrue(csv.contains(",é中😀,"));
        assertEquals(values.size() + 1, csv.split("\r\n").length);
    }

    @Test
    void withdrawalIsRecordedOnceAndSurvivesReopen() {
        String p;
        try (JdbiPseudonymStore store = open()) {
            p = store.pseudonym("patient", SECRET);
            assertFalse(store.isWithdrawn("patient", p));
            store.withdraw("patient", p);
            store.withdraw("patient", p);
            assertTrue(store.isWithdrawn("patient", p));
            assertFalse(store.isWithdrawn("visit", p));
        }
        try (JdbiPseudonymStore store = open()) {
            assertTrue(store.isWithdrawn("patient", p));
        }
        assertEquals(1, rows("withdrawal"));
    }

    @Test
    void withdrawalThroughAnotherStoreIsSeenOnceTheSnapshotAges() throws InterruptedException {
        try (JdbiPseudonymStore worker = open(); JdbiPseudonymStore forget = open()) {
            String p = worker.pseudonym("patient", SECRET);
            assertFalse(worker.isWithdrawn("patient", p));      // the worker now holds a snapshot
            forget.withdraw("patient", p);
            long deadline = System.nanoTime() + 5 * (JdbiPseudonymStore.WITHDRAWALS_MAX_AGE_MILLIS + 500) * 1_000_000L;
            boolean seen = false;
            while (!seen && System.nanoTime() < deadline) {
                seen = worker.isWithdrawn("patient", p);
                if (!seen) {
                    Thread.sleep(100);
                }
            }
            assertTrue(seen, "a withdrawal by another store must be seen within the snapshot age");
        }
    }

    @Test
    void uidAndDayShiftFollowTheGenerator() {
        try (JdbiPseudonymStore store = open()) {
            KeyedPseudonyms keyed = new KeyedPseudonyms(SiteKey.loadOrCreate(db), "");
            String uid = "1.2.840.113619.2.55.3.604688119.868.1249343483.504";
            assertEquals(keyed.uid(uid), store.uid(uid));
            assertTrue(store.uid(uid).startsWith("2.25."));
            assertEquals(keyed.dayShift("patient", SECRET), store.dayShift("patient", SECRET));
            store.flush();
            assertEquals(0, rows("mapping"), "UIDs and shifts are derived, not recorded");
        }
    }

    @Test
    void collisionWithAnotherValueFailsLoudlyWithoutEchoingValues() {
        KeyedPseudonyms keyed = new KeyedPseudonyms(SiteKey.loadOrCreate(db), "");
        try (JdbiPseudonymStore store = open()) {
            store.flush();
        }
        String victim = keyed.pseudonym("patient", SECRET);
        String other = "OTHER-PATIENT-0815";
        insertRaw("patient", other, victim);
        JdbiPseudonymStore store = open();
        assertEquals(victim, store.pseudonym("patient", SECRET), "handed out before it is durable");
        StoreException e = assertThrows(StoreException.class, store::flush);
        assertTrue(e.getMessage().startsWith("pseudonym collision in domain patient"), e.getMessage());
        assertNoLeak(e, SECRET, other);
        StoreException later = assertThrows(StoreException.class, () -> store.pseudonym("patient", "NEW-VALUE-1"));
        assertTrue(later.getMessage().startsWith("pseudonym collision in domain patient"), "the store stays poisoned");
        assertThrows(StoreException.class, store::flush);
        assertThrows(StoreException.class, store::close);
        assertEquals(Optional.of(other), rawValueOf("patient", victim), "the stored row is untouched");
        assertEquals(1, rows("mapping"));
    }

    @Test
    void storedPseudonymThatDiffersFromTheKeyFailsLoudly() {
        try (JdbiPseudonymStore store = open()) {
            store.flush();
        }
        insertRaw("patient", SECRET, "ZZZZZZZZZZZZZZZZ");
        JdbiPseudonymStore store = open();
        store.pseudonym("patient", SECRET);
        StoreException e = assertThrows(StoreException.class, store::flush);
        assertTrue(e.getMessage().startsWith("pseudonym mismatch in domain patient"), e.getMessage());
        assertTrue(e.getMessage().contains("site.key"), e.getMessage());
        assertNoLeak(e, SECRET, "ZZZZZZZZZZZZZZZZ");
        assertThrows(StoreException.class, store::close);
    }

    @Test
    void anotherSiteKeyIsRefusedOnOpen() throws IOException {
        try (JdbiPseudonymStore store = open()) {
            store.pseudonym("patient", SECRET);
        }
        Path key = db.resolve(SiteKey.FILE_NAME);
        Files.delete(key);
        SiteKey.loadOrCreate(db);
        StoreException e = assertThrows(StoreException.class, this::open);
        assertTrue(e.getMessage().contains("was created with another site key"), e.getMessage());
        assertTrue(e.getMessage().contains("restore the site key"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void anotherPrefixIsRefusedOnOpen() {
        try (JdbiPseudonymStore store = PseudonymStores.open(db, url, "CHUV-")) {
            assertTrue(store.pseudonym("patient", SECRET).startsWith("CHUV-"));
        }
        StoreException e = assertThrows(StoreException.class, () -> PseudonymStores.open(db, url, "HUG-"));
        assertTrue(e.getMessage().contains("uses the pseudonym prefix 'CHUV-', not 'HUG-'"), e.getMessage());
    }

    @Test
    void prefixedPseudonymsRoundTrip() {
        try (JdbiPseudonymStore store = PseudonymStores.open(db, url, "CHUV-")) {
            String p = store.pseudonym("patient", SECRET);
            assertEquals(5 + KeyedPseudonyms.LENGTH, p.length());
            assertEquals(Optional.of(SECRET), store.reidentify("patient", p));
        }
    }

    @Test
    void closedStoreRefusesUseAndCloseIsIdempotent() {
        JdbiPseudonymStore store = open();
        store.pseudonym("patient", SECRET);
        store.close();
        store.close();
        StoreException e = assertThrows(StoreException.class, () -> store.pseudonym("patient", SECRET));
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
        assertEquals(1, rows("mapping"), "close flushed");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void schemaIsMigratedOnceWhenManyOpenAtOnce() throws Exception {
        int n = 6;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<String>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(pool.submit(() -> {
                    go.await();
                    try (JdbiPseudonymStore store = open()) {
                        return store.pseudonym("patient", SECRET);
                    }
                }));
            }
            go.countDown();
            Set<String> results = new HashSet<>();
            for (Future<String> f : all) {
                results.add(f.get(90, TimeUnit.SECONDS));
            }
            assertEquals(1, results.size(), "every opener got the same key and pseudonym");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, rows("schema_version"));
        int version = raw().withHandle(h ->
                h.createQuery("SELECT MAX(version) FROM schema_version").mapTo(Integer.class).one());
        assertEquals(Schema.latest(Dialect.SQLITE), version);
        assertEquals(1, rows("mapping"));
    }

    @Test
    void newerSchemaIsRefused() {
        try (JdbiPseudonymStore store = open()) {
            store.flush();
        }
        raw().useHandle(h -> h.execute("INSERT INTO schema_version (version, description, applied_at)"
                + " SELECT 99, 'from the future', applied_at FROM schema_version WHERE version = 1"));
        StoreException e = assertThrows(StoreException.class, this::open);
        assertTrue(e.getMessage().contains("schema version 99, newer than this anonymiser knows"), e.getMessage());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void tinyCacheAndBatchesUnderManyThreadsGiveOneRowPerValue() throws Exception {
        int threads = 8;
        int values = 1_500;
        Map<String, String> agreed = new ConcurrentHashMap<>();
        try (JdbiPseudonymStore store = open(50, 23)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> all = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int seed = t;
                    all.add(pool.submit(() -> {
                        List<String> order = new ArrayList<>();
                        for (int i = 0; i < values; i++) {
                            order.add("V" + i);
                        }
                        Collections.shuffle(order, new Random(seed));
                        for (String v : order) {
                            String p = store.pseudonym("patient", v);
                            String before = agreed.putIfAbsent(v, p);
                            if (before != null && !before.equals(p)) {
                                throw new AssertionError("two threads saw two pseudonyms for one value");
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : all) {
                    f.get(100, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        assertEquals(values, agreed.size());
        assertEquals(values, rows("mapping"));
        assertEquals(values, new HashSet<>(agreed.values()).size());
    }

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    void eightThreadsInTwoProcessesAgreeOnEveryPseudonym() throws Exception {
        int values = 4_000;
        List<Process> children = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path out = dir.resolve("worker-" + i + ".tsv");
            outputs.add(out);
            children.add(StoreWorker.start(db, url, out, values, 8, i, dir.resolve("worker-" + i + ".log")));
        }
        for (int i = 0; i < 2; i++) {
            Process p = children.get(i);
            if (!p.waitFor(150, TimeUnit.SECONDS)) {
                children.forEach(Process::destroyForcibly);
                throw new AssertionError("worker " + i + " did not finish in 150 s");
            }
            assertEquals(0, p.exitValue(), "worker " + i + " failed: " + Files.readString(dir.resolve("worker-" + i + ".log")));
        }
        Map<String, String> first = StoreWorker.read(outputs.get(0));
        Map<String, String> second = StoreWorker.read(outputs.get(1));
        assertEquals(values, first.size());
        assertEquals(first, second, "both processes saw the same pseudonyms");
        KeyedPseudonyms keyed = new KeyedPseudonyms(SiteKey.loadOrCreate(db), "");
        first.forEach((v, p) -> assertEquals(keyed.pseudonym("patient", v), p, "the generator agrees in this process"));
        assertEquals(values, rows("mapping"), "exactly one row per value");
        long distinct = raw().withHandle(h -> h.createQuery(
                "SELECT COUNT(DISTINCT pseudonym) FROM mapping").mapTo(Long.class).one());
        assertEquals(values, distinct);
        try (JdbiPseudonymStore store = open()) {
            first.forEach((v, p) -> assertEquals(Optional.of(v), store.reidentify("patient", p)));
        }
    }

    @Test
    void valuesTheStoreCannotHoldAreRefusedWithoutEchoingThem() {
        try (JdbiPseudonymStore store = open()) {
            StoreException nul = assertThrows(StoreException.class, () -> store.pseudonym("patient", SECRET + "\0"));
            assertTrue(nul.getMessage().contains("NUL character"), nul.getMessage());
            assertNoLeak(nul, SECRET);
            String longValue = SECRET.repeat(200);
            StoreException tooLong = assertThrows(StoreException.class, () -> store.pseudonym("patient", longValue));
            assertTrue(tooLong.getMessage().contains("longer than 2000 bytes"), tooLong.getMessage());
            assertNoLeak(tooLong, SECRET);
            IllegalArgumentException surrogate = assertThrows(IllegalArgumentException.class,
                    () -> store.pseudonym("patient", SECRET + "\uD800"));
            assertNoLeak(surrogate, SECRET);
            assertThrows(IllegalArgumentException.class, () -> store.pseudonym("Patient ID", SECRET));
            String fits = "é".repeat(1_000);
            assertEquals(Optional.of(fits), store.reidentify("patient", store.pseudonym("patient", fits)));
        }
        assertEquals(1, rows("mapping"), "nothing refused was recorded");
    }

    @Test
    void unicodeValuesRoundTrip() {
        List<String> values = List.of("Zoë Ångström", "山田太郎", "😀 patient", "tab\tinside", "");
        try (JdbiPseudonymStore store = open()) {
            values.forEach(v -> store.pseudonym("patient", v));
        }
        try (JdbiPseudonymStore store = open()) {
            KeyedPseudonyms keyed = store.generator();
            for (String v : values) {
                assertEquals(Optional.of(v), store.reidentify("patient", keyed.pseudonym("patient", v)));
            }
        }
    }

    @Test
    void toStringNamesTheStoreAndNothingElse() {
        try (JdbiPseudonymStore store = open()) {
            store.pseudonym("patient", SECRET);
            assertTrue(store.toString().startsWith("JdbiPseudonymStore["), store.toString());
            assertFalse(store.toString().contains(SECRET));
            assertNotEquals("", store.toString());
        }
    }

    void insertRaw(String domain, String value, String pseudonym) {
        raw().useHandle(h -> h.createUpdate("INSERT INTO mapping (domain, value, pseudonym, first_seen)"
                        + " SELECT :d, :v, :p, applied_at FROM schema_version WHERE version = 1")
                .bind("d", domain).bind("v", value).bind("p", pseudonym).execute());
    }

    Optional<String> rawValueOf(String domain, String pseudonym) {
        return raw().withHandle(h -> h.createQuery("SELECT value FROM mapping WHERE domain = :d AND pseudonym = :p")
                .bind("d", domain).bind("p", pseudonym).mapTo(String.class).findFirst());
    }

    /** Fails if any value appears in the exception's message or its causes' messages, or if it spans lines. */
    static void assertNoLeak(Throwable e, String... values) {
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (String v : values) {
                assertFalse(String.valueOf(t.getMessage()).contains(v), "a value leaked into: " + t.getMessage());
            }
        }
    }
}
