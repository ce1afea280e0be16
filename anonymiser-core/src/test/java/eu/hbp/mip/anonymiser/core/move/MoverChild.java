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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A worker in its own JVM, started by the multi-process tests (not a test itself).
 * Arguments: in, out, quarantine root, milliseconds to sleep between output chunks,
 * a file to list the relative names it processed in, a file whose appearance says "go".
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
