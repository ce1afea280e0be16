package eu.hbp.mip.anonymiser.csv;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.OutputSink;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.core.pseudonym.PseudonymStores;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Throughput of the CSV anonymiser beside a plain Commons CSV read-and-write copy of the
 * same file, in the same process: three pseudonymised columns and two date columns.
 * Not a test. Run with {@code scripts/bench-csv.sh [megabytes]} (default 200).
 */
final class CsvBenchmark {

    private static final int ROUNDS = 3;

    private CsvBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        long mb = args.length > 0 ? Long.parseLong(args[0]) : 200;
        Path dir = Files.createTempDirectory("csv-bench");
        try {
            Path profiles = Files.createDirectories(dir.resolve("scripts/csv"));
            Files.writeString(profiles.resolve("bench.yaml"), CsvTableGenerator.PROFILE);
            Path input = dir.resolve("visits.csv");
            // 20,000 patients and 30,000 visits (and accessions): the warm-up round records them all,
            // the measured rounds find them in the store's cache, as repeats in a site's exports do
            long rows = CsvTableGenerator.write(input, mb << 20, 20_000, 30_000, 42);
            long size = Files.size(input);
            try (PseudonymStore store = PseudonymStores.open(dir.resolve("db"), null, "")) {
                Anonymiser anonymiser = new CsvAnonymiserProvider().create(new AnonymiserContext(profiles, store,
                        Map.of(), CsvHarness.CLOCK));
                System.out.printf("input: %,d bytes, %,d rows; store: SQLite file (PseudonymStores, default cache)%n",
                        size, rows);
                double bestCopy = Double.MAX_VALUE;
                double bestAnon = Double.MAX_VALUE;
                for (int round = 0; round <= ROUNDS; round++) {
                    Path out = dir.resolve("out-" + round);
                    long t0 = System.nanoTime();
                    copy(input, dir.resolve("copy-" + round + ".csv"));
                    long t1 = System.nanoTime();
                    Outcome o = anonymiser.anonymise(input, OutputSink.into(out));
                    long t2 = System.nanoTime();
                    if (!(o instanceof Outcome.Anonymised a) || a.counts().get("rows") != rows) {
                        throw new IllegalStateException("benchmark run failed: " + o);
                    }
                    double copy = (t1 - t0) / 1e9;
                    double anon = (t2 - t1) / 1e9;
                    System.out.printf("round %d%s: copy %.2f s, anonymise %.2f s%n", round,
                            round == 0 ? " (warm-up: JIT, and 80,000 new pseudonyms written to SQLite)" : "", copy, anon);
                    if (round > 0) {
                        bestCopy = Math.min(bestCopy, copy);
                        bestAnon = Math.min(bestAnon, anon);
                    }
                    Files.delete(dir.resolve("copy-" + round + ".csv"));
                    delete(out);
                }
                double sizeMb = size / 1e6;
                System.out.printf("copy (Commons CSV read+write): %6.1f MB/s %,12.0f rows/s%n", sizeMb / bestCopy, rows / bestCopy);
                System.out.printf("anonymiser:                    %6.1f MB/s %,12.0f rows/s%n", sizeMb / bestAnon, rows / bestAnon);
                double ratio = bestCopy / bestAnon;
                System.out.printf("ratio anonymiser/copy: %.0f%% (floor 40%%): %s%n", ratio * 100, ratio >= 0.4 ? "OK" : "BELOW FLOOR");
            }
        } finally {
            delete(dir);
        }
    }

    /** The baseline: parse every record and print it again, quoted the same way as the anonymiser's output. */
    private static void copy(Path input, Path output) throws IOException {
        CSVFormat out = CSVFormat.RFC4180.builder().setQuoteMode(QuoteMode.NON_NUMERIC).setRecordSeparator("\r\n").get();
        try (Reader r = new BufferedReader(Files.newBufferedReader(input, StandardCharsets.UTF_8), 1 << 16);
             CSVParser parser = CSVFormat.DEFAULT.parse(r);
             Writer w = new BufferedWriter(Files.newBufferedWriter(output, StandardCharsets.UTF_8), 1 << 16);
             CSVPrinter printer = new CSVPrinter(w, out)) {
            for (CSVRecord rec : parser) {
                for (String v : rec) {
                    printer.print(v);
                }
                printer.println();
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
