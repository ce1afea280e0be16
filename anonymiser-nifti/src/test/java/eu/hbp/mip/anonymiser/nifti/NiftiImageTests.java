package eu.hbp.mip.anonymiser.nifti;

import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Images made by {@link NiftiWriter}: every version, byte order and compression, pairs, extensions. */
class NiftiImageTests {

    static final List<String> PHI = List.of("Zyxwabc", "HOSP98765", "1961-02-03", "PhiIntent77", "DbNameSecret",
            "Qrstuv", "Phineas", "AnaSecret", "UnusedSecret");

    static Stream<Arguments> variants() {
        return Stream.of(1, 2).flatMap(v -> Stream.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)
                .flatMap(o -> Stream.of(false, true).map(gz -> Arguments.of(v, o, gz))));
    }

    @ParameterizedTest(name = "NIfTI-{0} {1} gzip={2}")
    @MethodSource("variants")
    void clearsTextFieldsRemovesExtensionsAndCopiesTheImageData(int version, ByteOrder order, boolean gzip,
                                                                @TempDir Path tmp) throws Exception {
        try (NiftiHarness h = new NiftiHarness(tmp).sample()) {
            NiftiWriter w = new NiftiWriter().version(version).order(order).phiExtensions().padding(32);
            Outcome o = h.run("HOSP98765_t1w" + (gzip ? ".nii.gz" : ".nii"), gzip ? w.gzipped() : w.bytes());
            Outcome.Anonymised a = assertInstanceOf(Outcome.Anonymised.class, o, o.toString());
            assertEquals(1, a.outputs().size());
            String name = a.outputs().get(0);
            assertTrue(name.startsWith(NiftiHarness.DAY_DIR) && name.endsWith(gzip ? ".nii.gz" : ".nii"), name);
            String[] parts = name.split("/");
            assertEquals(parts[3], parts[4].substring(0, parts[4].indexOf('.')), "<scan>/<scan>.nii: " + name);
            assertEquals(3L, a.counts().get("extension-remove"));
            assertEquals(java.util.Set.of(h.store.pseudonym(PseudonymStore.PATIENT, "HOSP98765")), a.subjects());

            Path out = h.lastOut.resolve(name);
            byte[] plain = NiftiHarness.plain(out);
            int size = version == 1 ? 348 : 540;
            ByteBuffer b = ByteBuffer.wrap(plain).order(order);
            assertEquals(size, b.getInt(0));
            long vox = version == 1 ? (long) b.getFloat(108) : b.getLong(168);
            assertEquals(size + 4, vox, "vox_offset rewritten after the removed extensions");
            assertEquals(0, plain[size], "the extension flag is cleared");
            assertArrayEquals(w.data(), Arrays.copyOfRange(plain, (int) vox, plain.length), "image data identical");
            assertEquals(gzip, (Files.readAllBytes(out)[0] & 0xFF) == 0x1F, "gzip stays gzip");
            NiftiHarness.assertNoneOf(h.lastOut, PHI);
            String loaded = NiftiHarness.nibabel(out);
            assertTrue(loaded.startsWith("Nifti" + version + "Image (4, 3, 2)"), loaded);
        }
    }

    @Test
    void keepsTheExtensionsTheProfileListsAndSetsTextFields(@TempDir Path tmp) throws Exception {
        try (NiftiHarness h = new NiftiHarness(tmp)) {
            h.profile("p.yaml", """
                    name: keep-comment
                    subject: {file-name: 'regex:(?<patient>[A-Z0-9]+)_(?<visit>v[0-9]+)_.*'}
                    header:
                      descrip: {set: MIP anonymised}
                      intent_name: keep
                    extensions: {keep: [6]}
                    """);
            NiftiWriter w = new NiftiWriter().extension(2, NiftiWriter.DICOM_EXT).extension(6, "research note 12345");
            Outcome.Anonymised a = assertInstanceOf(Outcome.Anonymised.class,
                    h.run("HOSP98765_v1_t1.nii", w.bytes()));
            byte[] out = Files.readAllBytes(h.lastOut.resolve(a.outputs().get(0)));
            String text = new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue(text.startsWith("MIP anonymised", 148) && text.contains("research note 12345")
                    && text.contains(NiftiWriter.INTENT), "set, kept extension, kept field");
            ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(1, out[348], "extension flag set");
            assertEquals(32, b.getInt(352), "esize of the kept extension");
            assertEquals(6, b.getInt(356));
            assertEquals(352 + 32, (long) b.getFloat(108));
            assertArrayEquals(w.data(), Arrays.copyOfRange(out, 384, out.length));
            NiftiHarness.assertNoneOf(h.lastOut, List.of("Zyxwabc", "HOSP98765", "DbNameSecret"));
            assertTrue(NiftiHarness.nibabel(h.lastOut.resolve(a.outputs().get(0))).endsWith(" 1"),
                    "nibabel sees the one kept extension");
        }
    }

    @Test
    void aPairHeaderAndItsImageDataLandInOneScanFolder(@TempDir Path tmp) throws Exception {
        try (NiftiHarness h = new NiftiHarness(tmp).sample()) {
            NiftiWriter w = new NiftiWriter().pair().phiExtensions();
            Outcome.Anonymised hdr = assertInstanceOf(Outcome.Anonymised.class, h.run("HOSP98765_t2.hdr", w.bytes()));
            Path outHdr = h.lastOut;
            Outcome.Anonymised img = assertInstanceOf(Outcome.Anonymised.class, h.run("HOSP98765_t2.img", w.data()));
            String hdrName = hdr.outputs().get(0);
            String imgName = img.outputs().get(0);
            assertTrue(hdrName.endsWith(".hdr") && imgName.endsWith(".img"), hdrName + " " + imgName);
            assertEquals(hdrName.replace(".hdr", ""), imgName.replace(".img", ""), "one scan, one name");
            Path folder = tmp.resolve("pair");
            Files.createDirectories(folder);
            Files.copy(outHdr.resolve(hdrName), folder.resolve("scan.hdr"));
            Files.copy(h.lastOut.resolve(imgName), folder.resolve("scan.img"));
            assertArrayEquals(w.data(), Files.readAllBytes(folder.resolve("scan.img")));
            NiftiHarness.assertNoneOf(outHdr, PHI);
            String loaded = NiftiHarness.nibabel(folder.resolve("scan.hdr"));
            assertTrue(loaded.startsWith("Nifti1Pair (4, 3, 2)"), loaded);
        }
    }

    @Test
    void dropsBytesAfterTheImageData(@TempDir Path tmp) throws Exception {
        try (NiftiHarness h = new NiftiHarness(tmp).sample()) {
            NiftiWriter w = new NiftiWriter().trailing("trailer HOSP98765".getBytes());
            Outcome.Anonymised a = assertInstanceOf(Outcome.Anonymised.class, h.run("HOSP98765_x.nii.gz", w.gzipped()));
            assertEquals(1L, a.counts().get("trailing-bytes-removed"));
            NiftiHarness.assertNoneOf(h.lastOut, PHI);
        }
    }
}
