package eu.hbp.mip.anonymiser.core.move;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.Bucket;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileMoverTests {

    @TempDir
    Path root;

    /** Writes each named output with the input's bytes behind a prefix. */
    static Anonymiser copying(String... names) {
        return (input, sink) -> {
            byte[] bytes = Files.readAllBytes(input);
            for (String name : names) {
                try (WritableByteChannel channel = sink.create(name)) {
                    channel.write(ByteBuffer.wrap(("OUT:" + name + ":").getBytes(StandardCharsets.UTF_8)));
                    channel.write(ByteBuffer.wrap(bytes));
                }
            }
            return new Outcome.Anonymised(List.of(names), Map.of("copy", 1L), Set.of());
        };
    }

    @Test
    void publishesEveryOutputAndRemovesTheInput() throws IOException {
        MoveFixture f = MoveFixture.under(root);
        f.write("study/series/IM1", "pixels".getBytes(StandardCharsets.UTF_8));
        try (FileMover mover = f.open("a")) {
            List<Path> pending = mover.pending();
            assertEquals(List.of(f.in().resolve("study/series/IM1")), pending);
            Claim claim = mover.claim(pending.get(0)).orElseThrow();
            assertEquals("study/series/IM1", claim.relativeName());
            Outcome outcome = mover.process(claim, copying("DICOM/a/1.dcm", "DICOM/a/2.dcm"), () -> { });
            Outcome.Anonymised done = assertInstanceOf(Outcome.Anonymised.class, outcome);
            assertEquals(List.of("DICOM/a/1.dcm", "DICOM/a/2.dcm"), done.outputs());
        }
        assertEquals("OUT:DICOM/a/1.dcm:pixels", Files.readString(f.out().resolve("DICOM/a/1.dcm")));
        assertEquals("OUT:DICOM/a/2.dcm:pixels", Files.readString(f.out().resolve("DICOM/a/2.dcm")));
        assertEquals(List.of(), MoveFixture.files(f.in()));
        assertEquals(List.of(), f.workFiles());
    }

    @Test
    void aGroupCommitPublishesEveryStagedClaimSuffixingCollidingNames() throws IOException {
        MoveFixture f = MoveFixture.under(root);
        for (String name : List.of("a/IM1", "b/IM1", "c/IM1")) {
            f.write(name, name.getBytes(StandardCharsets.UTF_8));
        }
        List<Map<String, String>> finals;
        try (FileMover mover = f.open("a")) {
            List<Claim> staged = new ArrayList<>();
            for (Path file : mover.pending()) {
                Claim claim = mover.claimForBatch(file).orElseThrow();
                assertInstanceOf(Outcome.Anonymised.class, mover.stage(claim, copying("DICOM/1.dcm")));
                staged.add(claim);
            }
            assertEquals(3, f.workFiles().stream()
                    .filter(p -> p.toString().contains("/input/")).count(), "staged inputs wait in their claims");
            assertEquals(List.of(), MoveFixture.files(f.out()), "nothing is visible before the group commit");
            finals = mover.publishAll(staged);
        }
        assertEquals(List.of(Map.of("DICOM/1.dcm", "DICOM/1.dcm"), Map.of("DICOM/1.dcm", "DICOM/1-1.dcm"),
                Map.of("DICOM/1.dcm", "DICOM/1-2.dcm")), finals);
        assertEquals("OUT:DICOM/1.dcm:b/IM1", Files.readString(f.out().resolve("DICOM/1-1.dcm")));
        assertEquals(List.of(), MoveFixture.files(f.in()));
        assertEquals(List.of(), f.workFiles());
    }

    @Test
    void aStagedClaimCanStillBeQuarantinedOrReleasedInsteadOfPublished() throws IOException {
        MoveFixture f = MoveFixture.under(root);
        f.write("x/keep", "keep".getBytes(StandardCharsets.UTF_8));
        f.write("x/reject", "reject".getBytes(StandardCharsets.UTF_8));
        try (FileMover mover = f.open("a")) {
            Claim keep = mover.claimForBatch(f.in().resolve("x/keep")).orElseThrow();
            Claim reject = mover.claimForBatch(f.in().resolve("x/reject")).orElseThrow();
            mover.stage(keep, copying("keep.out"));
            Outcome rejected = mover.stage(reject, (input, sink) -> new Outcome.Rejected("test-reject", "rejected",
                    Bucket.of("csv")));
            assertInstanceOf(Outcome.Rejected.class, rejected);
            keep.release();
        }
        assertEquals("keep", Files.readString(f.in().resolve("x/keep")));
        assertEquals("reject", Files.readString(f.bucket(Bucket.of("csv")).resolve("reject")));
        assertEquals(List.of(), MoveFixture.files(f.out()));
        assertEquals(List.of(), f.workFiles());
    }

    @Test
    void aBatchJournalLeftByADeadWorkerIsFinishedByRecovery() throws IOException {
        MoveFixture f = MoveFixture.under(root);
        f.write("IM1", "one".getBytes(StandardCharsets.UTF_8));
        f.write("IM2", "two".getBytes(StandardCharsets.UTF_8));
        FileMover dying = f.open(step -> {
            if (step.equals("batch:journalled")) {
                throw new IllegalStateException("dies here");
            }
        }, "dead");
        List<Claim> staged = new ArrayList<>();
        for (Path file : dying.pending()) {
            Claim claim = dying.claimForBatch(file).orElseThrow();
            dying.stage(claim, copying(file.getFileName() + ".out"));
            staged.add(claim);
        }
        assertThrows(IllegalStateException.class, () -> dying.publishAll(staged));
        dying.abandon();
        f.open("recoverer").close();
        assertEquals("OUT:IM1.out:one", Files.readString(f.out().resolve("IM1.out")));
        assertEquals("OUT:IM2.out:two", Files.readString(f.out().resolve("IM2.out")));
        assertEquals(List.of(), MoveFixture.files(f.in()));
        assertEquals(List.of(), f.workFiles());
    }

    @Test
    void suffixesAnOutputNameTakenInOut() throws IOException {
        MoveFixture f = MoveFixture.under(root);
        Files.writeString(f.out().resolve("visits.csv"), "earlier");
        Files.writeString(f.out().resolve("visits-1.csv"), "earlier too");
        f.write("visits.csv", "new".getBytes(StandardCharsets.UTF_8));
        try (FileMover mover = f.open("a")) {
            Claim claim = mover.claim(f.in().resolve("visits.csv")).orElseThrow();
            Outcome.Anonymised done = (Outcome.Anonymised) mover.process(claim, copying("visits.csv"), () -> { });
            assertEquals(List.of("visits-2.csv"), done.outputs());
        }
        assertEquals("earlier", Files.readString(f.out().resolve("visits.csv")));
        assertEquals("earlier too", Files.readString(f.out().resolve("visits-1.csv")));
        assertEquals("OUT:visits.csv:new", Files.readString(f.out().resolve("visits-2.csv")));
    }

    @Test
    void quarantinesARejectionWithASidecarThatNamesNoPatient() throws IOException {
        MoveFixture f = MoveFixture.under(root);
        byte[] bytes = "id;birth\n1;31/02/1970\n".getBytes(StandardCharsets.UTF_8);
        f.write("DOE^JOHN/visits.csv", bytes);
        Anonymiser rejecting = (input, sink) -> new Outcome.Rejected("csv-bad-date",
                "rule 'birth': row 2 does not match dd/MM/yyyy", Bucket.of("csv"));
        try (FileMover mover = f.open("a")) {
            Claim claim = mover.claim(f.in().resolve("DOE^JOHN/visits.csv")).orElseThrow();
            Outcome outcome = mover.process(claim, rejecting, () -> { throw new AssertionError("no publish"); });
            assertEquals("csv-bad-date", ((Outcome.Rejected) outcome).code());
        }
        Path quarantined = f.bucket(Bucket.of("csv")).resolve("visits.csv");
        assertTrue(Files.exists(quarantined));
        String sidecar = Files.readString(f.bucket(Bucket.of("csv")).resolve("visits.csv.reason.txt"));
        assertTrue(sidecar.contains("code: csv-bad-date"), sidecar);
        assertTrue(sidecar.contains("reason: rule 'birth': row 2 does not match dd/MM/yyyy"), sidecar);
        assertTrue(sidecar.contains("sha256: " + MoveFixture.sha256(bytes)), sidecar);
        assertTrue(sidecar.matches("(?s).*quarantined-at: \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ.*"), sidecar);
        assertFalse(sidecar.contains("DOE"), "the sidecar must not carry the input's folder name");
        assertEquals(List.of(), MoveFixture.files(f.in()));
        assertEquals(List.of(), f.workFiles());
    }

    @Test
    void anInputNamedLikeASidecarNeverTakesASidecarName() throws IOException {
        MoveFixture f = MoveFixture.under(root);
        byte[] bytes = "not a reason".getBytes(StandardCharsets.UTF_8);
        f.write("x.reason.txt", bytes);
        Anonymiser rejecting = (input, sink) -> new Outcome.Rejected("unrecognised", "no format", Bucket.UNKNOWN);
        try (FileMover mover = f.open("a")) {
            mover.process(mover.claim(f.in().resolve("x.reason.txt")).orElseThrow(), rejecting, () -> { });
        }
        Path bucket = f.bucket(Bucket.UNKNOWN);
        assertFalse(Files.exists(bucket.resolve("x.reason.txt")), "an input must not look like a sidecar");
        assertArrayEquals(bytes, Files.readAllBytes(bucket.resolve("x.reason-1.txt")));
        assertTrue(Files.readString(bucket.resolve("x.reason-1.txt.reason.txt")).contains("code: unrecognised"));
    }

    @Test
    void keepsBothQuarantinedFilesWhenTheirNamesCollide() throws IOException {
        MoveFixture f = MoveFixture.under(root);
        f.write("a/IM1", "first".getBytes(StandardCharsets.UTF_8));
        f.write("b/IM1", "second".getBytes(StandardCharsets.UTF_8));
        Anonymiser rejecting = (input, sink) -> new Outcome.Rejected("dicom-malformed", "bad", Bucket.of("dicom"));
        try (FileMover mover = f.open("a")) {
            for (Path file : mover.pending()) {
                mover.process(mover.claim(file).orElseThrow(), rejecting, () -> { });
            }
        }
        Path bucket = f.bucket(Bucket.of("dicom"));
        assertEquals("first", Files.readString(bucket.resolve("IM1")));
        assertEquals("second", Files.readString(bucket.resolve("IM1-1")));
        assertTrue(Files.exists(bucket.resolve("IM1.reason.txt")));
        assertTrue(Files.exists(bucket.resolve("IM1-1.reason.txt")));
    }

    @Test
    void releasesTheInputAndRethrowsOnIoFailure() throws IOException {
        MoveFixture f = MoveFixture.under(root);
        f.write("x/visits.csv", "data".getBytes(StandardCharsets.UTF_8));
        Anonymiser failing = (input, sink) -> {
            try (WritableByteChannel c = sink.create("partial.csv")) {
                c.write(ByteBuffer.wrap(new byte[10]));
            }
            throw new IOException("disk full");
        };
        try (FileMover mover = f.open("a")) {
            Claim claim = mover.claim(f.in().resolve("x/visits.csv")).orElseThrow();
            assertThrows(IOException.class, () -> mover.process(claim, failing, () -> { }));
        }
        assertEquals("data", Files.readString(f.in().resolve("x/visits.csv")));
        assertEquals(List.of(), MoveFixture.files(f.out()));
        assertEquals(List.of(), f.workFiles());
    }

    @Test
    void releasesUnderASuffixWhenANewFileTookTheName() throws IOException {
        MoveFixture f = MoveFixture.under(root);
        f.write("visits.csv", "old".getBytes(StandardCharsets.UTF_8));
        try (FileMover mover = f.open("a")) {
            Claim claim = mover.claim(f.in().resolve("visits.csv")).orElseThrow();
            f.write("visits.csv", "newer".getBytes(StandardCharsets.UTF_8));
            claim.release();
        }
        assertEquals("newer", Files.readString(f.in().resolve("visits.csv")));
        assertEquals("old", Files.readString(f.in().resolve("visits-1.csv")));
    }

    @Test
    void releasesOnStoreFailureAndOnFailureBeforePublish() throws IOException {
        MoveFixture f = MoveFixture.under(root);
        f.write("a.csv", "data".getBytes(StandardCharsets.UTF_8));
        Anonymiser storeDown = (input, sink) -> {
            throw new StoreException("database unreachable");
        };
        try (FileMover mover = f.open("a")) {
            Claim claim = mover.claim(f.in().resolve("a.csv")).orElseThrow();
            assertThrows(StoreException.class, () -> mover.process(claim, storeDown, () -> { }));
            Claim again = mover.claim(f.in().resolve("a.csv")).orElseThrow();
            assertThrows(StoreException.class, () -> mover.process(again, copying("a.csv"), () -> {
                throw new StoreException("flush failed");
            }));
        }
        assertEquals("data", Files.readString(f.in().resolve("a.csv")));
        assertEquals(List.of(), MoveFixture.files(f.out()));
    }

    @Test
    void quarantinesAnInternalErrorNamingOnlyTheExceptionClass() throws IOException {
        MoveFixture f = MoveFixture.under(root);
        f.write("a.dcm", "data".getBytes(StandardCharsets.UTF_8));
        Anonymiser buggy = (input, sink) -> {
            sink.create("half.dcm").close();
            throw new IllegalStateException("patient DOE^JANE broke it");
        };
        Outcome outcome;
        try (FileMover mover = f.open("a")) {
            outcome = mover.process(mover.claim(f.in().resolve("a.dcm")).orElseThrow(), buggy, () -> { });
        }
        Outcome.Rejected rejected = assertInstanceOf(Outcome.Rejected.class, outcome);
        assertEquals("internal-error", rejected.code());
        assertEquals(Bucket.UNKNOWN, rejected.bucket());
        String sidecar = Files.readString(f.bucket(Bucket.UNKNOWN).resolve("a.dcm.reason.txt"));
        assertTrue(sidecar.contains("java.lang.IllegalStateException"), sidecar);
        assertFalse(sidecar.contains("DOE"), sidecar);
        assertEquals(List.of(), MoveFixture.files(f.out()));
    }

    @Test
    void quarantinesAnOutcomeThatDoesNotMatchWhatWasWritten() throws IOException {
        MoveFixture f = MoveFixture.under(root);
        f.write("a.csv", "data".getBytes(StandardCharsets.UTF_8));
        Anonymiser liar = (input, sink) -> new Outcome.Anonymised(List.of("a.csv"), Map.of(), Set.of());
        try (FileMover mover = f.open("a")) {
            Outcome outcome = mover.process(mover.claim(f.in().resolve("a.csv")).orElseThrow(), liar, () -> { });
            assertEquals("internal-error", ((Outcome.Rejected) outcome).code());
        }
        assertTrue(Files.exists(f.bucket(Bucket.UNKNOWN).resolve("a.csv")));
        assertEquals(List.of(), MoveFixture.files(f.out()));
    }

    @Test
    void runsBeforePublishWhileNothingIsVisibleInOut() throws IOException {
        MoveFixture f = MoveFixture.under(root);
        f.write("a.csv", "data".getBytes(StandardCharsets.UTF_8));
        AtomicBoolean ran = new AtomicBoolean();
        try (FileMover mover = f.open("a")) {
            mover.process(mover.claim(f.in().resolve("a.csv")).orElseThrow(), copying("a.csv"), () -> {
                try {
                    assertEquals(List.of(), MoveFixture.files(f.out()));
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
                ran.set(true);
            });
        }
        assertTrue(ran.get());
        assertTrue(Files.exists(f.out().resolve("a.csv")));
    }

    @Test
    void givesAFileToOnlyOneOfTwoWorkers() throws IOException {
        MoveFixture f = MoveFixture.under(root);
        Path file = f.write("a.csv", "data".getBytes(StandardCharsets.UTF_8));
        try (FileMover first = f.open("p1"); FileMover second = f.open("p2")) {
            Optional<Claim> won = first.claim(file);
            Optional<Claim> lost = second.claim(file);
            assertTrue(won.isPresent());
            assertTrue(lost.isEmpty());
            won.get().release();
        }
        assertEquals("data", Files.readString(file));
    }

    @Test
    void neverRecoversTheClaimOfALiveWorker() throws IOException {
        MoveFixture f = MoveFixture.under(root);
        Path file = f.write("a.csv", "data".getBytes(StandardCharsets.UTF_8));
        try (FileMover live = f.open("p1")) {
            Claim claim = live.claim(file).orElseThrow();
            try (FileMover other = f.open("p2")) {
                assertEquals(0, other.recover());
            }
            assertTrue(Files.exists(claim.file()), "the live worker's claim must stay where it is");
            assertFalse(Files.exists(file));
            live.process(claim, copying("a.csv"), () -> { });
        }
        assertTrue(Files.exists(f.out().resolve("a.csv")));
        assertEquals(List.of(), f.workFiles());
    }

    @Test
    void rollsBackTheClaimOfADeadWorker() throws IOException {
        MoveFixture f = MoveFixture.under(root);
        Path file = f.write("deep/er/a.csv", "data".getBytes(StandardCharsets.UTF_8));
        FileMover dead = f.open("p1");
        Claim claim = dead.claim(file).orElseThrow();
        try (WritableByteChannel c = claim.sink().create("a.csv")) {
            c.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        }
        dead.abandon();
        try (FileMover next = f.open("p2")) {
            assertEquals(0, next.recover(), "open already recovered it");
        }
        assertEquals("data", Files.readString(file));
        assertEquals(List.of(), MoveFixture.files(f.out()));
        assertEquals(List.of(), f.workFiles());
    }

    @Test
    void recoversOnceWhenSeveralWorkersStartAtOnce() throws Exception {
        MoveFixture f = MoveFixture.under(root);
        List<String> names = new ArrayList<>();
        for (int w = 0; w < 6; w++) {
            FileMover dead = f.open("dead" + w);
            for (int i = 0; i < 5; i++) {
                String name = "w" + w + "/f" + i;
                names.add(name);
                dead.claim(f.write(name, name.getBytes(StandardCharsets.UTF_8))).orElseThrow();
            }
            dead.abandon();
        }
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Void>> starters = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            String process = "starter" + s;
            starters.add(CompletableFuture.runAsync(() -> {
                try {
                    start.await();
                    f.open(process).close();
                } catch (IOException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        start.countDown();
        CompletableFuture.allOf(starters.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        for (String name : names) {
            assertEquals(name, Files.readString(f.in().resolve(name)));
        }
        assertEquals(names.size(), MoveFixture.files(f.in()).size());
        assertEquals(List.of(), f.workFiles());
    }

    @Test
    void releasesClaimsStillOpenAtClose() throws IOException {
        MoveFixture f = MoveFixture.under(root);
        Path file = f.write("a/b.csv", "data".getBytes(StandardCharsets.UTF_8));
        try (FileMover mover = f.open("a")) {
            mover.claim(file).orElseThrow();
            assertFalse(Files.exists(file));
        }
        assertEquals("data", Files.readString(file));
        assertEquals(List.of(), f.workFiles());
    }

    @Test
    void refusesAnEmptyPublishAndAClaimOutsideTheInputFolder() throws IOException {
        MoveFixture f = MoveFixture.under(root);
        Path file = f.write("a.csv", "data".getBytes(StandardCharsets.UTF_8));
        try (FileMover mover = f.open("a")) {
            assertThrows(IllegalArgumentException.class, () -> mover.claim(f.out().resolve("x")));
            assertThrows(IllegalArgumentException.class, () -> mover.claim(f.in().resolve("../out/x")));
            try (Claim claim = mover.claim(file).orElseThrow()) {
                assertThrows(IllegalStateException.class, claim::publish);
            }
        }
        assertEquals("data", Files.readString(file));
    }
}
