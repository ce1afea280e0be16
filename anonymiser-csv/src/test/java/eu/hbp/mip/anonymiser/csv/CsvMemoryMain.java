package eu.hbp.mip.anonymiser.csv;

import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.OutputSink;

import java.nio.file.Path;
import java.util.Map;

/**
 * Child-JVM entry of {@link CsvMemoryTests}: anonymises one file with whatever heap the
 * parent gave it and prints {@code rows=<n> subjects=<n>} on success. Not a test.
 */
final class CsvMemoryMain {

    private CsvMemoryMain() {
    }

    public static void main(String[] args) throws Exception {
        Path profiles = Path.of(args[0]);
        Path input = Path.of(args[1]);
        Path out = Path.of(args[2]);
        try (KeyedMemoryStore store = KeyedMemoryStore.unrecorded()) {
            Outcome o = new CsvAnonymiserProvider().create(new AnonymiserContext(profiles, store, Map.of(), CsvHarness.CLOCK))
                    .anonymise(input, OutputSink.into(out));
            if (o instanceof Outcome.Anonymised a) {
                System.out.println("rows=" + a.counts().get("rows") + " subjects=" + a.subjects().size()
                        + " maxHeapMB=" + Runtime.getRuntime().maxMemory() / (1 << 20));
            } else {
                System.out.println("rejected: " + o);
                System.exit(2);
            }
        }
    }
}
