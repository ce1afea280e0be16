package eu.hbp.mip.anonymiser.core.pseudonym;

import eu.hbp.mip.anonymiser.api.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SiteKeyTests {

    @TempDir
    Path dir;

    @Test
    void createsAnOwnerOnlyKeyOnceAndLoadsItAfterwards() throws IOException {
        Path db = dir.resolve("db");
        SiteKey first = SiteKey.loadOrCreate(db);
        Path file = db.resolve(SiteKey.FILE_NAME);
        assertEquals(SiteKey.SIZE, Files.size(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(db)));
        SiteKey again = SiteKey.loadOrCreate(db);
        assertEquals(new KeyedPseudonyms(first, "").pseudonym("patient", "x"),
                new KeyedPseudonyms(again, "").pseudonym("patient", "x"));
        try (Stream<Path> files = Files.list(db)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void generatedKeysDiffer() {
        assertNotEquals(new KeyedPseudonyms(SiteKey.generate(), "").pseudonym("patient", "x"),
                new KeyedPseudonyms(SiteKey.generate(), "").pseudonym("patient", "x"));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void manyThreadsCreatingAtOnceEndWithOneKey() throws Exception {
        for (int round = 0; round < 5; round++) {
            Path db = dir.resolve("db" + round);
            int n = 8;
            ExecutorService pool = Executors.newFixedThreadPool(n);
            CountDownLatch go = new CountDownLatch(1);
            try {
                List<Future<String>> all = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    all.add(pool.submit(() -> {
                        go.await();
                        return new KeyedPseudonyms(SiteKey.loadOrCreate(db), "").pseudonym("patient", "x");
                    }));
                }
                go.countDown();
                Set<String> seen = new HashSet<>();
                for (Future<String> f : all) {
                    seen.add(f.get(30, TimeUnit.SECONDS));
                }
                assertEquals(1, seen.size(), "every thread holds the key in the file");
                assertEquals(seen.iterator().next(), new KeyedPseudonyms(SiteKey.load(db.resolve(SiteKey.FILE_NAME)), "")
                        .pseudonym("patient", "x"));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void groupReadableKeyIsRefused() throws IOException {
        Path db = dir.resolve("db");
        SiteKey.loadOrCreate(db);
        Path file = db.resolve(SiteKey.FILE_NAME);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        StoreException e = assertThrows(StoreException.class, () -> SiteKey.loadOrCreate(db));
        assertTrue(e.getMessage().contains("has permissions rw-r-----: others may read it; run 'chmod 600 " + file),
                e.getMessage());
    }

    @Test
    void missingKeyFileIsNamedOnLoad() {
        Path file = dir.resolve("nowhere").resolve(SiteKey.FILE_NAME);
        StoreException e = assertThrows(StoreException.class, () -> SiteKey.load(file));
        assertTrue(e.getMessage().contains("site key " + file + " does not exist"), e.getMessage());
    }

    @Test
    void rawKeysOfTheWrongSizeAreRefused() {
        StoreException e = assertThrows(StoreException.class, () -> SiteKey.of(new byte[16]));
        assertTrue(e.getMessage().contains("has 16 bytes, expected 32"), e.getMessage());
    }
}
