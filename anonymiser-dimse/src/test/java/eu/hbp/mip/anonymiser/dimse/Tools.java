package eu.hbp.mip.anonymiser.dimse;

import eu.hbp.mip.anonymiser.api.AnonymiserRegistry;
import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.pipeline.Pipeline;
import eu.hbp.mip.anonymiser.pipeline.Site;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** DCMTK at test time: files made with dump2dcm, the SCU tools, dcmdump; and a site with the real pipeline. */
public final class Tools {

    public static final String UID_ROOT = "1.2.826.0.1.3680043.9.8888";

    private Tools() {
    }

    public record Run(int exit, String output) {
    }

    /** Runs a tool (bounded: 60 s); fails the test with the way to install it when missing. */
    public static Run run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(command[0] + " is missing: install DCMTK (apt-get install dcmtk)", e);
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command[0] + " did not finish within 60 s");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    public static String ok(String... command) throws IOException, InterruptedException {
        Run r = run(command);
        if (r.exit() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed with exit " + r.exit() + ":\n" + r.output());
        }
        return r.output();
    }

    /**
     * An MR image of patient {@code n} in the transfer syntax of a dump2dcm option ({@code +te},
     * {@code +ti}, {@code +tb}, {@code +td}) or RLE lossless ({@code rle}, encapsulated, by dcmcrle); originals: {@code DIMSEPATIENT<n>}, {@code DIMSE-ID-<n>},
     * UIDs under {@value #UID_ROOT}, dates 20240315 and 19700623.
     */
    public static Path image(Path dir, int n, String syntax, boolean secondary) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path raw = dir.resolve("pixels" + n + ".raw");
        byte[] px = new byte[16 * 16 * 2];
        for (int i = 0; i < px.length; i += 2) {
            px[i] = (byte) (i + n);
        }
        Files.write(raw, px);
        String dump = String.join("\n",
                "(0008,0008) CS [" + (secondary ? "DERIVED\\SECONDARY" : "ORIGINAL\\PRIMARY") + "]",
                "(0008,0016) UI =MRImageStorage",
                "(0008,0018) UI [" + UID_ROOT + ".1." + n + "]",
                "(0008,0020) DA [20240315]",
                "(0008,0060) CS [MR]",
                "(0008,0070) LO [SIEMENS]",
                "(0008,1090) LO [Prisma]",
                "(0010,0010) PN [DIMSEPATIENT" + n + "^Gwendoline]",
                "(0010,0020) LO [DIMSE-ID-" + n + "]",
                "(0010,0030) DA [19700623]",
                "(0020,000d) UI [" + UID_ROOT + ".2." + n + "]",
                "(0020,000e) UI [" + UID_ROOT + ".3." + n + "]",
                "(0020,0013) IS [" + n + "]",
                "(0028,0002) US 1",
                "(0028,0004) CS [MONOCHROME2]",
                "(0028,0010) US 16",
                "(0028,0011) US 16",
                "(0028,0100) US 16",
                "(0028,0101) US 12",
                "(0028,0102) US 11",
                "(0028,0103) US 0",
                "(7fe0,0010) OW =" + raw) + "\n";
        Path d = dir.resolve("image" + n + ".dump");
        Files.writeString(d, dump);
        Path out = dir.resolve("image" + n + ".dcm");
        if (syntax.equals("rle")) {
            Path plain = dir.resolve("plain" + n + ".dcm");
            ok("dump2dcm", "-q", "+F", "+te", d.toString(), plain.toString());
            ok("dcmcrle", plain.toString(), out.toString());
            Files.delete(plain);
        } else {
            ok("dump2dcm", "-q", "+F", syntax, d.toString(), out.toString());
        }
        Files.delete(d);
        Files.delete(raw);
        return out;
    }

    /** The originals {@link #image} writes, which no output byte may hold. */
    public static List<String> originals(int n) {
        List<String> o = new ArrayList<>(List.of("20240315", "19700623", "Gwendoline", UID_ROOT));
        for (int i = 0; i < n; i++) {
            o.add("DIMSEPATIENT" + i);
            o.add("DIMSE-ID-" + i);
        }
        return o;
    }

    public static FolderLayout site(Path data) {
        FolderLayout layout = FolderLayout.standard(data);
        Site.initialise(layout, null, null).close();
        return layout;
    }

    public static Pipeline pipeline(Site site) throws IOException {
        return Pipeline.builder(site).registry(AnonymiserRegistry.discover()).threads(1).build();
    }

    /** @return every regular file under {@code root}, hidden ones too */
    public static List<Path> files(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> w = Files.walk(root)) {
            return w.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** @return the originals found in any file under {@code root} */
    public static List<String> leaks(Path root, List<String> originals) throws IOException {
        List<String> found = new ArrayList<>();
        for (Path f : files(root)) {
            String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            for (String o : originals) {
                if (text.contains(o)) {
                    found.add(root.relativize(f) + " holds an original value");
                }
            }
        }
        return found;
    }

    /** Waits (at most 30 s) for a condition the SCP's threads make true; fails the test otherwise. */
    public static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    public static List<Path> filesQuietly(Path root) {
        try {
            return files(root);
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
    }

    /** @return the bytes of a Part 10 file after its File Meta group */
    public static byte[] dataSet(Path part10) throws IOException {
        byte[] b = Files.readAllBytes(part10);
        int groupLength = java.nio.ByteBuffer.wrap(b, 140, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        return java.util.Arrays.copyOfRange(b, 144 + groupLength, b.length);
    }

    /** @return the transfer syntax UID a Part 10 file declares in (0002,0010) */
    public static String transferSyntax(Path part10) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(part10))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.position(132);
        while (b.remaining() >= 8) {
            int group = b.getShort() & 0xFFFF;
            int element = b.getShort() & 0xFFFF;
            String vr = new String(new byte[] {b.get(), b.get()}, StandardCharsets.US_ASCII);
            int length = vr.equals("OB") ? (b.getShort() == 0 ? b.getInt() : -1) : b.getShort() & 0xFFFF;
            if (group != 2 || length < 0) {
                break;
            }
            byte[] v = new byte[length];
            b.get(v);
            if (element == 0x0010) {
                return new String(v, StandardCharsets.US_ASCII).replace("\0", "").trim();
            }
        }
        throw new AssertionError(part10 + " declares no transfer syntax");
    }
}
