package eu.hbp.mip.anonymiser.dicom.codec;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random mutations of the valid fixtures are read and written, or refused with a
 * {@link DicomFormatException}: never another exception, and a read never allocates more than
 * a small multiple of the header bound (measured with the thread's allocation counter).
 */
class DicomFuzzProperties {

    /** Tight bounds: a mutated file must never make the reader hold more than this. */
    private static final ReadLimits LIMITS = ReadLimits.defaults().withMaxHeaderBytes(1 << 20)
            .withMaxInflatedBytes(4 << 20).withMaxValueLength(1 << 20);

    /** What one read may allocate in all (garbage included): the header bound and some slack. */
    private static final long MAX_ALLOCATED = 3 * LIMITS.maxHeaderBytes() + (4 << 20);

    /**
     * The thread's allocation counter (com.sun.management.ThreadMXBean), reached by reflection:
     * the tests compile inside the module, which does not read java.management.
     */
    private static final Allocations ALLOCATIONS = new Allocations();

    static final class Allocations {
        private final Object bean;
        private final java.lang.reflect.Method counter;

        Allocations() {
            try {
                bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                        .invoke(null);
                counter = Class.forName("com.sun.management.ThreadMXBean")
                        .getMethod("getCurrentThreadAllocatedBytes");
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("this JVM has no thread allocation counter", e);
            }
        }

        long getCurrentThreadAllocatedBytes() {
            try {
                return (long) counter.invoke(bean);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read the thread allocation counter", e);
            }
        }
    }

    private static final List<byte[]> FIXTURES = load();

    private static List<byte[]> load() {
        try {
            List<byte[]> all = new ArrayList<>();
            for (Path p : Dcmtk.fixtures()) {
                all.add(Files.readAllBytes(p));
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One change to a file: what, where (taken modulo the length) and with what. */
    record Mutation(int kind, int position, int value) {

        byte[] apply(byte[] in) {
            if (in.length == 0) {
                return in;
            }
            int p = Math.floorMod(position, in.length);
            switch (kind) {
                case 0 -> {
                    byte[] out = in.clone();
                    out[p] ^= (byte) (1 << (value & 7));
                    return out;
                }
                case 1 -> {
                    return Arrays.copyOf(in, p);
                }
                case 2 -> {
                    byte[] out = in.clone();
                    int[] huge = {0xFFFFFFFF, 0x7FFFFFFF, 0xFFFFFFF0, 0x00010000, value};
                    int v = huge[Math.floorMod(value, huge.length)];
                    int at = p & ~1;
                    for (int i = 0; i < 4 && at + i < out.length; i++) {
                        out[at + i] = (byte) (v >>> (8 * i));
                    }
                    return out;
                }
                case 3 -> {
                    int n = 1 + Math.floorMod(value, 8);
                    byte[] out = new byte[in.length + n];
                    System.arraycopy(in, 0, out, 0, p);
                    Arrays.fill(out, p, p + n, (byte) value);
                    System.arraycopy(in, p, out, p + n, in.length - p);
                    return out;
                }
                case 4 -> {
                    int n = Math.min(1 + Math.floorMod(value, 16), in.length - p);
                    byte[] out = new byte[in.length - n];
                    System.arraycopy(in, 0, out, 0, p);
                    System.arraycopy(in, p + n, out, p, in.length - p - n);
                    return out;
                }
                default -> {
                    byte[] out = in.clone();
                    out[p] = (byte) value;
                    return out;
                }
            }
        }
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        return Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.integers(),
                Arbitraries.integers()).as(Mutation::new);
    }

    @Provide
    Arbitrary<Integer> fixtureIndex() {
        return Arbitraries.integers().between(0, FIXTURES.size() - 1);
    }

    @Property(tries = 1500)
    void mutatedFilesAreReadAndWrittenOrRefusedWithAFormatException(
            @ForAll("fixtureIndex") int fixture,
            @ForAll @Size(min = 1, max = 4) List<@net.jqwik.api.From("mutations") Mutation> mutations)
            throws IOException {
        byte[] bytes = FIXTURES.get(fixture);
        for (Mutation m : mutations) {
            bytes = m.apply(bytes);
        }
        Path in = Files.createTempFile("fuzz-in", ".dcm");
        Path out = Files.createTempFile("fuzz-out", ".dcm");
        try {
            Files.write(in, bytes);
            DicomFile file;
            long before = ALLOCATIONS.getCurrentThreadAllocatedBytes();
            try {
                file = DicomReader.read(in, LIMITS);
            } catch (DicomFormatException refused) {
                assertTrue(refused.getMessage() != null && !refused.getMessage().isEmpty());
                return;
            } finally {
                long allocated = ALLOCATIONS.getCurrentThreadAllocatedBytes() - before;
                assertTrue(allocated < MAX_ALLOCATED, "read allocated " + allocated + " bytes");
            }
            try (file) {
                new DicomWriter().write(file, out);
            }
            // What the writer wrote from a file it accepted reads again.
            try (DicomFile again = DicomReader.read(out, LIMITS)) {
                assertTrue(again.dataSet().size() >= 0);
            }
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }
}
