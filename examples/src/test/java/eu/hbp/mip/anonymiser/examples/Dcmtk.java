package eu.hbp.mip.anonymiser.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Makes DICOM test files with DCMTK, and checks them with dcmdump. */
final class Dcmtk {

    private Dcmtk() {
    }

    /** Runs a DCMTK tool; fails (never skips) with how to install it when it is missing. */
    static String run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(command[0] + " is missing: install DCMTK (apt-get install dcmtk), or run"
                    + " scripts/test.sh which installs it", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command[0] + " did not finish");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed with exit " + p.exitValue() + ":\n" + out);
        }
        return out;
    }

    /**
     * Writes an MR image with the given patient, image type and instance, in the
     * transfer syntax chosen by a dump2dcm option ({@code +te}, {@code +ti}, {@code +tb}, {@code +td}).
     */
    static Path mr(Path target, String patientId, String patientName, String imageType, int study, int instance,
                   String syntaxOption) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("dcm");
        Path pixels = work.resolve("pixels.raw");
        byte[] raw = new byte[32 * 32 * 2];
        for (int i = 0; i < raw.length; i += 2) {
            raw[i] = (byte) (i * 7 + instance);
        }
        Files.write(pixels, raw);
        String dump = String.join("\n", List.of(
                "(0002,0010) UI =LittleEndianExplicit",
                "(0008,0008) CS [" + imageType + "]",
                "(0008,0016) UI =MRImageStorage",
                "(0008,0018) UI [1.2.826.0.1.3680043.2.1125.77." + study + "." + instance + "]",
                "(0008,0020) DA [20240315]",
                "(0008,0060) CS [MR]",
                "(0008,0070) LO [SIEMENS]",
                "(0008,0080) LO [Hopital Cantonal]",
                "(0008,1090) LO [Prisma]",
                "(0010,0010) PN [" + patientName + "]",
                "(0010,0020) LO [" + patientId + "]",
                "(0010,0030) DA [19700101]",
                "(0020,000d) UI [1.2.826.0.1.3680043.2.1125.77." + study + "]",
                "(0020,000e) UI [1.2.826.0.1.3680043.2.1125.77." + study + ".1]",
                "(0020,0013) IS [" + instance + "]",
                "(0028,0002) US 1",
                "(0028,0004) CS [MONOCHROME2]",
                "(0028,0010) US 32",
                "(0028,0011) US 32",
                "(0028,0100) US 16",
                "(0028,0101) US 12",
                "(0028,0102) US 11",
                "(0028,0103) US 0",
                "(7fe0,0010) OW =" + pixels)) + "\n";
        Path dumpFile = work.resolve("dump.txt");
        Files.writeString(dumpFile, dump);
        Files.createDirectories(target.getParent());
        List<String> cmd = new ArrayList<>(List.of("dump2dcm", "-q"));
        if (syntaxOption != null) {
            cmd.add(syntaxOption);
        }
        cmd.add(dumpFile.toString());
        cmd.add(target.toString());
        run(cmd.toArray(String[]::new));
        return target;
    }
}
