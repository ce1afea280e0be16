package eu.hbp.mip.anonymiser.core.move;

import eu.hbp.mip.anonymiser.api.Bucket;
import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.api.OutputSink;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/** TEMPORARY stand-in for the runner branch until the real crash-safe mover lands; replaced by the move branch. */
public final class FileMover {
    private final FolderLayout layout;
    private final Path claims;

    private FileMover(FolderLayout layout) throws IOException {
        this.layout = layout;
        this.claims = layout.in().resolveSibling(".claims");
        Files.createDirectories(claims);
    }

    public static FileMover open(FolderLayout layout) throws IOException {
        return new FileMover(layout);
    }

    public List<Path> pending() throws IOException {
        try (Stream<Path> w = Files.walk(layout.in())) {
            return w.filter(Files::isRegularFile).sorted().toList();
        }
    }

    public void recover() throws IOException {
        try (Stream<Path> w = Files.list(claims)) {
            for (Path d : w.toList()) {
                try (Stream<Path> f = Files.walk(d)) {
                    for (Path p : f.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                        if (p.getFileName().toString().equals("input")) {
                            Path back = layout.in().resolve(d.getFileName() + "-recovered");
                            Files.move(p, back);
                        } else {
                            Files.delete(p);
                        }
                    }
                }
            }
        }
    }

    public Optional<Claim> claim(Path file) throws IOException {
        Path dir = claims.resolve(UUID.randomUUID().toString());
        Files.createDirectories(dir);
        Path target = dir.resolve("input");
        try {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            Files.delete(dir);
            return Optional.empty();
        }
        return Optional.of(new Claim(layout, dir, target, layout.in().relativize(file).toString()));
    }

    /** A claimed input. */
    public static final class Claim {
        private final FolderLayout layout;
        private final Path dir;
        private final Path file;
        private final String name;
        private final List<String> outputs = new ArrayList<>();

        Claim(FolderLayout layout, Path dir, Path file, String name) throws IOException {
            this.layout = layout;
            this.dir = dir;
            this.file = file;
            this.name = name;
            Files.createDirectories(dir.resolve("out"));
        }

        public Path file() {
            return file;
        }

        public String relativeName() {
            return name;
        }

        public OutputSink sink() {
            return n -> {
                outputs.add(OutputSink.checkName(n));
                return OutputSink.into(dir.resolve("out")).create(n);
            };
        }

        public List<String> publish() throws IOException {
            List<String> published = new ArrayList<>();
            for (String o : outputs) {
                Path src = dir.resolve("out").resolve(o);
                try (FileChannel ch = FileChannel.open(src, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                Path dst = layout.out().resolve(o);
                Files.createDirectories(dst.getParent());
                Files.createLink(dst, src);
                published.add(o);
            }
            Files.delete(file);
            deleteTree(dir);
            return published;
        }

        public void quarantine(Bucket bucket, String code, String reason) throws IOException {
            Path q = layout.quarantine(bucket).resolve(name.replace('/', '_'));
            Files.createDirectories(q.getParent());
            Files.writeString(q.resolveSibling(q.getFileName() + ".reason.txt"),
                    "code: " + code + "\nreason: " + reason + "\n", StandardCharsets.UTF_8);
            Files.move(file, q, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(dir);
        }

        public void release() throws IOException {
            Path back = layout.in().resolve(name);
            Files.createDirectories(back.getParent());
            try {
                Files.move(file, back, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                throw e;
            }
            deleteTree(dir);
        }

        private static void deleteTree(Path d) throws IOException {
            try (Stream<Path> w = Files.walk(d)) {
                for (Path p : w.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
