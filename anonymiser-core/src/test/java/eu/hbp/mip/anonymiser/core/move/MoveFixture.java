package eu.hbp.mip.anonymiser.core.move;

import eu.hbp.mip.anonymiser.api.Bucket;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/** A root with {@code in/}, {@code out/} and {@code quarantine/<bucket>/}, and ways to look at it. */
record MoveFixture(Path root, Path in, Path out, Path quarantine) {

    static MoveFixture under(Path root) throws IOException {
        MoveFixture fixture = new MoveFixture(root, root.resolve("in"), root.resolve("out"), root.resolve("quarantine"));
        Files.createDirectories(fixture.in);
        Files.createDirectories(fixture.out);
        for (Bucket bucket : java.util.List.of(Bucket.of("csv"), Bucket.of("dicom"), Bucket.of("pacs"), Bucket.UNKNOWN)) {
            Files.createDirectories(fixture.bucket(bucket));
        }
        return fixture;
    }

    static MoveFixture temporary() throws IOException {
        return under(Files.createTempDirectory("move-"));
    }

    Function<Bucket, Path> buckets() {
        return this::bucket;
    }

    Path bucket(Bucket bucket) {
        return quarantine.resolve(bucket.folder());
    }

    static MoverOptions noWait() {
        return MoverOptions.defaults().withQuietPeriod(Duration.ZERO);
    }

    FileMover open(String process) throws IOException {
        return open(Steps.NONE, process);
    }

    FileMover open(Steps steps, String process) throws IOException {
        return FileMover.open(in, out, buckets(), noWait(), steps, process);
    }

    Path write(String relative, byte[] bytes) throws IOException {
        Path file = in.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return file;
    }

    /** @return every non-folder entry under {@code dir} (links not followed), work folders excluded */
    static List<Path> files(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return files;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                return d.getFileName().toString().equals(FileMover.WORK_FOLDER)
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                files.add(file);
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }

    /** @return every non-folder entry in the mover's work folders (temp files, journals, claims, locks) */
    List<Path> workFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path work : List.of(in.resolve(FileMover.WORK_FOLDER), out.resolve(FileMover.WORK_FOLDER))) {
            if (Files.exists(work)) {
                Files.walkFileTree(work, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        files.add(file);
                        return FileVisitResult.CONTINUE;
                    }
                });
            }
        }
        for (Bucket bucket : java.util.List.of(Bucket.of("csv"), Bucket.of("dicom"), Bucket.of("pacs"), Bucket.UNKNOWN)) {
            try (var list = Files.list(bucket(bucket))) {
                list.filter(p -> p.getFileName().toString().startsWith(".")).forEach(files::add);
            }
        }
        return files;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void delete() throws IOException {
        Durable.deleteTree(root);
    }
}
