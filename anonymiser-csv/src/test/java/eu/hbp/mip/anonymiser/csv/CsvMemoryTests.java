package eu.hbp.mip.anonymiser.csv;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Constant memory: a generated CSV of {@code mip.csv.memory.mb} megabytes (64 in CI; scripts/csv-memory.sh runs 1024)
 * is anonymised in a child JVM limited to {@code -Xmx64m}. The store in the child records
 * nothing, so what is measured is the anonymiser's own memory; subjects are bounded by
 * the 20,000 generated patients, every visit ID is distinct.
 */
class CsvMemoryTests {

    @TempDir
    Path tmp;

    @Test
    void anonymisesAGigabyteWith64MegabytesOfHeap() throws IOException, InterruptedException {
        long mb = Long.getLong("mip.csv.memory.mb", 64);
        Path profiles = Files.createDirectories(tmp.resolve("scripts/csv"));
        Files.writeString(profiles.resolve("visits.yaml"), CsvTableGenerator.PROFILE);
        Path input = tmp.resolve("visits.csv");
        long t0 = System.nanoTime();
        long rows = CsvTableGenerator.write(input, mb << 20, 20_000, 0, 7);
        long t1 = System.nanoTime();
        Path log = tmp.resolve("child.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                CsvMemoryMain.class.getName(), profiles.toString(), input.toString(), tmp.resolve("out").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = child.waitFor(10, TimeUnit.MINUTES);
        long t2 = System.nanoTime();
        if (!done) {
            child.destroyForcibly();
        }
        List<String> output = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertTrue(done, "the child JVM did not finish in 10 minutes");
        assertEquals(0, child.exitValue(), "child JVM failed: " + output);
        assertTrue(output.get(0).startsWith("rows=" + rows + " subjects="), output.toString());
        Path result = tmp.resolve("out").resolve(CsvHarness.OUT_DIR + "visits.csv");
        assertTrue(Files.size(result) > Files.size(input) / 2, "output is missing or truncated");
        System.out.printf("CSV memory test: %,d bytes, %,d rows generated in %.1f s, anonymised with -Xmx64m in %.1f s (%s)%n",
                Files.size(input), rows, (t1 - t0) / 1e9, (t2 - t1) / 1e9, output.get(0));
    }
}
