package eu.hbp.mip.anonymiser.nifti;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.OutputSink;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.core.pseudonym.PseudonymStores;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Test support: a profiles folder (by default the shipped sample profile), the real SQLite
 * pseudonym store in {@code db/}, a fixed export date and fresh output folders. Close it to
 * close the store.
 */
final class NiftiHarness implements AutoCloseable {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
    static final String DAY_DIR = "NIFTI/2026/20261125/";

    final Path root;
    final Path profiles;
    final PseudonymStore store;
    private int runs;
    Path lastOut;

    NiftiHarness(Path root) {
        this.root = root;
        this.profiles = root.resolve("scripts/nifti");
        this.store = PseudonymStores.open(root.resolve("db"), null, "");
        try {
            Files.createDirectories(profiles);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the shipped sample profile. */
    NiftiHarness sample() {
        new NiftiAnonymiserProvider().sampleProfiles().forEach(this::profile);
        return this;
    }

    NiftiHarness profile(String name, String yaml) {
        try {
            Files.writeString(profiles.resolve(name), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    Anonymiser anonymiser(Map<String, String> options) {
        return new NiftiAnonymiserProvider().create(new AnonymiserContext(profiles, store, options, CLOCK));
    }

    /** Writes {@code bytes} as {@code in/<name>} and anonymises it into a fresh output folder. */
    Outcome run(String name, byte[] bytes) throws IOException {
        return run(name, bytes, Map.of());
    }

    Outcome run(String name, byte[] bytes, Map<String, String> options) throws IOException {
        Path in = root.resolve("in" + (++runs));
        Files.createDirectories(in);
        Path file = in.resolve(name);
        Files.write(file, bytes);
        lastOut = root.resolve("out" + runs);
        Files.createDirectories(lastOut);
        return anonymiser(options).anonymise(file, OutputSink.into(lastOut));
    }

    /** @return the output's bytes, inflated when it is gzip */
    static byte[] plain(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        if (b.length > 2 && (b[0] & 0xFF) == 0x1F && (b[1] & 0xFF) == 0x8B) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                return in.readAllBytes();
            }
        }
        return b;
    }

    /** @return every file under a folder, relative, sorted */
    static List<String> files(Path folder) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.filter(Files::isRegularFile).map(p -> folder.relativize(p).toString()).sorted().forEach(out::add);
        }
        return out;
    }

    /** Fails if any of {@code values} occurs in any byte of any file under {@code folder} (gzip inflated). */
    static void assertNoneOf(Path folder, List<String> values) throws IOException {
        for (String rel : files(folder)) {
            String text = new String(plain(folder.resolve(rel)), StandardCharsets.ISO_8859_1);
            for (String v : values) {
                assertFalse(text.contains(v), "an original value is in output " + rel + ": " + v);
            }
        }
    }

    /** Runs a command, returning its exit code and output. */
    static Map.Entry<Integer, String> exec(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        return Map.entry(p.waitFor(), out.toString(StandardCharsets.UTF_8));
    }

    /** The tool must be installed: tests that need it fail, never skip, with the line that installs it. */
    static String tool(String path, String debianPackage) {
        if (!Files.isExecutable(Path.of(path))) {
            throw new AssertionError(path + " is missing: apt-get install -y " + debianPackage);
        }
        return path;
    }

    /** Loads a file with nibabel (python3-nibabel); returns its output, failing with the install line if absent. */
    static String nibabel(Path file) throws IOException, InterruptedException {
        String python = tool("/usr/bin/python3", "python3");
        Map.Entry<Integer, String> probe = exec(file.getParent(), python, "-c", "import nibabel");
        if (probe.getKey() != 0) {
            throw new AssertionError("nibabel is missing: apt-get install -y python3-nibabel");
        }
        Map.Entry<Integer, String> r = exec(file.getParent(), python, "-c",
                "import sys, nibabel, numpy; i = nibabel.load(sys.argv[1]); d = numpy.asanyarray(i.dataobj);"
                        + " print(type(i).__name__, d.shape, d.dtype, len(i.header.extensions)"
                        + " if hasattr(i.header, 'extensions') else 0)", file.toString());
        if (r.getKey() != 0) {
            throw new AssertionError("nibabel cannot read " + file.getFileName() + ": " + r.getValue());
        }
        return r.getValue().strip();
    }

    @Override
    public void close() {
        store.close();
    }
}
