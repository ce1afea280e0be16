package eu.hbp.mip.anonymiser.core.pseudonym;

import eu.hbp.mip.anonymiser.api.StoreException;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/**
 * Opens the pseudonym store of a site: the key always comes from
 * {@code db/site.key} ({@link SiteKey#loadOrCreate}); the mappings live in
 * <ul>
 *   <li>the SQLite file {@code db/}{@value #SQLITE_FILE} when no JDBC URL is given
 *       (created owner-only; WAL journal, full sync, a {@code 30 s} busy time-out so
 *       several processes on one machine can share it);</li>
 *   <li>a PostgreSQL database for a {@code jdbc:postgresql://host:port/database} URL,
 *       shared by the workers of several machines (each with a copy of the site key).
 *       The user and password come from the URL ({@code ?user=...&password=...}) or
 *       from the connection properties ({@code user}, {@code password}, and any other
 *       pgjdbc property such as {@code ssl} or {@code currentSchema}).</li>
 * </ul>
 * The schema is created and migrated on open. Every misconfiguration ends in one
 * {@link StoreException} line naming what to fix: the db folder, the key file's
 * size or permissions, the URL, the server, the credentials (never the password),
 * a key or prefix that does not belong to the store.
 *
 * <pre>{@code
 * try (PseudonymStore store = PseudonymStores.open(Path.of("/data/anonymiser/db"), null, "")) { ... }
 * Properties login = new Properties();
 * login.setProperty("user", "mip");
 * login.setProperty("password", System.getenv("MIP_STORE_PASSWORD"));
 * PseudonymStore shared = PseudonymStores.open(db, "jdbc:postgresql://pg.example:5432/mip", login, "CHUV-");
 * }</pre>
 */
public final class PseudonymStores {

    /** The SQLite file's name in the {@code db/} folder. */
    public static final String SQLITE_FILE = "pseudonyms.sqlite";

    private static final String PG_PREFIX = "jdbc:postgresql:";
    private static final Set<PosixFilePermission> OWNER_RW =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private PseudonymStores() {
    }

    /**
     * @param db the {@code db/} folder (key file, and the SQLite file by default)
     * @param jdbcUrl null or blank for SQLite in {@code db/}, or a {@code jdbc:postgresql:} URL
     * @param prefix the site prefix of pseudonyms, or empty (see {@link KeyedPseudonyms})
     * @return the open store; close it when done
     * @throws StoreException with one line saying what to fix
     */
    public static JdbiPseudonymStore open(Path db, String jdbcUrl, String prefix) {
        return open(db, jdbcUrl, new Properties(), prefix);
    }

    /**
     * @param db the {@code db/} folder (key file, and the SQLite file by default)
     * @param jdbcUrl null or blank for SQLite in {@code db/}, or a {@code jdbc:postgresql:} URL
     * @param connection driver properties for PostgreSQL ({@code user}, {@code password}, ...)
     * @param prefix the site prefix of pseudonyms, or empty (see {@link KeyedPseudonyms})
     * @return the open store; close it when done
     * @throws StoreException with one line saying what to fix
     */
    public static JdbiPseudonymStore open(Path db, String jdbcUrl, Properties connection, String prefix) {
        return open(db, jdbcUrl, connection, prefix, JdbiPseudonymStore.DEFAULT_CACHE,
                JdbiPseudonymStore.DEFAULT_BATCH);
    }

    /** As {@link #open(Path, String, Properties, String)}, with the cache and batch sizes (tests, benchmarks). */
    static JdbiPseudonymStore open(Path db, String jdbcUrl, Properties connection, String prefix, int cacheCapacity,
            int batchSize) {
        Objects.requireNonNull(db, "db");
        Objects.requireNonNull(connection, "connection");
        String pre = prefix == null ? "" : prefix;
        boolean sqlite = jdbcUrl == null || jdbcUrl.isBlank();
        if (!sqlite && !jdbcUrl.startsWith(PG_PREFIX)) {
            throw new StoreException("unsupported JDBC URL '" + safeUrl(jdbcUrl) + "' for the pseudonym store: give"
                    + " jdbc:postgresql://host:port/database, or no URL for the SQLite file db/" + SQLITE_FILE);
        }
        KeyedPseudonyms keyed;
        SiteKey key = SiteKey.loadOrCreate(db);
        try {
            keyed = new KeyedPseudonyms(key, pre);
        } catch (IllegalArgumentException e) {
            throw new StoreException("pseudonym prefix '" + pre + "' is not valid: use at most 16 letters or digits,"
                    + " optionally followed by '-', or none", e);
        }
        StoreConnection conn = sqlite ? sqlite(db) : postgres(jdbcUrl, connection);
        try {
            conn.inTransaction("create or migrate the schema", true, h -> Schema.migrate(h, conn.dialect(),
                    conn.description()));
            checkOwnership(conn, keyed, db);
            return new JdbiPseudonymStore(conn, keyed, cacheCapacity, batchSize);
        } catch (RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    /** Records the key check and prefix on first use, and refuses a store made with another key or prefix. */
    private static void checkOwnership(StoreConnection conn, KeyedPseudonyms keyed, Path db) {
        String insert = conn.dialect().insertIgnore("store_info", "name, value", ":name, :value");
        String[] stored = conn.inTransaction("check the site key against the store", true, h -> {
            h.createUpdate(insert).bind("name", "key_check").bind("value", keyed.keyCheck()).execute();
            h.createUpdate(insert).bind("name", "prefix").bind("value", keyed.prefix()).execute();
            String check = h.createQuery("SELECT value FROM store_info WHERE name = 'key_check'")
                    .mapTo(String.class).one();
            String prefix = h.createQuery("SELECT value FROM store_info WHERE name = 'prefix'")
                    .mapTo(String.class).one();
            return new String[] {check, prefix};
        });
        if (!stored[0].equals(keyed.keyCheck())) {
            throw new StoreException("pseudonym store " + conn.description() + " was created with another site key"
                    + " than " + db.resolve(SiteKey.FILE_NAME) + ": restore the site key that belongs to this store"
                    + " (with another key every pseudonym would change)");
        }
        if (!stored[1].equals(keyed.prefix())) {
            throw new StoreException("pseudonym store " + conn.description() + " uses the pseudonym prefix '"
                    + stored[1] + "', not '" + keyed.prefix() + "': configure the prefix '" + stored[1]
                    + "' (another prefix would change every pseudonym)");
        }
    }

    private static StoreConnection sqlite(Path db) {
        Path file = db.resolve(SQLITE_FILE).toAbsolutePath();
        prepareSqliteFile(file);
        String description = "SQLite " + file;
        return new StoreConnection(Dialect.SQLITE, description, () -> {
            Properties p = new Properties();
            p.setProperty("busy_timeout", Integer.toString(StoreConnection.BUSY_TIMEOUT_MS));
            p.setProperty("transaction_mode", "IMMEDIATE");
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, p);
            try (Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("PRAGMA journal_mode=WAL")) {
                    rs.next();
                }
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA cache_size=-16384");   // 16 MiB of pages: the indexes stay in memory longer
                return c;
            } catch (SQLException e) {
                c.close();
                throw e;
            }
        });
    }

    private static void prepareSqliteFile(Path file) {
        if (Files.isDirectory(file)) {
            throw new StoreException("pseudonym database " + file + " is a directory, not a file: move it away");
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createFile(file, SiteKey.ownerOnly(file, OWNER_RW));
            } catch (FileAlreadyExistsException raced) {
                // another process created it: fine
            } catch (IOException e) {
                throw new StoreException("cannot create the pseudonym database " + file + " ("
                        + e.getClass().getSimpleName() + "): make the db folder writable by this user", e);
            }
            return;
        }
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view != null) {
            try {
                Set<PosixFilePermission> perms = view.readAttributes().permissions();
                if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                    throw new StoreException("pseudonym database " + file + " has permissions "
                            + PosixFilePermissions.toString(perms) + ": anyone may read the link to patients; run"
                            + " 'chmod 600 " + file + "*'");
                }
            } catch (IOException e) {
                throw new StoreException("cannot read the permissions of the pseudonym database " + file + " ("
                        + e.getClass().getSimpleName() + "): make the db folder readable by this user", e);
            }
        }
        if (!Files.isReadable(file) || !Files.isWritable(file)) {
            throw new StoreException("pseudonym database " + file + " is not readable and writable by this user:"
                    + " run the anonymiser as its owner");
        }
    }

    private static StoreConnection postgres(String url, Properties connection) {
        String description = "PostgreSQL " + describePostgres(url);
        Properties p = new Properties();
        p.putAll(connection);
        p.putIfAbsent("connectTimeout", "10");
        p.putIfAbsent("ApplicationName", "mip-anonymiser");
        return new StoreConnection(Dialect.POSTGRESQL, description, () -> DriverManager.getConnection(url, p));
    }

    /** @return host, port and database of a PostgreSQL URL, without user, password or other parameters */
    static String describePostgres(String url) {
        String rest = url.substring(PG_PREFIX.length());
        int q = rest.indexOf('?');
        if (q >= 0) {
            rest = rest.substring(0, q);
        }
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
            int slash = rest.indexOf('/');
            String hosts = slash < 0 ? rest : rest.substring(0, slash);
            String database = slash < 0 ? "" : rest.substring(slash);
            hosts = hosts.substring(hosts.lastIndexOf('@') + 1);
            rest = hosts + database;
            return rest.length() > 120 ? rest.substring(0, 120) + "..." : rest;
        }
        return "database " + rest;
    }

    /** @return a URL shortened to its scheme and host part, for a message: no parameters, no user information */
    private static String safeUrl(String url) {
        String s = url.strip();
        int cut = s.length();
        for (char c : new char[] {'?', ';', '&'}) {
            int i = s.indexOf(c);
            if (i >= 0) {
                cut = Math.min(cut, i);
            }
        }
        s = s.substring(0, cut);
        int at = s.lastIndexOf('@');
        if (at >= 0) {
            int start = s.indexOf("//");
            s = (start >= 0 ? s.substring(0, start + 2) : "") + s.substring(at + 1);
        }
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
