package eu.hbp.mip.anonymiser.core.move;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.Outcome;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Not a test: the cost of the crash-safe move per file, beside a plain copy-and-delete
 * of the same files in the same process. Arguments: number of files (300), file size in
 * bytes (65536), folder to work in (a temp folder). Run by {@code scripts/bench-move.sh}.
 */
final class MoveBenchmark {

    private MoveBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 65_536;
        Path base = args.length > 2 ? Files.createDirectories(Path.of(args[2])) : Files.createTempDirectory("move-bench");
        Anonymiser copy = (input, sink) -> {
            try (FileChannel source = FileChannel.open(input); WritableByteChannel target = sink.create("o.bin")) {
                source.transferTo(0, source.size(), target);
            }
            return new Outcome.Anonymised(List.of("o.bin"), Map.of(), Set.of());
        };
        for (int round = 0; round < 2; round++) { // the first round warms up
            MoveFixture plainFolders = MoveFixture.under(base.resolve("plain" + round));
            fill(plainFolders, count, size);
            long t0 = System.nanoTime();
            int n = 0;
            try (var files = Files.walk(plainFolders.in())) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    Path target = plainFolders.out().resolve("o-" + n++ + ".bin");
                    Files.copy(file, target);
                    Files.delete(file);
                }
            }
            long plain = System.nanoTime() - t0;

            MoveFixture moved = MoveFixture.under(base.resolve("moved" + round));
            fill(moved, count, size);
            long t1 = System.nanoTime();
            long cpu1 = cpuNanos();
            try (FileMover mover = FileMover.open(moved.in(), moved.out(), moved.buckets(),
                    MoverOptions.defaults().withQuietPeriod(Duration.ZERO))) {
                for (Path file : mover.pending()) {
                    mover.process(mover.claim(file).orElseThrow(), copy, () -> { });
                }
            }
            long safe = System.nanoTime() - t1;
            long safeCpu = cpuNanos() - cpu1;
            if (round == 1) {
                System.out.printf("files: %d x %d bytes%n", count, size);
                System.out.printf("plain copy+delete (no fsync): %8.3f ms/file%n", plain / 1e6 / count);
                System.out.printf("FileMover claim+publish:       %8.3f ms/file%n", safe / 1e6 / count);
                System.out.printf("  of which CPU (process):      %8.3f ms/file%n", safeCpu / 1e6 / count);
                System.out.printf("ratio mover/plain:             %8.1f x%n", (double) safe / plain);
            }
            plainFolders.delete();
            moved.delete();
        }
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static void fill(MoveFixture f, int count, int size) throws IOException {
        Random random = new Random(1);
        byte[] bytes = new byte[size];
        for (int i = 0; i < count; i++) {
            random.nextBytes(bytes);
            Path file = f.in().resolve("study" + (i % 10)).resolve("IM" + i);
            Files.createDirectories(file.getParent());
            Files.write(file, bytes, StandardOpenOption.CREATE_NEW);
        }
    }
}
