package eu.hbp.mip.anonymiser.core.move;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.Bucket;
import eu.hbp.mip.anonymiser.api.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Names from the input never lead a write outside the target folder. */
class PathSafetyTests {

    @TempDir
    Path root;

    private final AtomicBoolean called = new AtomicBoolean();
    private final Anonymiser recording = (input, sink) -> {
        called.set(true);
        return FileMoverTests.copying("x.out").anonymise(input, sink);
    };

    @Test
    void refusesOutputNamesThatClimbOutAndWritesNothingOutside() throws IOException {
        MoveFixture f = MoveFixture.under(root.resolve("deployment"));
        List<String> names = List.of("../../etc/x", "/tmp/x", "a/../../x", "./x", "..", "a//x", "x\n");
        for (int i = 0; i < names.size(); i++) {
            f.write("f" + i, new byte[] {(byte) i});
        }
        try (FileMover mover = f.open("a")) {
            List<Path> pending = mover.pending();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                Anonymiser climbing = FileMoverTests.copying(name);
                Outcome outcome = mover.process(mover.claim(pending.get(i)).orElseThrow(), climbing, () -> { });
                assertEquals("internal-error", ((Outcome.Rejected) outcome).code(), "name #" + i);
            }
        }
        try (Stream<Path> everything = Files.walk(root)) {
            List<Path> outside = everything.filter(p -> !p.startsWith(f.root()) && !p.equals(root)).toList();
            assertEquals(List.of(), outside, "nothing may be written outside the deployment");
        }
        assertEquals(List.of(), MoveFixture.files(f.out()));
        try (Stream<Path> quarantined = Files.list(f.bucket(Bucket.UNKNOWN))) {
            assertEquals(2L * names.size(), quarantined.count(), "each input and its sidecar in quarantine");
        }
        assertFalse(Files.exists(Path.of("/tmp/x")) && Files.size(Path.of("/tmp/x")) == 1
                && Files.readAllBytes(Path.of("/tmp/x"))[0] == 1, "an absolute output name was written");
    }

    @Test
    void quarantinesAnInputWithControlCharactersUnderACleanNameUnread() throws IOException {
        MoveFixture f = MoveFixture.under(root);
        f.write("scans/bad\nname\u202E\u0007.csv", "data".getBytes(StandardCharsets.UTF_8));
        try (FileMover mover = f.open("a")) {
            Path file = mover.pending().get(0);
            Outcome outcome = mover.process(mover.claim(file).orElseThrow(), recording, () -> { });
            assertEquals("unsafe-name", ((Outcome.Rejected) outcome).code());
        }
        assertFalse(called.get(), "the anonymiser must not see an input with an unsafe name");
        Path bucket = f.bucket(Bucket.UNKNOWN);
        assertEquals("data", Files.readString(bucket.resolve("bad_name__.csv")));
        String sidecar = Files.readString(bucket.resolve("bad_name__.csv.reason.txt"));
        assertTrue(sidecar.contains("code: unsafe-name"), sidecar);
        assertFalse(sidecar.contains("scans"), "the sidecar must not carry the original path");
    }

    @Test
    void quarantinesAnInputWhoseNameIsNotValidText() throws Exception {
        MoveFixture f = MoveFixture.under(root);
        // Java cannot spell a name with a byte that is not UTF-8: let the shell make it.
        Process touch = new ProcessBuilder("sh", "-c", "printf data > \"$(printf 'bad\\377.csv')\"")
                .directory(f.in().toFile()).start();
        assertEquals(0, touch.waitFor(), "sh and printf are needed to make a file name that is not UTF-8");
        try (FileMover mover = f.open("a")) {
            List<Path> pending = mover.pending();
            assertEquals(1, pending.size());
            Outcome outcome = mover.process(mover.claim(pending.get(0)).orElseThrow(), recording, () -> { });
            assertEquals("unsafe-name", ((Outcome.Rejected) outcome).code());
        }
        assertFalse(called.get());
        assertEquals(List.of(), MoveFixture.files(f.in()));
        try (Stream<Path> quarantined = Files.list(f.bucket(Bucket.UNKNOWN))) {
            List<String> names = quarantined.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("bad_.csv", "bad_.csv.reason.txt"), names);
        }
    }

    @Test
    void quarantinesASymbolicLinkToOutsideWithoutReadingOrTouchingItsTarget() throws IOException {
        MoveFixture f = MoveFixture.under(root.resolve("deployment"));
        Path secret = Files.writeString(Files.createDirectories(root.resolve("outside")).resolve("secret.txt"), "secret");
        Files.createSymbolicLink(f.in().resolve("link.csv"), secret);
        try (FileMover mover = f.open("a")) {
            List<Path> pending = mover.pending();
            assertEquals(List.of(f.in().resolve("link.csv")), pending);
            Outcome outcome = mover.process(mover.claim(pending.get(0)).orElseThrow(), recording, () -> { });
            assertEquals("unsafe-name", ((Outcome.Rejected) outcome).code());
        }
        assertFalse(called.get(), "a link must never be handed to the anonymiser");
        Path quarantined = f.bucket(Bucket.UNKNOWN).resolve("link.csv");
        assertTrue(Files.isSymbolicLink(quarantined), "the link itself is quarantined, not its target");
        assertEquals("secret", Files.readString(secret));
        assertTrue(Files.readString(f.bucket(Bucket.UNKNOWN).resolve("link.csv.reason.txt"))
                .contains("sha256: not computed"));
        assertEquals(List.of(), MoveFixture.files(f.out()));
    }

    @Test
    void doesNotFollowALinkedFolder() throws IOException {
        MoveFixture f = MoveFixture.under(root.resolve("deployment"));
        Path outside = Files.createDirectories(root.resolve("outside"));
        Files.writeString(outside.resolve("a.csv"), "not ours");
        Files.createSymbolicLink(f.in().resolve("linked"), outside);
        try (FileMover mover = f.open("a")) {
            assertEquals(List.of(f.in().resolve("linked")), mover.pending(),
                    "the link is listed as an entry; nothing behind it is");
            mover.process(mover.claim(f.in().resolve("linked")).orElseThrow(), recording, () -> { });
        }
        assertFalse(called.get());
        assertEquals("not ours", Files.readString(outside.resolve("a.csv")));
        assertTrue(Files.isSymbolicLink(f.bucket(Bucket.UNKNOWN).resolve("linked")));
    }

    @Test
    void releasesInsideTheInputFolderEvenIfItsFolderBecameALink() throws IOException {
        MoveFixture f = MoveFixture.under(root.resolve("deployment"));
        Path outside = Files.createDirectories(root.resolve("outside"));
        f.write("a/x.csv", "data".getBytes(StandardCharsets.UTF_8));
        try (FileMover mover = f.open("a")) {
            Claim claim = mover.claim(f.in().resolve("a/x.csv")).orElseThrow();
            Files.delete(f.in().resolve("a"));
            Files.createSymbolicLink(f.in().resolve("a"), outside);
            claim.release();
        }
        try (Stream<Path> list = Files.list(outside)) {
            assertEquals(0, list.count(), "nothing may be released through a link");
        }
        assertEquals("data", Files.readString(f.in().resolve("x.csv")));
    }

    @Test
    void keepsAQuarantinedDottedNameVisible() throws IOException {
        MoveFixture f = MoveFixture.under(root);
        f.write("...", "dots".getBytes(StandardCharsets.UTF_8));
        f.write(".hidden", "hidden".getBytes(StandardCharsets.UTF_8));
        Anonymiser rejecting = (input, sink) -> new Outcome.Rejected("r", "rejected", Bucket.UNKNOWN);
        try (FileMover mover = FileMover.open(f.in(), f.out(), f.buckets(),
                MoveFixture.noWait().withSkipHidden(false), Steps.NONE, "a")) {
            for (Path file : mover.pending()) {
                mover.process(mover.claim(file).orElseThrow(), rejecting, () -> { });
            }
        }
        Path bucket = f.bucket(Bucket.UNKNOWN);
        assertEquals("dots", Files.readString(bucket.resolve("_...")));
        assertEquals("hidden", Files.readString(bucket.resolve("_.hidden")));
        assertTrue(Files.exists(bucket.resolve("_.hidden.reason.txt"), LinkOption.NOFOLLOW_LINKS));
    }
}
