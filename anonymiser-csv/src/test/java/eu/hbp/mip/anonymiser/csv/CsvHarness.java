package eu.hbp.mip.anonymiser.csv;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.OutputSink;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.core.pseudonym.PseudonymStores;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Test support: a profiles folder, a store (by default the real SQLite store in
 * {@code db/}), a fixed export date and fresh output folders. Close it to close the store.
 */
final class CsvHarness implements AutoCloseable {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
    static final String OUT_DIR = "EHR/2026/20261125/";

    final Path root;
    final Path profiles;
    final PseudonymStore store;
    private int runs;
    private Path lastSink;

    private final boolean ownsStore;

    CsvHarness(Path root, PseudonymStore store) {
        this(root, store, false);
    }

    /** A harness over the real SQLite pseudonym store in {@code root/db}. */
    CsvHarness(Path root) {
        this(root, PseudonymStores.open(root.resolve("db"), null, ""), true);
    }

    private CsvHarness(Path root, PseudonymStore store, boolean ownsStore) {
        this.ownsStore = ownsStore;
        this.root = root;
        this.profiles = root.resolve("scripts/csv");
        this.store = store;
        try {
            Files.createDirectories(profiles);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (ownsStore) {
            store.close();
        }
    }

    /** Writes the provider's sample profiles, as init does. */
    CsvHarness samples() {
        for (Map.Entry<String, String> e : new CsvAnonymiserProvider().sampleProfiles().entrySet()) {
            profile(e.getKey(), e.getValue());
        }
        return this;
    }

    CsvHarness profile(String fileName, String yaml) {
        try {
            Files.writeString(profiles.resolve(fileName), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    Anonymiser anonymiser() {
        return new CsvAnonymiserProvider().create(new AnonymiserContext(profiles, store, Map.of(), CLOCK));
    }

    Outcome run(Path input) {
        return run(anonymiser(), input);
    }

    Outcome run(Anonymiser anonymiser, Path input) {
        lastSink = root.resolve("out-" + (++runs));
        try {
            return anonymiser.anonymise(input, OutputSink.into(lastSink));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the text of the single output of the last run */
    String output(Outcome outcome) {
        Outcome.Anonymised a = anonymised(outcome);
        try {
            return Files.readString(lastSink.resolve(a.outputs().get(0)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Outcome.Anonymised anonymised(Outcome outcome) {
        if (outcome instanceof Outcome.Anonymised a) {
            return a;
        }
        Outcome.Rejected r = (Outcome.Rejected) outcome;
        throw new AssertionError("expected Anonymised, got " + r.code() + ": " + r.reason());
    }

    static Outcome.Rejected rejected(Outcome outcome) {
        if (outcome instanceof Outcome.Rejected r) {
            return r;
        }
        throw new AssertionError("expected Rejected, got " + outcome);
    }

    /** Writes an input file into the harness folder. */
    Path input(String name, String content, Charset charset) {
        try {
            Path in = root.resolve("in");
            Files.createDirectories(in);
            return Files.write(in.resolve(name), content.getBytes(charset));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path input(String name, String content) {
        return input(name, content, StandardCharsets.UTF_8);
    }

    static Path fixture(String name) {
        try {
            return Path.of(CsvHarness.class.getResource("/fixtures/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
