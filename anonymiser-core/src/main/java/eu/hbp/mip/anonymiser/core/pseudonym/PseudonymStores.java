package eu.hbp.mip.anonymiser.core.pseudonym;

import eu.hbp.mip.anonymiser.api.Mapping;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import org.jdbi.v3.core.Jdbi;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** TEMPORARY stand-in for the runner branch until the real Jdbi store lands; replaced by the pseudonyms branch. */
public final class PseudonymStores {
    private PseudonymStores() {
    }

    public static PseudonymStore open(Path db, String jdbcUrl, String prefix) {
        KeyedPseudonyms keyed = new KeyedPseudonyms(SiteKey.loadOrCreate(db), prefix == null ? "" : prefix);
        String url = jdbcUrl != null ? jdbcUrl : "jdbc:sqlite:" + db.resolve("pseudonyms.sqlite") + "?busy_timeout=30000&journal_mode=WAL";
        Jdbi jdbi = Jdbi.create(url);
        jdbi.useHandle(h -> {
            h.execute("CREATE TABLE IF NOT EXISTS stub_map (domain VARCHAR(64) NOT NULL, val VARCHAR(512) NOT NULL, pseudonym VARCHAR(64) NOT NULL, PRIMARY KEY (domain, val))");
            h.execute("CREATE TABLE IF NOT EXISTS stub_withdrawn (domain VARCHAR(64) NOT NULL, pseudonym VARCHAR(64) NOT NULL, PRIMARY KEY (domain, pseudonym))");
        });
        return new PseudonymStore() {
            @Override
            public String pseudonym(String domain, String value) {
                String p = keyed.pseudonym(domain, value);
                jdbi.useHandle(h -> h.createUpdate("INSERT INTO stub_map VALUES (:d, :v, :p) ON CONFLICT DO NOTHING")
                        .bind("d", domain).bind("v", value).bind("p", p).execute());
                return p;
            }

            @Override
            public Map<String, String> pseudonyms(String domain, Collection<String> values) {
                Map<String, String> m = new LinkedHashMap<>();
                values.forEach(v -> m.put(v, pseudonym(domain, v)));
                return m;
            }

            @Override
            public Optional<String> lookup(String domain, String value) {
                return jdbi.withHandle(h -> h.createQuery("SELECT pseudonym FROM stub_map WHERE domain = :d AND val = :v")
                        .bind("d", domain).bind("v", value).mapTo(String.class).findOne());
            }

            @Override
            public Optional<String> reidentify(String domain, String pseudonym) {
                return jdbi.withHandle(h -> h.createQuery("SELECT val FROM stub_map WHERE domain = :d AND pseudonym = :p")
                        .bind("d", domain).bind("p", pseudonym).mapTo(String.class).findOne());
            }

            @Override
            public String uid(String uid) {
                return keyed.uid(uid);
            }

            @Override
            public int dayShift(String domain, String value) {
                return keyed.dayShift(domain, value);
            }

            @Override
            public void withdraw(String domain, String pseudonym) {
                jdbi.useHandle(h -> h.createUpdate("INSERT INTO stub_withdrawn VALUES (:d, :p) ON CONFLICT DO NOTHING")
                        .bind("d", domain).bind("p", pseudonym).execute());
            }

            @Override
            public boolean isWithdrawn(String domain, String pseudonym) {
                return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM stub_withdrawn WHERE domain = :d AND pseudonym = :p")
                        .bind("d", domain).bind("p", pseudonym).mapTo(Integer.class).one()) > 0;
            }

            @Override
            public void export(Consumer<Mapping> sink) {
                jdbi.useHandle(h -> h.createQuery("SELECT domain, val, pseudonym FROM stub_map")
                        .map((rs, ctx) -> new Mapping(rs.getString(1), rs.getString(2), rs.getString(3), Instant.EPOCH))
                        .forEach(sink));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }
}
