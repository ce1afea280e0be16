package eu.hbp.mip.anonymiser.core.move;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.Bucket;
import eu.hbp.mip.anonymiser.api.Outcome;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * For random inputs, random anonymiser behaviour and a crash injected at a random step
 * (and maybe a second crash during recovery), after recovery every input is in exactly one
 * of in/, out/ (as its outputs), quarantine/, untouched inputs keep their bytes, and no
 * work file remains; one file at a time, or in group commits of random size (claims
 * staged, quarantines and failures interleaved, then published together).
 */
class MoveCrashProperties {

    enum Behaviour { PUBLISH_ONE, PUBLISH_TWO, REJECT, IO_FAILURE, IO_FAILURE_NEW_ARRIVAL, RUNTIME_FAILURE }

    record Input(String path, byte[] noise, Behaviour behaviour) {
    }

    /** The simulated death of the process. */
    static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Crash(String step) {
            super("crash injected after " + step);
        }
    }

    @Provide
    Arbitrary<List<Input>> inputs() {
        Arbitrary<String> folder = Arbitraries.of("", "a/", "b/", "a/b/", "sub dir/", "a/sub dir/");
        Arbitrary<String> leaf = Arbitraries.of("IM0001", "x.dcm", "visits.csv", "same", "y-1.dcm");
        Arbitrary<String> path = Combinators.combine(folder, leaf).as(String::concat);
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Combinators.combine(path, noise, Arbitraries.of(Behaviour.class)).as(Input::new)
                .list().ofMinSize(1).ofMaxSize(8).uniqueElements(Input::path);
    }

    @Property(tries = 300)
    void everyInputEndsInExactlyOnePlace(@ForAll("inputs") List<Input> inputs,
                                         @ForAll @IntRange(min = 1, max = 90) int crashAt,
                                         @ForAll @IntRange(min = 0, max = 30) int recoveryCrashAt,
                                         @ForAll boolean preseed,
                                         @ForAll @IntRange(min = 0, max = 4) int batch) throws IOException {
        MoveFixture f = MoveFixture.temporary();
        try {
            run(f, inputs, crashAt, recoveryCrashAt, preseed, batch);
        } finally {
            f.delete();
        }
    }

    private void run(MoveFixture f, List<Input> inputs, int crashAt, int recoveryCrashAt, boolean preseed, int batch)
            throws IOException {
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            byte[] content = concat(("input " + i + "\n").getBytes(StandardCharsets.UTF_8), inputs.get(i).noise());
            contents.add(content);
            f.write(inputs.get(i).path(), content);
        }
        Map<Path, byte[]> preseeded = new HashMap<>();
        if (preseed) {
            preseeded.put(f.out().resolve("o/x.dcm.out"), "earlier output".getBytes(StandardCharsets.UTF_8));
            preseeded.put(f.out().resolve("same.2.out"), "earlier output 2".getBytes(StandardCharsets.UTF_8));
            preseeded.put(f.bucket(Bucket.of("csv")).resolve("IM0001"), "earlier rejection".getBytes(StandardCharsets.UTF_8));
            preseeded.put(f.bucket(Bucket.UNKNOWN).resolve("same.reason.txt"), "stray".getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<Path, byte[]> e : preseeded.entrySet()) {
                Files.createDirectories(e.getKey().getParent());
                Files.write(e.getKey(), e.getValue());
            }
        }
        List<byte[]> arrivals = new ArrayList<>();

        // First worker: processes everything and dies at step crashAt.
        FileMover first = f.open(crashingAt(crashAt), "first");
        try {
            if (batch > 0) {
                processInBatches(first, batch, anonymiser(inputs, f, arrivals));
            } else {
                for (Path file : first.pending()) {
                    Optional<Claim> claim = first.claim(file);
                    if (claim.isPresent()) {
                        try {
                            first.process(claim.get(), anonymiser(inputs, f, arrivals), () -> { });
                        } catch (IOException expected) {
                            // the anonymiser's simulated I/O failure: the claim was released
                        }
                    }
                }
            }
            first.close();
        } catch (Crash crash) {
            first.abandon();
        }

        // Second worker: recovers, and may die while recovering.
        try {
            f.open(crashingAt(recoveryCrashAt == 0 ? Integer.MAX_VALUE : recoveryCrashAt), "second").close();
        } catch (Crash crash) {
            // died during recovery: its lock went with it
        }
        // Third worker: recovers what is left, cleanly.
        f.open("third").close();

        check(f, inputs, contents, arrivals, preseeded);

        // Whatever is left in in/ can still be processed to the end.
        try (FileMover last = f.open("last")) {
            for (Path file : last.pending()) {
                last.process(last.claim(file).orElseThrow(), FileMoverTests.copying("final.out"), () -> { });
            }
        }
        assertEquals(List.of(), MoveFixture.files(f.in()));
        assertEquals(List.of(), f.workFiles());
    }

    /** As the pipeline does: claims staged without forces, published {@code size} at a time. */
    private static void processInBatches(FileMover mover, int size, Anonymiser anonymiser) throws IOException {
        List<Claim> staged = new ArrayList<>();
        for (Path file : mover.pending()) {
            Optional<Claim> claim = mover.claimForBatch(file);
            if (claim.isEmpty()) {
                continue;
            }
            try {
                if (mover.stage(claim.get(), anonymiser) instanceof Outcome.Anonymised) {
                    staged.add(claim.get());
                }
            } catch (IOException expected) {
                // the anonymiser's simulated I/O failure: the claim was released
            }
            if (staged.size() == size) {
                mover.publishAll(staged);
                staged.clear();
            }
        }
        mover.publishAll(staged);
    }

    private static void check(MoveFixture f, List<Input> inputs, List<byte[]> contents, List<byte[]> arrivals,
                              Map<Path, byte[]> preseeded) throws IOException {
        assertEquals(List.of(), f.workFiles(), "no temp, journal, claim or lock file may remain");
        for (Map.Entry<Path, byte[]> e : preseeded.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(e.getKey()), "a file already there was changed");
        }
        int n = contents.size();
        int[] inCount = new int[n];
        int[] out1 = new int[n];
        int[] out2 = new int[n];
        int[] quarantined = new int[n];
        int[] arrivalCount = new int[arrivals.size()];
        for (Path file : MoveFixture.files(f.in())) {
            byte[] bytes = Files.readAllBytes(file);
            int i = indexOf(contents, bytes);
            int a = indexOf(arrivals, bytes);
            if (i >= 0) {
                inCount[i]++;
            } else if (a >= 0) {
                arrivalCount[a]++;
            } else {
                fail("a file in in/ is neither an input nor a new arrival: " + f.in().relativize(file));
            }
        }
        for (Path file : MoveFixture.files(f.out())) {
            if (preseeded.containsKey(file)) {
                continue;
            }
            byte[] bytes = Files.readAllBytes(file);
            int i1 = indexOfOutput(contents, "OUT:o/", bytes);
            int i2 = indexOfOutput(contents, "OUT:2:", bytes);
            if (i1 >= 0) {
                out1[i1]++;
            } else if (i2 >= 0) {
                out2[i2]++;
            } else {
                fail("a file in out/ is not a complete output of an input: " + f.out().relativize(file));
            }
        }
        int sidecars = 0;
        for (Path file : MoveFixture.files(f.quarantine())) {
            if (preseeded.containsKey(file)) {
                continue;
            }
            if (file.getFileName().toString().endsWith(".reason.txt")) {
                sidecars++;
                continue;
            }
            byte[] bytes = Files.readAllBytes(file);
            int i = indexOf(contents, bytes);
            assertTrue(i >= 0, "a file in quarantine/ is not an input: " + f.quarantine().relativize(file));
            quarantined[i]++;
            Behaviour b = inputs.get(i).behaviour();
            Bucket expected = b == Behaviour.REJECT ? Bucket.of("csv") : Bucket.UNKNOWN;
            assertTrue(b == Behaviour.REJECT || b == Behaviour.RUNTIME_FAILURE, "quarantined though " + b);
            assertEquals(f.bucket(expected), file.getParent());
            Path sidecar = file.resolveSibling(file.getFileName() + ".reason.txt");
            assertTrue(Files.exists(sidecar), "a quarantined file has no sidecar");
            assertTrue(Files.readString(sidecar).contains("sha256: " + MoveFixture.sha256(bytes)));
        }
        int quarantinedTotal = 0;
        for (int i = 0; i < n; i++) {
            Behaviour b = inputs.get(i).behaviour();
            boolean published = out1[i] > 0 || out2[i] > 0;
            if (published) {
                assertTrue(b == Behaviour.PUBLISH_ONE || b == Behaviour.PUBLISH_TWO, "published though " + b);
                assertEquals(1, out1[i], "input " + i + ": first output not exactly once");
                assertEquals(b == Behaviour.PUBLISH_TWO ? 1 : 0, out2[i], "input " + i + ": second output");
            }
            int places = inCount[i] + quarantined[i] + (published ? 1 : 0);
            assertEquals(1, places, "input " + i + " (" + b + ") is in " + inCount[i] + " x in/, " + quarantined[i]
                    + " x quarantine/, published " + published);
            quarantinedTotal += quarantined[i];
        }
        for (int a = 0; a < arrivals.size(); a++) {
            assertEquals(1, arrivalCount[a], "a file that arrived during processing is lost or doubled");
        }
        assertEquals(quarantinedTotal, sidecars, "one sidecar per quarantined file");
    }

    private static Steps crashingAt(int k) {
        AtomicInteger count = new AtomicInteger();
        return step -> {
            if (count.incrementAndGet() == k) {
                throw new Crash(step);
            }
        };
    }

    private static Anonymiser anonymiser(List<Input> inputs, MoveFixture f, List<byte[]> arrivals) {
        return (file, sink) -> {
            byte[] bytes = Files.readAllBytes(file);
            String first = new String(bytes, 0, indexOfNewline(bytes), StandardCharsets.UTF_8);
            int i = Integer.parseInt(first.substring("input ".length()));
            Input input = inputs.get(i);
            String leaf = file.getFileName().toString();
            switch (input.behaviour()) {
                case PUBLISH_ONE, PUBLISH_TWO -> {
                    write(sink.create("o/" + leaf + ".out"), "OUT:o/", bytes);
                    if (input.behaviour() == Behaviour.PUBLISH_ONE) {
                        return new Outcome.Anonymised(List.of("o/" + leaf + ".out"), Map.of(), Set.of());
                    }
                    write(sink.create(leaf + ".2.out"), "OUT:2:", bytes);
                    return new Outcome.Anonymised(List.of("o/" + leaf + ".out", leaf + ".2.out"), Map.of(), Set.of());
                }
                case REJECT -> {
                    return new Outcome.Rejected("test-reject", "rejected by the test", Bucket.of("csv"));
                }
                case IO_FAILURE, IO_FAILURE_NEW_ARRIVAL -> {
                    write(sink.create("partial.out"), "PARTIAL:", Arrays.copyOf(bytes, bytes.length / 2));
                    if (input.behaviour() == Behaviour.IO_FAILURE_NEW_ARRIVAL) {
                        byte[] arrival = ("arrival " + i).getBytes(StandardCharsets.UTF_8);
                        arrivals.add(arrival);
                        f.write(input.path(), arrival);
                    }
                    throw new IOException("simulated disk failure");
                }
                case RUNTIME_FAILURE -> {
                    write(sink.create("partial.out"), "PARTIAL:", bytes);
                    throw new IllegalStateException("simulated bug");
                }
                default -> throw new AssertionError(input.behaviour());
            }
        };
    }

    private static void write(WritableByteChannel channel, String prefix, byte[] bytes) throws IOException {
        try (channel) {
            channel.write(ByteBuffer.wrap(prefix.getBytes(StandardCharsets.UTF_8)));
            channel.write(ByteBuffer.wrap(bytes));
        }
    }

    private static int indexOfNewline(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return bytes.length;
    }

    private static int indexOf(List<byte[]> candidates, byte[] bytes) {
        for (int i = 0; i < candidates.size(); i++) {
            if (Arrays.equals(candidates.get(i), bytes)) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfOutput(List<byte[]> contents, String prefix, byte[] bytes) {
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < p.length || !Arrays.equals(p, Arrays.copyOf(bytes, p.length))) {
            return -1;
        }
        return indexOf(contents, Arrays.copyOfRange(bytes, p.length, bytes.length));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        assertNotNull(out);
        return out.toByteArray();
    }
}
