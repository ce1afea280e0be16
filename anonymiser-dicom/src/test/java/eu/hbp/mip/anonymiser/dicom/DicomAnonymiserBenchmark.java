package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.OutputSink;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.dicom.codec.DicomFile;
import eu.hbp.mip.anonymiser.dicom.codec.DicomReader;
import eu.hbp.mip.anonymiser.dicom.codec.DicomWriter;
import eu.hbp.mip.anonymiser.dicom.codec.VR;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Throughput of the DICOM anonymiser with {@code mip-default} on a corpus of 512x512 16-bit MR
 * images, beside a plain copy of the same corpus (FileChannel.transferTo) in the same process,
 * both with the same number of threads, and beside the codec alone (read and write back unchanged),
 * which shows what the de-identification itself adds. Not a test: run {@code scripts/bench-dicom.sh [files] [threads]}.
 * Prints files/s, MB/s and the ratio to the copy (floor: 0.5).
 */
public final class DicomAnonymiserBenchmark {

    private DicomAnonymiserBenchmark() {
    }

    interface Job {
        void run(Path file, Path target) throws IOException;
    }

    public static void main(String[] args) throws Exception {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path work = Files.createTempDirectory("dicom-bench");
        try {
            List<Path> corpus = corpus(work.resolve("corpus"), files);
            long bytes = 0;
            for (Path p : corpus) {
                bytes += Files.size(p);
            }
            try (PseudonymStore store = Stores.sqlite(work)) {
                Anonymiser anonymiser = new DicomAnonymiserProvider().create(new AnonymiserContext(
                        work.resolve("scripts"), store, Map.of(), java.time.Clock.systemUTC()));
                Job copy = (in, target) -> {
                    Path out = target.resolve(in.getFileName());
                    try (FileChannel src = FileChannel.open(in, StandardOpenOption.READ);
                         FileChannel dst = FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                        long pos = 0;
                        long size = src.size();
                        while (pos < size) {
                            pos += src.transferTo(pos, size - pos, dst);
                        }
                    }
                };
                Job anonymise = (in, target) -> {
                    Outcome o = anonymiser.anonymise(in, OutputSink.into(target));
                    if (!(o instanceof Outcome.Anonymised)) {
                        throw new IllegalStateException("benchmark input rejected: " + o);
                    }
                };
                Job rewrite = (in, target) -> {
                    try (DicomFile f = DicomReader.read(in)) {
                        new DicomWriter().write(f, target.resolve(in.getFileName()));
                    }
                };
                for (int round = 0; round < 7; round++) {
                    // alternate the order, and start each phase with no dirty pages of the other's
                    // output, so that neither pays for the other's write-back
                    double copyS;
                    double anonS;
                    if (round % 2 == 0) {
                        copyS = time(corpus, work.resolve("copy"), threads, copy);
                        anonS = time(corpus, work.resolve("anon"), threads, anonymise);
                    } else {
                        anonS = time(corpus, work.resolve("anon"), threads, anonymise);
                        copyS = time(corpus, work.resolve("copy"), threads, copy);
                    }
                    double rewriteS = time(corpus, work.resolve("rewrite"), threads, rewrite);
                    String label = round == 0 ? "warm-up" : "round " + round;
                    System.out.printf("%-8s codec r+w : %7.1f files/s %8.1f MB/s  (%.2f x copy)%n", label,
                            files / rewriteS, bytes / 1e6 / rewriteS, copyS / rewriteS);
                    System.out.printf("%-8s copy      : %7.1f files/s %8.1f MB/s%n", label, files / copyS, bytes / 1e6 / copyS);
                    System.out.printf("%-8s anonymise : %7.1f files/s %8.1f MB/s  (%.2f x copy, floor 0.50)%n",
                            label, files / anonS, bytes / 1e6 / anonS, copyS / anonS);
                }
                System.out.printf("corpus: %d files of 512x512 16-bit, %.1f MB, %d threads, profile mip-default%n",
                        files, bytes / 1e6, threads);
            }
        } finally {
            delete(work);
        }
    }

    private static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static double time(List<Path> corpus, Path target, int threads, Job job) throws Exception {
        delete(target);
        Files.createDirectories(target);
        new ProcessBuilder("sync").inheritIO().start().waitFor();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Path p : corpus) {
                done.add(pool.submit(() -> {
                    job.run(p, target);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** One 512x512 16-bit image made by DCMTK, then copied with new instance numbers and UIDs. */
    private static List<Path> corpus(Path dir, int files) throws IOException {
        Files.createDirectories(dir);
        Path raw = dir.resolve("pixels.raw");
        byte[] pixels = new byte[512 * 512 * 2];
        for (int i = 0; i < pixels.length; i += 2) {
            pixels[i] = (byte) (i % 251);
        }
        Files.write(raw, pixels);
        Path template = Corpus.instance(dir.resolve("template"), "t", 1, Map.of(
                "(0028,0010)", "(0028,0010) US 512", "(0028,0011)", "(0028,0011) US 512",
                "(7fe0,0010)", "(7fe0,0010) OW =" + raw), "+te");
        List<Path> out = new ArrayList<>();
        for (int n = 1; n <= files; n++) {
            try (DicomFile f = DicomReader.read(template)) {
                f.dataSet().putString(0x00200013, VR.IS, Integer.toString(n));
                f.dataSet().putString(0x00080018, VR.UI, Corpus.sopUid(n));
                Path p = dir.resolve("img" + n + ".dcm");
                new DicomWriter().write(f, p);
                out.add(p);
            }
        }
        return out;
    }
}
