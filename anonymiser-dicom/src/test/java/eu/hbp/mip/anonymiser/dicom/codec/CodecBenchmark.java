package eu.hbp.mip.anonymiser.dicom.codec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Throughput of the codec (read the header, one edit, write with the pixel data copied
 * through) beside a plain file copy of the same corpus, in the same process.
 *
 * <p>Run {@code scripts/bench-codec.sh [files] [rounds]}. The corpus is generated in a temporary
 * folder: {@code files} (default 200) explicit VR little endian images of 512x512 16-bit
 * (about 512 KiB each), written by our own writer. Each round times both over the whole corpus;
 * copy and codec alternate file by file (same machine load for both); the best round of each
 * is reported, with the ratio (the floor is 0.60).
 */
final class CodecBenchmark {

    private static final int WARM_UP = 3;

    private CodecBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path root = Files.createTempDirectory("codec-bench");
        try {
            List<Path> corpus = corpus(root.resolve("in"), files);
            long bytes = 0;
            for (Path p : corpus) {
                bytes += Files.size(p);
            }
            // Copy and codec alternate file by file, so that both see the same machine load;
            // outputs are deleted between rounds, untimed, so both always create new files.
            long bestCopy = Long.MAX_VALUE;
            long bestCodec = Long.MAX_VALUE;
            DicomWriter writer = new DicomWriter();
            Path copyDir = Files.createDirectories(root.resolve("copy"));
            Path codecDir = Files.createDirectories(root.resolve("codec"));
            List<Double> ratios = new ArrayList<>();
            List<Double> cpuRatios = new ArrayList<>();
            List<Double> copyCpuPerFile = new ArrayList<>();
            List<Double> codecCpuPerFile = new ArrayList<>();
            for (int r = 0; r < rounds + WARM_UP; r++) {
                long copy = 0;
                long codec = 0;
                long copyCpu = 0;
                long codecCpu = 0;
                for (int i = 0; i < corpus.size(); i++) {
                    Path p = corpus.get(i);
                    // Alternate which goes first, so neither always pays for the other's writeback.
                    long c0 = CPU.now();
                    if (i % 2 == 0) {
                        copy += time(() -> Files.copy(p, copyDir.resolve(p.getFileName())));
                        long c1 = CPU.now();
                        codec += time(() -> codecOne(writer, p, codecDir));
                        copyCpu += c1 - c0;
                        codecCpu += CPU.now() - c1;
                    } else {
                        codec += time(() -> codecOne(writer, p, codecDir));
                        long c1 = CPU.now();
                        copy += time(() -> Files.copy(p, copyDir.resolve(p.getFileName())));
                        codecCpu += c1 - c0;
                        copyCpu += CPU.now() - c1;
                    }
                }
                if (r >= WARM_UP) {   // the first rounds warm up the JIT and the page cache
                    bestCopy = Math.min(bestCopy, copy);
                    bestCodec = Math.min(bestCodec, codec);
                    ratios.add((double) copy / codec);
                    cpuRatios.add((double) copyCpu / codecCpu);
                    copyCpuPerFile.add(copyCpu / 1e3 / corpus.size());
                    codecCpuPerFile.add(codecCpu / 1e3 / corpus.size());
                }
                System.out.printf("round %d: copy %.0f MB/s, codec %.0f MB/s%n", r, mbPerSecond(bytes, copy),
                        mbPerSecond(bytes, codec));
                clean(copyDir);
                clean(codecDir);
            }
            double copyRate = mbPerSecond(bytes, bestCopy);
            double codecRate = mbPerSecond(bytes, bestCodec);
            System.out.printf("%n");
            System.out.printf("corpus: %d files, %.1f MB (512x512 16-bit, explicit VR LE)%n", files, bytes / 1e6);
            System.out.printf("plain copy (Files.copy), best round   : %8.1f MB/s%n", copyRate);
            System.out.printf("codec read + edit + write, best round : %8.1f MB/s%n", codecRate);
            System.out.printf("ratio codec / copy, best rounds       : %8.2f (floor 0.60)%n", codecRate / copyRate);
            ratios.sort(null);
            System.out.printf("ratio codec / copy, median round      : %8.2f%n", median(ratios));
            System.out.printf("CPU time per file (user+sys, median)  : copy %.0f us, codec %.0f us; ratio %.2f%n",
                    median(copyCpuPerFile), median(codecCpuPerFile), median(cpuRatios));
        } finally {
            deleteTree(root);
        }
    }

    /** Generates the corpus with our writer: a fixture header, 512x512 16-bit random pixels. */
    static List<Path> corpus(Path dir, int files) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(42);
        byte[] pixels = new byte[512 * 512 * 2];
        List<Path> out = new ArrayList<>();
        try (DicomFile template = DicomReader.read(Dcmtk.fixture("ct-explicit-le.dcm"))) {
            for (int i = 0; i < files; i++) {
                DataSet ds = template.dataSet();
                ds.putInts(Tag.ROWS, VR.US, 512);
                ds.putInts(Tag.COLUMNS, VR.US, 512);
                ds.putString("SOPInstanceUID", "1.2.826.0.1.3680043.2.1125.9." + i);
                ds.putString("PatientID", "BENCH-" + (i % 20));
                random.nextBytes(pixels);
                for (int k = 1; k < pixels.length; k += 2) {
                    pixels[k] &= 0x0F;   // 12 bits stored
                }
                ds.put(new Element(Tag.PIXEL_DATA, VR.OW, new Value.Bytes(pixels)));
                Path p = dir.resolve(String.format("img%04d.dcm", i));
                new DicomWriter().write(template, p);
                out.add(p);
            }
        }
        return out;
    }

    private static void codecOne(DicomWriter writer, Path p, Path outDir) throws IOException {
        try (DicomFile f = DicomReader.read(p)) {
            f.dataSet().putString("PatientID", "PSEUDONYM");
            writer.write(f, outDir.resolve(p.getFileName()));
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    /**
     * This thread's CPU time (user and system), less sensitive to other processes than wall time;
     * reached by reflection (the test sources compile inside the module, which does not read
     * java.management).
     */
    private static final class Cpu {
        private final Object bean;
        private final java.lang.reflect.Method time;

        Cpu() {
            try {
                bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                        .invoke(null);
                time = Class.forName("java.lang.management.ThreadMXBean").getMethod("getCurrentThreadCpuTime");
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("no thread CPU time in this JVM", e);
            }
        }

        long now() {
            try {
                return (long) time.invoke(bean);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read the thread CPU time", e);
            }
        }
    }

    private static final Cpu CPU = new Cpu();

    private static void clean(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
    }

    interface Job {
        void run() throws IOException;
    }

    private static long time(Job job) throws IOException {
        long t0 = System.nanoTime();
        job.run();
        return System.nanoTime() - t0;
    }

    private static double mbPerSecond(long bytes, long nanos) {
        return bytes / 1e6 / (nanos / 1e9);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
