package eu.hbp.mip.anonymiser.core.move;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Which files {@link FileMover#pending()} offers. */
class PendingTests {

    @TempDir
    Path root;

    private FileMover open(MoveFixture f, Duration quiet, boolean skipHidden) throws IOException {
        return FileMover.open(f.in(), f.out(), f.buckets(),
                MoverOptions.defaults().withQuietPeriod(quiet).withSkipHidden(skipHidden), Steps.NONE, "a");
    }

    @Test
    void neverOffersAFileStillBeingWritten() throws Exception {
        MoveFixture f = MoveFixture.under(root);
        Path growing = f.in().resolve("study/growing.dcm");
        Files.createDirectories(growing.getParent());
        AtomicBoolean writing = new AtomicBoolean(true);
        CompletableFuture<Void> writer;
        try (OutputStream stream = Files.newOutputStream(growing, StandardOpenOption.CREATE_NEW)) {
            writer = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 40; i++) {
                        stream.write(new byte[100]);
                        stream.flush();
                        Thread.sleep(50);
                    }
                } catch (IOException | InterruptedException e) {
                    throw new AssertionError(e);
                } finally {
                    writing.set(false);
                }
            });
            try (FileMover mover = open(f, Duration.ofSeconds(1), true)) {
                while (writing.get()) {
                    List<Path> pending = mover.pending();
                    if (writing.get()) {
                        assertFalse(pending.contains(growing), "a file still growing was offered");
                    }
                    Thread.sleep(40);
                }
                writer.get(30, TimeUnit.SECONDS);
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (!mover.pending().contains(growing)) {
                    if (System.nanoTime() > deadline) {
                        fail("a file that stopped changing was never offered");
                    }
                    Thread.sleep(100);
                }
            }
        }
    }

    @Test
    void offersAFileWithAnOldModificationTimeAtOnce() throws IOException {
        MoveFixture f = MoveFixture.under(root);
        Path file = f.write("old.csv", "x".getBytes(StandardCharsets.UTF_8));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
        Path fresh = f.write("fresh.csv", "y".getBytes(StandardCharsets.UTF_8));
        try (FileMover mover = open(f, Duration.ofSeconds(30), true)) {
            List<Path> pending = mover.pending();
            assertEquals(List.of(file), pending);
            assertFalse(pending.contains(fresh));
        }
    }

    @Test
    void offersAFileObservedUnchangedForTheQuietPeriodEvenWithAFutureTime() throws Exception {
        MoveFixture f = MoveFixture.under(root);
        Path file = f.write("skewed.csv", "x".getBytes(StandardCharsets.UTF_8));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(3600)));
        try (FileMover mover = open(f, Duration.ofMillis(300), true)) {
            assertEquals(List.of(), mover.pending(), "first seen with a time in the future: not yet");
            Thread.sleep(400);
            assertEquals(List.of(file), mover.pending());
        }
    }

    @Test
    void leavesOutTheWorkFolderAndHiddenNamesAndSortsByPath() throws IOException {
        MoveFixture f = MoveFixture.under(root);
        Path b = f.write("b/z.csv", new byte[1]);
        Path a = f.write("a.csv", new byte[1]);
        Path hidden = f.write(".partial.csv", new byte[1]);
        f.write(".rsync-tmp/x.csv", new byte[1]);
        try (FileMover mover = open(f, Duration.ZERO, true)) {
            Path claimed = f.write("claimed.csv", new byte[1]);
            Claim claim = mover.claim(claimed).orElseThrow();
            assertEquals(List.of(a, b), mover.pending());
            claim.release();
            assertEquals(List.of(a, b, claimed), mover.pending());
        }
        try (FileMover mover = open(f, Duration.ZERO, false)) {
            List<Path> pending = mover.pending();
            assertTrue(pending.contains(hidden));
            assertTrue(pending.stream().noneMatch(p -> p.toString().contains(FileMover.WORK_FOLDER)));
        }
    }
}
