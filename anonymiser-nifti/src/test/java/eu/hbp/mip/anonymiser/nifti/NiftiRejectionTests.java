package eu.hbp.mip.anonymiser.nifti;

import eu.hbp.mip.anonymiser.api.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Broken images are rejected with a reason that names the field or offset, never a value. */
class NiftiRejectionTests {

    private static Outcome.Rejected rejected(Outcome o, String code, String... words) {
        Outcome.Rejected r = assertInstanceOf(Outcome.Rejected.class, o, o.toString());
        assertEquals(code, r.code(), r.reason());
        assertEquals("nifti", r.bucket().folder());
        for (String w : words) {
            assertTrue(r.reason().contains(w), "'" + w + "' in: " + r.reason());
        }
        for (String phi : NiftiImageTests.PHI) {
            assertFalse(r.reason().contains(phi), r.reason());
        }
        return r;
    }

    @Test
    void rejectsATruncatedImage(@TempDir Path tmp) throws IOException {
        try (NiftiHarness h = new NiftiHarness(tmp).sample()) {
            byte[] whole = new NiftiWriter().bytes();
            rejected(h.run("HOSP98765_a.nii", Arrays.copyOf(whole, whole.length - 5)), "nifti-malformed",
                    "truncated", "dim and bitpix");
            rejected(h.run("HOSP98765_b.nii.gz", NiftiWriter.gzip(Arrays.copyOf(whole, whole.length - 5))),
                    "nifti-malformed", "truncated");
            byte[] gz = new NiftiWriter().gzipped();
            rejected(h.run("HOSP98765_c.nii.gz", Arrays.copyOf(gz, gz.length / 2)), "nifti-malformed", "truncated");
            rejected(h.run("HOSP98765_d.nii", Arrays.copyOf(whole, 200)), "nifti-malformed", "header");
        }
    }

    @Test
    void rejectsAHeaderSizeThatIsNot348Or540(@TempDir Path tmp) throws IOException {
        try (NiftiHarness h = new NiftiHarness(tmp).sample()) {
            byte[] b = new NiftiWriter().bytes();
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 349);
            rejected(h.run("HOSP98765_a.nii", b), "nifti-malformed", "sizeof_hdr", "348", "540");
        }
    }

    @Test
    void rejectsAVoxOffsetPastTheEnd(@TempDir Path tmp) throws IOException {
        try (NiftiHarness h = new NiftiHarness(tmp).sample()) {
            byte[] b = new NiftiWriter().bytes();
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putFloat(108, 1_000_000f);
            rejected(h.run("HOSP98765_a.nii", b), "nifti-malformed", "vox_offset", "past the end");
            rejected(h.run("HOSP98765_b.nii.gz", NiftiWriter.gzip(b)), "nifti-malformed", "vox_offset", "past the end");
            byte[] v2 = new NiftiWriter().version(2).order(ByteOrder.BIG_ENDIAN).bytes();
            ByteBuffer.wrap(v2).putLong(168, 100);
            rejected(h.run("HOSP98765_c.nii", v2), "nifti-malformed", "vox_offset", "544");
        }
    }

    @Test
    void rejectsAnExtensionThatRunsPastVoxOffset(@TempDir Path tmp) throws IOException {
        try (NiftiHarness h = new NiftiHarness(tmp).sample()) {
            byte[] b = new NiftiWriter().phiExtensions().bytes();
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(352, 4096);
            rejected(h.run("HOSP98765_a.nii", b), "nifti-malformed", "extension at byte 352", "esize");
        }
    }

    @Test
    void boundsAGzipBombByTheHeadersDimsAndTheHardCap(@TempDir Path tmp) throws IOException {
        try (NiftiHarness h = new NiftiHarness(tmp).sample()) {
            // 64 MiB of zeros after a 48-byte image: only the 48 bytes are inflated and copied.
            NiftiWriter w = new NiftiWriter();
            ByteArrayOutputStream bomb = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bomb)) {
                gz.write(w.bytes());
                byte[] zeros = new byte[1 << 20];
                for (int i = 0; i < 64; i++) {
                    gz.write(zeros);
                }
            }
            Outcome.Anonymised a = assertInstanceOf(Outcome.Anonymised.class, h.run("HOSP98765_a.nii.gz",
                    bomb.toByteArray()));
            assertEquals(1L, a.counts().get("trailing-bytes-removed"));
            assertEquals(352 + 48, NiftiHarness.plain(h.lastOut.resolve(a.outputs().get(0))).length);
            // dims that claim more than the hard cap are refused before anything is inflated
            byte[] big = new NiftiWriter().dims(30000, 30000, 30000).bitpix(64, 64).header();
            rejected(h.run("HOSP98765_b.nii.gz", NiftiWriter.gzip(big)), "nifti-malformed",
                    "nifti.max-image-bytes");
            rejected(h.run("HOSP98765_c.nii", w.bytes(), Map.of(NiftiAnonymiserProvider.MAX_IMAGE_BYTES, "47")),
                    "nifti-malformed", "bound of 47 bytes");
        }
    }

    @Test
    void rejectsAnImageWhoseNameGivesNoPatient(@TempDir Path tmp) throws IOException {
        try (NiftiHarness h = new NiftiHarness(tmp).sample()) {
            rejected(h.run("nopatient.nii", new NiftiWriter().bytes()), "nifti-no-patient", "file-name pattern");
        }
    }

    @Test
    void rejectsAnalyzeHeadersAndBrokenDims(@TempDir Path tmp) throws IOException {
        try (NiftiHarness h = new NiftiHarness(tmp).sample()) {
            byte[] b = new NiftiWriter().bytes();
            b[344] = 0;
            rejected(h.run("HOSP98765_a.nii", b), "nifti-malformed", "magic at byte 344");
            byte[] d = new NiftiWriter().bytes();
            ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN).putShort(42, (short) -3);
            rejected(h.run("HOSP98765_b.nii", d), "nifti-malformed", "dim[1] at byte 42");
            rejected(h.run("HOSP98765_c.nii.gz", new byte[] {0x1f, (byte) 0x8b, 1, 2, 3}), "nifti-malformed", "gzip");
        }
    }
}
