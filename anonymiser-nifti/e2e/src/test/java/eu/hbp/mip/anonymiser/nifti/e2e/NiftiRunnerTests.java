package eu.hbp.mip.anonymiser.nifti.e2e;

import eu.hbp.mip.anonymiser.examples.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unchanged runner with the NIfTI jar on its class path: {@code init} writes the sample
 * profile into {@code scripts/nifti/}, {@code run} publishes an image and its sidecar into one
 * scan folder under {@code out/NIFTI/} and quarantines a broken image in {@code quarantine/nifti}
 * with its reason.
 */
class NiftiRunnerTests {

    private record Result(int exit, String out) {
    }

    private static Result run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        return new Result(cl.execute(args), out.toString());
    }

    private static List<String> files(Path root) throws IOException {
        List<String> result = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .filter(p -> !p.startsWith(".") && !p.contains("/.")).sorted().forEach(result::add);
        }
        return result;
    }

    /** A NIfTI-1 image, 4x3x2 16-bit, with PHI in descrip and a DICOM extension, gzip-compressed. */
    private static byte[] image(int cut) throws IOException {
        byte[] ext = "(0010,0010) PN Zyxwabc^Jane".getBytes(StandardCharsets.US_ASCII);
        int esize = (8 + ext.length + 15) / 16 * 16;
        int vox = 352 + esize;
        ByteBuffer b = ByteBuffer.allocate(vox + 48).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 348);
        short[] dim = {3, 4, 3, 2, 1, 1, 1, 1};
        for (int i = 0; i < 8; i++) {
            b.putShort(40 + 2 * i, dim[i]);
            b.putFloat(76 + 4 * i, 1f);
        }
        b.putShort(70, (short) 4).putShort(72, (short) 16).putFloat(108, vox).putFloat(112, 1f);
        b.put(148, "Jane Zyxwabc HOSP98765".getBytes(StandardCharsets.US_ASCII));
        b.put(344, new byte[] {'n', '+', '1', 0});
        b.put(348, (byte) 1);
        b.putInt(352, esize).putInt(356, 2).put(360, ext);
        for (int i = 0; i < 48; i++) {
            b.put(vox + i, (byte) (0x80 | i));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b.array(), 0, b.capacity() - cut);
        }
        return out.toByteArray();
    }

    @Test
    void initWritesTheSampleAndRunPublishesAScanAndQuarantinesABrokenImage(@TempDir Path tmp) throws IOException {
        Path data = tmp.resolve("site");
        Result init = run("init", "--data", data.toString());
        assertEquals(0, init.exit(), init.out());
        assertTrue(Files.isRegularFile(data.resolve("scripts/nifti/dcm2niix-bids.yaml")), init.out());

        Path in = data.resolve("in");
        Files.write(in.resolve("HOSP98765_5_t1_mprage.nii.gz"), image(0));
        Files.writeString(in.resolve("HOSP98765_5_t1_mprage.json"), """
                {"Modality": "MR", "PatientName": "Zyxwabc^Jane", "PatientID": "HOSP98765",
                 "InstitutionName": "Saint Phineas Hospital", "AcquisitionDateTime": "2024-05-17T10:11:12.345000",
                 "EchoTime": 0.00232}
                """);
        Files.write(in.resolve("HOSP98765_6_broken.nii.gz"), image(20));

        Result r = run("run", "--data", data.toString(), "--quiet-period", "0", "--progress", "none");
        assertEquals(1, r.exit(), "exit 1: one file quarantined. " + r.out());
        List<String> out = files(data.resolve("out"));
        assertEquals(2, out.size(), out.toString());
        String image = out.stream().filter(n -> n.endsWith(".nii.gz")).findFirst().orElseThrow();
        assertTrue(image.matches("NIFTI/\\d{4}/\\d{8}/([A-Z0-9]+)/\\1\\.nii\\.gz"), image);
        assertTrue(out.contains(image.replace(".nii.gz", ".json")), "the sidecar beside its image: " + out);
        for (String name : out) {
            byte[] bytes = Files.readAllBytes(data.resolve("out").resolve(name));
            if (name.endsWith(".gz")) {
                try (InputStream gz = new GZIPInputStream(Files.newInputStream(data.resolve("out").resolve(name)))) {
                    bytes = gz.readAllBytes();
                }
            }
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            for (String phi : List.of("Zyxwabc", "HOSP98765", "Phineas", "2024-05-17", "10:11:12")) {
                assertFalse(text.contains(phi), phi + " in " + name);
            }
        }

        assertEquals(List.of("HOSP98765_6_broken.nii.gz", "HOSP98765_6_broken.nii.gz.reason.txt"),
                files(data.resolve("quarantine/nifti")));
        String reason = Files.readString(data.resolve("quarantine/nifti/HOSP98765_6_broken.nii.gz.reason.txt"));
        assertTrue(reason.contains("nifti-malformed") && reason.contains("truncated"), reason);
        assertFalse(reason.contains("HOSP98765_6"), "the reason names no file or patient: " + reason);

        Result status = run("status", "--data", data.toString());
        assertTrue(status.out().contains("out/NIFTI/") && status.out().contains("nifti-malformed=1"), status.out());
    }
}
