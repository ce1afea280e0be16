package eu.hbp.mip.anonymiser.core.pseudonym;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The store and the pure generator agree, and two stores sharing a key (one on
 * SQLite, one on PostgreSQL, each with its own db folder holding a copy of the
 * key) give the same pseudonyms.
 */
class StoreGeneratorProperties {

    private Path root;
    private JdbiPseudonymStore sqlite;
    private JdbiPseudonymStore postgres;
    private KeyedPseudonyms keyed;
    private String pgUrl;

    @BeforeProperty
    void open() throws IOException {
        root = Files.createTempDirectory("mip-store-props");
        Path first = root.resolve("db1");
        Path second = Files.createDirectories(root.resolve("db2"));
        sqlite = PseudonymStores.open(first, null, "");
        Files.copy(first.resolve(SiteKey.FILE_NAME), second.resolve(SiteKey.FILE_NAME),
                StandardCopyOption.COPY_ATTRIBUTES);
        pgUrl = TestPostgres.freshSchemaUrl();
        postgres = PseudonymStores.open(second, pgUrl, "");
        keyed = new KeyedPseudonyms(SiteKey.loadOrCreate(second), "");
    }

    @AfterProperty
    void close() throws IOException {
        sqlite.close();
        postgres.close();
        TestPostgres.dropSchema(pgUrl);
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Provide
    Arbitrary<String> domains() {
        return Arbitraries.of("patient", "visit", "accession", "study_id", "x-1");
    }

    @Provide
    Arbitrary<List<String>> valueLists() {
        return Arbitraries.strings().all().ofMaxLength(30)
                .filter(KeyedPseudonymsProperties::wellFormed)
                .filter(s -> s.indexOf('\0') < 0)
                .list().ofMaxSize(40).injectDuplicates(0.2);
    }

    @Property(tries = 60)
    void storesAndGeneratorAgree(@ForAll("domains") String domain, @ForAll("valueLists") List<String> values) {
        Map<String, String> fromBatch = sqlite.pseudonyms(domain, values);
        for (String v : values) {
            String expected = keyed.pseudonym(domain, v);
            assertEquals(expected, sqlite.pseudonym(domain, v));
            assertEquals(expected, postgres.pseudonym(domain, v));
            assertEquals(expected, fromBatch.get(v));
        }
        sqlite.flush();
        postgres.flush();
        for (String v : values) {
            String p = keyed.pseudonym(domain, v);
            assertEquals(Optional.of(v), sqlite.reidentify(domain, p));
            assertEquals(Optional.of(v), postgres.reidentify(domain, p));
            assertEquals(Optional.of(p), postgres.lookup(domain, v));
        }
    }
}
