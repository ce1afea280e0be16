package eu.hbp.mip.anonymiser.core.pseudonym;

import eu.hbp.mip.anonymiser.api.StoreException;
import org.jdbi.v3.core.Handle;

import java.util.List;

/**
 * The store's tables and their numbered migrations. {@link #migrate} runs in one
 * transaction that first excludes other migrators (SQLite: the connection begins
 * {@code IMMEDIATE}, taking the write lock; PostgreSQL: a transaction-scoped
 * advisory lock), so two processes starting at once apply each migration exactly
 * once. A database written by a newer version of the library is refused.
 *
 * <p>Version 1:
 * <pre>
 * schema_version(version PK, description, applied_at)
 * store_info(name PK, value)                       -- key check, prefix
 * mapping(domain, value, pseudonym, first_seen)    -- PK(domain, value), UNIQUE(domain, pseudonym)
 * withdrawal(domain, pseudonym, withdrawn_at)      -- PK(domain, pseudonym)
 * </pre>
 */
final class Schema {

    /** One numbered step; its statements are applied in order, in the migration transaction. */
    record Migration(int version, String description, List<String> statements) {
    }

    /** The longest value, in UTF-8 bytes, that the store accepts (PostgreSQL indexes cap near 2700). */
    static final int MAX_VALUE_BYTES = 2000;

    private Schema() {
    }

    /** @return every migration of this library version, in order */
    static List<Migration> migrations(Dialect d) {
        String domain = d.textType(64);
        String pseudonym = d.textType(64);
        return List.of(new Migration(1, "mapping, withdrawal and store_info tables", List.of(
                "CREATE TABLE store_info (name " + d.textType(64) + " PRIMARY KEY, value " + d.textType(256)
                        + " NOT NULL)",
                "CREATE TABLE mapping (domain " + domain + " NOT NULL, value " + d.textType(0) + " NOT NULL, pseudonym "
                        + pseudonym + " NOT NULL, first_seen " + d.timeType() + " NOT NULL,"
                        + " CONSTRAINT mapping_value_unique PRIMARY KEY (domain, value),"
                        + " CONSTRAINT mapping_pseudonym_unique UNIQUE (domain, pseudonym))" + d.clusteredSuffix(),
                "CREATE TABLE withdrawal (domain " + domain + " NOT NULL, pseudonym " + pseudonym + " NOT NULL,"
                        + " withdrawn_at " + d.timeType() + " NOT NULL, PRIMARY KEY (domain, pseudonym))"
                        + d.clusteredSuffix())));
    }

    /** @return the version the latest migration brings the schema to */
    static int latest(Dialect d) {
        List<Migration> all = migrations(d);
        return all.get(all.size() - 1).version();
    }

    /**
     * Brings the schema to the latest version; must run inside a transaction.
     *
     * @param where the store's description for messages
     * @return how many migrations were applied (0 when already current)
     */
    static int migrate(Handle h, Dialect d, String where) {
        for (String lock : d.lockForMigration()) {
            h.createQuery(lock).mapTo(Integer.class).one();
        }
        h.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description "
                + d.textType(256) + " NOT NULL, applied_at " + d.timeType() + " NOT NULL)");
        int current = h.createQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version").mapTo(Integer.class).one();
        int latest = latest(d);
        if (current > latest) {
            throw new StoreException("pseudonym store " + where + " has schema version " + current
                    + ", newer than this anonymiser knows (" + latest + "): upgrade the anonymiser");
        }
        int applied = 0;
        for (Migration m : migrations(d)) {
            if (m.version() <= current) {
                continue;
            }
            for (String sql : m.statements()) {
                h.execute(sql);
            }
            h.createUpdate("INSERT INTO schema_version (version, description, applied_at) VALUES (:v, :d, "
                            + d.timeParam("t") + ")")
                    .bind("v", m.version()).bind("d", m.description()).bind("t", System.currentTimeMillis())
                    .execute();
            applied++;
        }
        return applied;
    }
}
