package eu.hbp.mip.anonymiser.core.move;

import eu.hbp.mip.anonymiser.api.Bucket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Workers in child JVMs: one killed at a random moment, two racing over one input folder. */
class ChildProcessTests {

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration FINISH = Duration.ofSeconds(120);

    @TempDir
    Path root;

    @Test
    void aKilledWorkerLosesAndDuplicatesNothing() throws Exception {
        Random random = new Random();
        int interrupted = 0;
        for (int run = 0; run < 6 && (run < 3 || interrupted < 2); run++) {
            long seed = random.nextLong();
            MoveFixture f = MoveFixture.under(root.resolve("run" + run));
            List<byte[]> contents = writeInputs(f, 40, new Random(seed), 4_000);
            Path go = f.root().resolve("go");
            Files.createFile(go);
            // every other run in group commits of 4 files
            Process child = start(f, 15, f.root().resolve("processed.txt"), go, "child", run % 2 == 0 ? 0 : 4);
            awaitReady(child);
            Thread.sleep(100 + new Random(seed).nextInt(800));
            child.destroyForcibly();
            assertTrue(child.waitFor(FINISH.toSeconds(), TimeUnit.SECONDS), "the killed child did not end");
            if (claimsInProgress(f) > 0) {
                interrupted++;
            }

            int recovered;
            try (FileMover mover = FileMover.open(f.in(), f.out(), f.buckets(), MoveFixture.noWait())) {
                recovered = mover.recover(); // open() recovered already; nothing may be left for a second pass
            }
            assertEquals(0, recovered, "seed " + seed);
            checkEachInputOnce(f, contents, "seed " + seed);
        }
        assertTrue(interrupted > 0, "no run killed the child while it held a claim; the test proved nothing");
    }

    /** @return how many claimed inputs sit in the work folder (left by a dead worker) */
    private static long claimsInProgress(MoveFixture f) throws IOException {
        Path work = f.in().resolve(FileMover.WORK_FOLDER);
        try (var files = Files.walk(work)) {
            return files.filter(p -> p.toString().contains("/input/") && Files.isRegularFile(p)).count();
        }
    }

    @Test
    void twoProcessesNeverProcessOneFileTwice() throws Exception {
        MoveFixture f = MoveFixture.under(root);
        List<byte[]> contents = writeInputs(f, 300, new Random(42), 200);
        // Leftovers of two dead workers: both children start at once and must recover them once.
        for (String dead : List.of("dead1", "dead2")) {
            FileMover mover = f.open(dead);
            for (Path file : mover.pending().subList(0, 5)) {
                mover.claim(file);
            }
            mover.abandon();
        }
        Path go = f.root().resolve("go");
        Path log1 = f.root().resolve("processed1.txt");
        Path log2 = f.root().resolve("processed2.txt");
        Process first = start(f, 0, log1, go, "first", 0);
        Process second = start(f, 0, log2, go, "second", 8); // group commits racing single files
        awaitReady(first);
        awaitReady(second);
        Files.createFile(go);
        for (Process child : List.of(first, second)) {
            if (!child.waitFor(FINISH.toSeconds(), TimeUnit.SECONDS)) {
                child.destroyForcibly();
                fail("a child worker did not finish within " + FINISH);
            }
            assertEquals(0, child.exitValue(), "a child worker failed: see " + f.root() + "/*.err");
        }
        List<String> names1 = Files.readAllLines(log1);
        List<String> names2 = Files.readAllLines(log2);
        Set<String> all = new HashSet<>(names1);
        Set<String> overlap = new HashSet<>(names1);
        overlap.retainAll(names2);
        all.addAll(names2);
        assertEquals(Set.of(), overlap, "files processed by both workers");
        assertEquals(names1.size(), new HashSet<>(names1).size(), "a worker processed a file twice");
        assertEquals(names2.size(), new HashSet<>(names2).size(), "a worker processed a file twice");
        assertEquals(300, all.size(), "every file is processed once");
        checkEachInputOnce(f, contents, "race");
        assertEquals(List.of(), MoveFixture.files(f.in()));
    }

    /** Inputs in nested folders; every fifth starts with 'R' and is rejected by the child. */
    private static List<byte[]> writeInputs(MoveFixture f, int count, Random random, int maxNoise)
            throws IOException {
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] noise = new byte[random.nextInt(maxNoise + 1)];
            random.nextBytes(noise);
            byte[] head = ((i % 5 == 0 ? "R" : "F") + i + "\n").getBytes(StandardCharsets.UTF_8);
            byte[] content = new byte[head.length + noise.length];
            System.arraycopy(head, 0, content, 0, head.length);
            System.arraycopy(noise, 0, content, head.length, noise.length);
            contents.add(content);
            // unique paths, but leaf names repeat so that outputs and quarantined files collide
            f.write("s" + (i % 7) + "/series" + (i / 7 % 3) + "/IM" + (i / 21), content);
        }
        return contents;
    }

    /** Every input is once in in/, once as an output in out/, or once in quarantine/ with its sidecar. */
    private static void checkEachInputOnce(MoveFixture f, List<byte[]> contents, String context) throws IOException {
        assertEquals(List.of(), f.workFiles(), context + ": work files left");
        int[] places = new int[contents.size()];
        for (Path file : MoveFixture.files(f.in())) {
            places[index(contents, Files.readAllBytes(file), "", context)]++;
        }
        for (Path file : MoveFixture.files(f.out())) {
            places[index(contents, Files.readAllBytes(file), "OUT:", context)]++;
        }
        for (Path file : MoveFixture.files(f.quarantine())) {
            if (!file.getFileName().toString().endsWith(".reason.txt")) {
                byte[] bytes = Files.readAllBytes(file);
                assertEquals('R', bytes[0], context + ": quarantined though not rejected");
                assertEquals(f.bucket(Bucket.of("csv")), file.getParent());
                assertTrue(Files.exists(file.resolveSibling(file.getFileName() + ".reason.txt")),
                        context + ": sidecar missing");
                places[index(contents, bytes, "", context)]++;
            }
        }
        for (int i = 0; i < places.length; i++) {
            assertEquals(1, places[i], context + ": input " + i + " found in " + places[i] + " places");
        }
    }

    private static int index(List<byte[]> contents, byte[] bytes, String prefix, String context) {
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < contents.size(); i++) {
            byte[] c = contents.get(i);
            if (bytes.length == p.length + c.length
                    && java.util.Arrays.equals(bytes, 0, p.length, p, 0, p.length)
                    && java.util.Arrays.equals(bytes, p.length, bytes.length, c, 0, c.length)) {
                return i;
            }
        }
        fail(context + ": a file is neither an input nor a complete output");
        return -1;
    }

    private static Process start(MoveFixture f, long delay, Path log, Path go, String name, int batch)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                MoverChild.class.getName(), f.in().toString(), f.out().toString(), f.quarantine().toString(),
                Long.toString(delay), log.toString(), go.toString(), Integer.toString(batch));
        builder.redirectError(f.root().resolve(name + ".err").toFile());
        return builder.start();
    }

    private static void awaitReady(Process child) throws InterruptedException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return reader.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        try {
            String ready = line.get(START.toSeconds(), TimeUnit.SECONDS);
            assertEquals("ready", ready, "the child worker did not start");
        } catch (TimeoutException | ExecutionException e) {
            child.destroyForcibly();
            fail("the child worker did not start within " + START);
        }
    }
}
