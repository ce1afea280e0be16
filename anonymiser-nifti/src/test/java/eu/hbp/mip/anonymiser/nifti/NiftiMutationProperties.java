package eu.hbp.mip.anonymiser.nifti;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.FormatException;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.OutputSink;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Any byte sequence, mutated from a valid image or sidecar, is anonymised or rejected: never an
 * exception other than {@link FormatException}, never more output than the header, its
 * extensions and the data that dim and bitpix describe, and never an original value.
 */
class NiftiMutationProperties {

    /** The bound handed to the anonymiser: a mutated dim may ask for more, never get it. */
    private static final long MAX_IMAGE = 1 << 20;

    private static Path root;
    private static NiftiHarness harness;
    private static Anonymiser anonymiser;

    @BeforeContainer
    static void open() throws IOException {
        root = Files.createTempDirectory("nifti-props");
        harness = new NiftiHarness(root).sample();
        anonymiser = harness.anonymiser(Map.of(NiftiAnonymiserProvider.MAX_IMAGE_BYTES, String.valueOf(MAX_IMAGE)));
    }

    @AfterContainer
    static void close() throws IOException {
        harness.close();
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A mutation: set {@code count} bytes from {@code at} to {@code value}, then cut the file to {@code keep}. */
    record Mutation(int seed, int at, int count, byte value, double keep) {
        byte[] apply(byte[] original) {
            byte[] b = original.clone();
            int start = Math.floorMod(at, b.length);
            for (int i = 0; i < count && start + i < b.length; i++) {
                b[start + i] = (byte) (value + i * seed);
            }
            return keep >= 1 ? b : Arrays.copyOf(b, (int) (b.length * keep));
        }
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        return Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(0, 600),
                Arbitraries.integers().between(1, 12), Arbitraries.bytes(),
                Arbitraries.oneOf(Arbitraries.just(1.0), Arbitraries.doubles().between(0, 1)))
                .as(Mutation::new);
    }

    @Provide
    Arbitrary<byte[]> originals() {
        return Arbitraries.of(List.of(
                new NiftiWriter().phiExtensions().bytes(),
                new NiftiWriter().version(2).order(ByteOrder.BIG_ENDIAN).phiExtensions().bytes(),
                new NiftiWriter().version(2).phiExtensions().pair().bytes(),
                new NiftiWriter().order(ByteOrder.BIG_ENDIAN).dims(5, 4, 3, 2).bitpix(32, 16).bytes()));
    }

    @Property(tries = 300)
    void aMutatedImageIsAnonymisedOrRejected(@ForAll("originals") byte[] original, @ForAll("mutations") Mutation m,
                                             @ForAll boolean gzip) throws IOException {
        byte[] plain = m.apply(original);
        byte[] input = gzip ? NiftiWriter.gzip(plain) : plain;
        check(gzip ? "HOSP98765_scan.nii.gz" : "HOSP98765_scan.nii", input, NiftiImageTests.PHI);
    }

    @Property(tries = 150)
    void aMutatedGzipStreamIsAnonymisedOrRejected(@ForAll("originals") byte[] original,
                                                  @ForAll("mutations") Mutation m) throws IOException {
        check("HOSP98765_scan.nii.gz", m.apply(NiftiWriter.gzip(original)), List.of());
    }

    @Property(tries = 200)
    void aMutatedSidecarIsAnonymisedOrRejected(@ForAll("mutations") Mutation m) throws IOException {
        check("HOSP98765_scan.json", m.apply(SidecarTests.SIDECAR.getBytes()), List.of("Phineas", "SN4471923"));
    }

    private static void check(String name, byte[] input, List<String> phi) throws IOException {
        Path dir = Files.createTempDirectory(root, "case");
        Path file = dir.resolve(name);
        Files.write(file, input);
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        Outcome o;
        try {
            o = anonymiser.anonymise(file, OutputSink.into(out));
        } catch (FormatException e) {
            o = null; // the pipeline quarantines it as nifti-malformed
        }
        if (o instanceof Outcome.Anonymised) {
            long total = 0;
            for (String rel : NiftiHarness.files(out)) {
                total += NiftiHarness.plain(out.resolve(rel)).length;
            }
            assertTrue(total <= input.length + (long) NiftiAnonymiser.MAX_HEADER_REGION + MAX_IMAGE,
                    "bounded output: " + total);
            NiftiHarness.assertNoneOf(out, phi);
        } else if (o instanceof Outcome.Rejected r) {
            assertTrue(r.code().startsWith("nifti-") && !r.reason().isBlank(), r.toString());
            for (String v : NiftiImageTests.PHI) {
                assertTrue(!r.reason().contains(v), r.reason());
            }
        }
    }
}
