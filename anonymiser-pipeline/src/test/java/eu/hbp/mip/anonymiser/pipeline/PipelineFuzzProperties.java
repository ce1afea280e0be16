package eu.hbp.mip.anonymiser.pipeline;

import eu.hbp.mip.anonymiser.api.FolderLayout;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Any byte sequence that reaches the pipeline, with pixel blanking switched on, ends as an
 * output or in quarantine, never as a machine failure that gives it back and stops the run:
 * mutations (flipped bytes, cuts, inserted bytes) of a real DICOM file made by DCMTK, whose
 * device a pixel rule matches, so that blanking runs on every file the reader accepts.
 */
class PipelineFuzzProperties {

    private static Path root;
    private static byte[] seed;

    @BeforeContainer
    static void makeSeed() throws Exception {
        root = Files.createTempDirectory("pipeline-fuzz");
        Path raw = root.resolve("pixels.raw");
        byte[] pixels = new byte[16 * 16 * 2];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) i;
        }
        Files.write(raw, pixels);
        Path dump = root.resolve("seed.txt");
        Files.writeString(dump, String.join("\n", List.of(
                "(0002,0010) UI =LittleEndianExplicit",
                "(0008,0008) CS [ORIGINAL\\PRIMARY]",
                "(0008,0016) UI =MRImageStorage",
                "(0008,0018) UI [1.2.826.0.1.3680043.2.1125.99.1.1]",
                "(0008,0020) DA [20240315]",
                "(0008,0060) CS [MR]",
                "(0008,0070) LO [FUZZVENDOR]",
                "(0010,0010) PN [Fuzz^Patient]",
                "(0010,0020) LO [FUZZ-0001]",
                "(0020,000d) UI [1.2.826.0.1.3680043.2.1125.99.1]",
                "(0020,000e) UI [1.2.826.0.1.3680043.2.1125.99.1.2]",
                "(0028,0002) US 1",
                "(0028,0004) CS [MONOCHROME2]",
                "(0028,0010) US 16",
                "(0028,0011) US 16",
                "(0028,0100) US 16",
                "(0028,0101) US 12",
                "(0028,0102) US 11",
                "(0028,0103) US 0",
                "(7fe0,0010) OW =" + raw)) + "\n");
        Path dcm = root.resolve("seed.dcm");
        Process p;
        try {
            p = new ProcessBuilder("dump2dcm", "-q", dump.toString(), dcm.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("DCMTK's dump2dcm is needed: apt-get install dcmtk", e);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0,
                new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        seed = Files.readAllBytes(dcm);

        FolderLayout layout = FolderLayout.standard(root.resolve("site"));
        Site.initialise(layout, null, null).close();
        Path scripts = Files.createDirectories(layout.profiles("dicom"));
        String profile = eu.hbp.mip.anonymiser.api.AnonymiserRegistry.discover().provider("dicom").orElseThrow()
                .sampleProfiles().get("mip-default.yaml");
        assertTrue(profile.contains("pixel:\n  blank: false"), "the shipped profile's pixel section changed");
        Files.writeString(scripts.resolve("mip-default.yaml"),
                profile.replace("pixel:\n  blank: false", "pixel:\n  blank: true\n  rules: [fuzz.yaml]"));
        Files.writeString(scripts.resolve("fuzz.yaml"), "rules:\n  - name: fuzz-scanner\n"
                + "    manufacturer: \".*\"\n    rectangles: [{x: 0, y: 0, width: 8, height: 4}]\n");
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Provide
    Arbitrary<byte[]> mutants() {
        Arbitrary<Integer> position = Arbitraries.integers().between(0, seed.length - 1);
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 3);
        Arbitrary<Byte> value = Arbitraries.bytes();
        return Combinators.combine(kind, position, value, Arbitraries.integers().between(1, 8)).as((k, at, v, n) -> {
            byte[] b = seed.clone();
            switch (k) {
                case 0 -> {
                    for (int i = 0; i < n && at + i < b.length; i++) {
                        b[at + i] ^= (byte) (v | 1);
                    }
                }
                case 1 -> b = java.util.Arrays.copyOf(b, Math.max(1, at));
                case 2 -> {
                    byte[] c = new byte[b.length + n];
                    System.arraycopy(b, 0, c, 0, at);
                    java.util.Arrays.fill(c, at, at + n, v);
                    System.arraycopy(b, at, c, at + n, b.length - at);
                    b = c;
                }
                default -> {
                    // a length or a Rows/Columns value set to something large
                    if (at + 1 < b.length) {
                        b[at] = (byte) 0xff;
                        b[at + 1] = v;
                    }
                }
            }
            return b;
        });
    }

    @Property(tries = 80)
    void everyMutantIsAnonymisedOrQuarantinedNeverGivenBack(@ForAll("mutants") byte[] bytes) throws IOException {
        FolderLayout layout = FolderLayout.standard(root.resolve("site"));
        Files.write(layout.in().resolve("mutant.dcm"), bytes);
        RunSummary summary;
        try (Site site = Site.open(layout, null, null);
             Pipeline pipeline = Pipeline.builder(site).threads(1).quietPeriod(java.time.Duration.ZERO).build()) {
            summary = pipeline.runOnce();
        }
        assertEquals(0, summary.failed(), "a mutant was taken for a machine failure");
        assertEquals(1, summary.files(), summary.describe());
        assertEquals(0, SiteStatus.count(layout.in()).files(), "the mutant is still in in/");
    }
}
