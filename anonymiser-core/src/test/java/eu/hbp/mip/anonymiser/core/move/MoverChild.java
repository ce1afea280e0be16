package eu.hbp.mip.anonymiser.core.move;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.Bucket;
import eu.hbp.mip.anonymiser.api.Outcome;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A worker in its own JVM, started by the multi-process tests (not a test itself).
 * Arguments: in, out, quarantine root, milliseconds to sleep between output chunks,
 * a file to list the relative names it processed in, a file whose appearance says "go",
 * and optionally a batch size (0, the default: one file at a time; else group commits of
 * that many files).
 * It prints {@code ready} once its mover is open, waits for the go file, processes
 * until {@code in/} is empty, and exits.
 */
final class MoverChild {

    private MoverChild() {
    }

    public static void main(String[] args) throws Exception {
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Path quarantine = Path.of(args[2]);
        long delay = Long.parseLong(args[3]);
        Path log = Path.of(args[4]);
        Path go = Path.of(args[5]);
        int batch = args.length > 6 ? Integer.parseInt(args[6]) : 0;
        try (FileMover mover = FileMover.open(in, out, b -> quarantine.resolve(b.folder()),
                MoverOptions.defaults().withQuietPeriod(Duration.ZERO));
             BufferedWriter processed = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            System.out.println("ready");
            System.out.flush();
            while (!Files.exists(go)) {
                Thread.sleep(2);
            }
            Anonymiser slow = slow(delay);
            for (List<Path> pending = mover.pending(); !pending.isEmpty(); pending = mover.pending()) {
                if (batch > 0) {
                    inBatches(mover, pending, slow, batch, processed);
                    continue;
                }
                for (Path file : pending) {
                    Optional<Claim> claim = mover.claim(file);
                    if (claim.isPresent()) {
                        String name = claim.get().relativeName();
                        mover.process(claim.get(), slow, () -> { });
                        processed.write(name);
                        processed.newLine();
                        processed.flush();
                    }
                }
            }
        }
    }

    private static void inBatches(FileMover mover, List<Path> pending, Anonymiser slow, int batch,
                                  BufferedWriter processed) throws IOException {
        List<Claim> staged = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path file : pending) {
            Optional<Claim> claim = mover.claimForBatch(file);
            if (claim.isEmpty()) {
                continue;
            }
            String name = claim.get().relativeName();
            if (mover.stage(claim.get(), slow) instanceof Outcome.Anonymised) {
                staged.add(claim.get());
                names.add(name);
            } else {
                log(processed, List.of(name));
            }
            if (staged.size() == batch) {
                mover.publishAll(staged);
                log(processed, names);
                staged.clear();
                names.clear();
            }
        }
        mover.publishAll(staged);
        log(processed, names);
    }

    private static void log(BufferedWriter processed, List<String> names) throws IOException {
        for (String name : names) {
            processed.write(name);
            processed.newLine();
        }
        processed.flush();
    }

    /** Copies the input in four chunks with a pause after each; rejects inputs starting with 'R'. */
    private static Anonymiser slow(long delay) {
        return (input, sink) -> {
            byte[] bytes = Files.readAllBytes(input);
            if (bytes.length > 0 && bytes[0] == 'R') {
                return new Outcome.Rejected("test-reject", "rejected by the test", Bucket.of("csv"));
            }
            String name = "o/" + input.getFileName() + ".out";
            try (WritableByteChannel channel = sink.create(name)) {
                channel.write(ByteBuffer.wrap("OUT:".getBytes(StandardCharsets.UTF_8)));
                int chunk = Math.max(1, bytes.length / 4 + 1);
                for (int at = 0; at < bytes.length; at += chunk) {
                    channel.write(ByteBuffer.wrap(bytes, at, Math.min(chunk, bytes.length - at)));
                    pause(delay);
                }
            }
            return new Outcome.Anonymised(List.of(name), Map.of(), Set.of());
        };
    }

    private static void pause(long millis) throws IOException {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }
}
