package eu.hbp.mip.anonymiser.csv;

import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Constant memory of a consent withdrawal: a published table of {@code mip.csv.forget.mb}
 * megabytes (200 by default), written in the anonymiser's output dialect by the test, is
 * rewritten without one patient in a child JVM limited to {@code -Xmx32m}. The table is
 * deleted afterwards (the {@code @TempDir}).
 */
class SubjectRemovalMemoryTests {

    private static final int PATIENTS = 20_000;
    private static final String[] NOTES = {"", "RAS", "Consultation mémoire; revoir dans 6 mois",
        "Plainte mnésique, \"légère\"", "Bilan\r\nà compléter"};

    @TempDir
    Path tmp;

    @Test
    void removesASubjectFromATwoHundredMegabyteTableWith32MegabytesOfHeap() throws IOException, InterruptedException {
        long mb = Long.getLong("mip.csv.forget.mb", 200);
        Path output = tmp.resolve("visits.csv");
        String subject = pseudonym(4242);
        long[] removed = new long[2]; // records, bytes
        long size = write(output, mb << 20, 4242, removed);
        Path copy = tmp.resolve("visits.csv.rewrite");
        Path log = tmp.resolve("child.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long t0 = System.nanoTime();
        Process child = new ProcessBuilder(java, "-Xmx32m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                SubjectRemovalMemoryMain.class.getName(), output.toString(), subject, copy.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = child.waitFor(10, TimeUnit.MINUTES);
        long t1 = System.nanoTime();
        if (!done) {
            child.destroyForcibly();
        }
        List<String> said = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertTrue(done, "the child JVM did not finish in 10 minutes");
        assertEquals(0, child.exitValue(), "child JVM failed: " + said);
        assertTrue(said.get(0).startsWith("removed=" + removed[0] + " deleteFile=false"), said.toString());
        assertEquals(size - removed[1], Files.size(copy), "the copy is the table minus the subject's records");
        assertFalse(contains(copy, subject.getBytes(StandardCharsets.US_ASCII)), "the subject is still in the copy");
        System.out.printf("CSV forget memory test: %,d bytes, %,d records removed with -Xmx32m in %.1f s (%s)%n",
                size, removed[0], (t1 - t0) / 1e9, said.get(0));
    }

    private static String pseudonym(int patient) {
        return String.format("MIP%010dZ", patient);
    }

    /** Streams a table as the anonymiser prints it; counts the records and bytes of {@code subject}. */
    private static long write(Path file, long bytes, int subject, long[] removed) throws IOException {
        SplittableRandom random = new SplittableRandom(11);
        long written = 0;
        StringWriter record = new StringWriter(256);
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
            String header = "\"pid\",\"visit\",\"age\",\"note\"\r\n";
            w.write(header);
            written += header.length();
            CSVPrinter printer = new CSVPrinter(record, CsvAnonymiser.OUTPUT);
            while (written < bytes) {
                record.getBuffer().setLength(0);
                int p = random.nextInt(PATIENTS);
                printer.printRecord(pseudonym(p), "V" + random.nextLong(1L << 40),
                        random.nextInt(8) == 0 ? null : BigDecimal.valueOf(random.nextInt(20) * 5L),
                        NOTES[random.nextInt(NOTES.length)]);
                String r = record.toString();
                long n = r.getBytes(StandardCharsets.UTF_8).length;
                w.write(r);
                written += n;
                if (p == subject) {
                    removed[0]++;
                    removed[1] += n;
                }
            }
        }
        assertEquals(written, Files.size(file), "byte count of the generated table");
        return written;
    }

    private static boolean contains(Path file, byte[] needle) throws IOException {
        byte[] buf = new byte[1 << 16];
        int keep = needle.length - 1;
        try (InputStream in = Files.newInputStream(file)) {
            int have = 0;
            int r;
            while ((r = in.read(buf, have, buf.length - have)) > 0) {
                int end = have + r;
                for (int i = 0; i + needle.length <= end; i++) {
                    if (buf[i] == needle[0] && java.util.Arrays.equals(buf, i, i + needle.length, needle, 0, needle.length)) {
                        return true;
                    }
                }
                int tail = Math.min(keep, end);
                System.arraycopy(buf, end - tail, buf, 0, tail);
                have = tail;
            }
        }
        return false;
    }
}
