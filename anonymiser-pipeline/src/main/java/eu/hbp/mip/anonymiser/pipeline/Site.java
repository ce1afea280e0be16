package eu.hbp.mip.anonymiser.pipeline;

import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.api.StoreException;
import eu.hbp.mip.anonymiser.core.pseudonym.KeyedPseudonyms;
import eu.hbp.mip.anonymiser.core.pseudonym.PseudonymStores;
import eu.hbp.mip.anonymiser.core.pseudonym.SiteKey;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * An initialised site: its folders, site key, pseudonym store and output index, with the
 * configuration recorded once at {@link #initialise} ({@code db/}{@value #CONFIG}: the store's
 * JDBC URL or its absence, the pseudonym prefix) and used by everything that opens it after.
 * Only {@code initialise} creates a key, a store or a folder; {@link #open} refuses a folder
 * that was not initialised, naming the command to run, and refuses a store or prefix that
 * differs from the recorded one (pseudonyms and outputs would be split between two stores).
 *
 * <pre>{@code
 * Site.initialise(FolderLayout.standard(Path.of("/data/anonymiser")), null, "CHUV-").close();
 * try (Site site = Site.open(FolderLayout.standard(Path.of("/data/anonymiser")), null, null);
 *      Pipeline pipeline = Pipeline.builder(site).build()) {
 *     RunSummary summary = pipeline.runOnce();
 * }
 * }</pre>
 *
 * <p>Every path is made absolute when the site is opened. Thread-safe once open; the store
 * and index it hands out are closed with it.
 */
public final class Site implements AutoCloseable {

    /** The site's recorded configuration in {@code db/}. */
    public static final String CONFIG = "site.properties";
    /** The settings file of earlier versions (prefix only), read when {@value #CONFIG} is absent. */
    static final String LEGACY_CONFIG = "runner.properties";

    private final FolderLayout layout;
    private final PseudonymStore store;
    private final OutputIndex index;
    private final String prefix;
    private final String storeUrl;
    private final KeyedPseudonyms keyed;
    private final Object sqliteKey;

    private Site(FolderLayout layout, PseudonymStore store, OutputIndex index, String prefix, String storeUrl,
                 KeyedPseudonyms keyed, Object sqliteKey) {
        this.sqliteKey = sqliteKey;
        this.layout = layout;
        this.store = store;
        this.index = index;
        this.prefix = prefix;
        this.storeUrl = storeUrl;
        this.keyed = keyed;
    }

    /**
     * Lays out a site, or checks one laid out before: folders (the private ones 0700), the site
     * key, the recorded configuration and the store. Idempotent; refuses to change a recorded
     * store or prefix.
     *
     * @param layout the folders
     * @param storeUrl a {@code jdbc:postgresql:} URL, or null for the SQLite file in {@code db/}
     * @param prefix the pseudonym prefix, or null for none (or the recorded one)
     * @return the open site
     * @throws SiteException if the recorded configuration differs
     */
    public static Site initialise(FolderLayout layout, String storeUrl, String prefix) {
        FolderLayout abs = absolute(layout).create();
        Optional<Properties> recorded = readConfig(abs.db());
        String url = blankToNull(storeUrl);
        if (recorded.isPresent()) {
            check(abs, recorded.get(), url, blankToNull(prefix));
            url = blankToNull(recorded.get().getProperty("store"));
            prefix = recorded.get().getProperty("prefix", "");
        } else {
            String legacyPrefix = legacyPrefix(abs.db());
            if (legacyPrefix != null && prefix != null && !prefix.equals(legacyPrefix)) {
                throw new SiteException("this site was initialised with prefix '" + legacyPrefix + "' (db/"
                        + LEGACY_CONFIG + "); a new prefix would change every pseudonym: leave --prefix out");
            }
            prefix = legacyPrefix != null ? legacyPrefix : prefix == null ? "" : prefix;
        }
        SiteKey.loadOrCreate(abs.db());
        if (recorded.isPresent() && url == null && !Files.isRegularFile(abs.db().resolve(PseudonymStores.SQLITE_FILE))) {
            throw new SiteException("the pseudonym store " + abs.db().resolve(PseudonymStores.SQLITE_FILE)
                    + " recorded for this site is missing: restore it from backup (it holds the link of every"
                    + " pseudonym to its patient); init does not create a new one in its place");
        }
        Site site = openStore(abs, url, prefix);
        if (recorded.isEmpty()) {
            try {
                writeConfig(abs.db(), url, prefix);
            } catch (RuntimeException e) {
                site.close();
                throw e;
            }
        }
        return site;
    }

    /**
     * Opens an initialised site with its recorded configuration.
     *
     * @param layout the folders
     * @param storeUrl null to use the recorded store; else it must be the recorded one
     * @param prefix null to use the recorded prefix; else it must be the recorded one
     * @return the open site
     * @throws SiteException if the folder is not initialised, or the store or prefix differ
     */
    public static Site open(FolderLayout layout, String storeUrl, String prefix) {
        FolderLayout abs = absolute(layout);
        Path key = abs.db().resolve(SiteKey.FILE_NAME);
        Optional<Properties> recorded = readConfig(abs.db());
        boolean legacy = recorded.isEmpty() && Files.isRegularFile(abs.db().resolve(LEGACY_CONFIG));
        if (!Files.isDirectory(abs.in()) || !Files.isRegularFile(key) || recorded.isEmpty() && !legacy) {
            throw new SiteException(where(abs) + " is not an initialised anonymiser folder (no in/, db/"
                    + SiteKey.FILE_NAME + " or db/" + CONFIG + "); run 'mip-anonymiser init --data " + where(abs)
                    + "' first (with --store and --prefix if the site uses them)");
        }
        if (legacy) {
            // A site laid out by an earlier version: its store is the one given now (or SQLite); record it.
            return initialise(abs, storeUrl, prefix);
        }
        check(abs, recorded.get(), blankToNull(storeUrl), blankToNull(prefix));
        String url = blankToNull(recorded.get().getProperty("store"));
        if (url == null && !Files.isRegularFile(abs.db().resolve(PseudonymStores.SQLITE_FILE))) {
            // Never a new empty store in its place: the re-identification links of every output are in it.
            throw new SiteException("the pseudonym store " + abs.db().resolve(PseudonymStores.SQLITE_FILE)
                    + " recorded for this site is missing: restore it from backup (it holds the link of every"
                    + " pseudonym to its patient); nothing was created in its place");
        }
        return openStore(abs, url, recorded.get().getProperty("prefix", ""));
    }

    /** @return whether {@code layout} holds an initialised site (nothing is created) */
    public static boolean isInitialised(FolderLayout layout) {
        FolderLayout abs = absolute(layout);
        return Files.isDirectory(abs.in()) && Files.isRegularFile(abs.db().resolve(SiteKey.FILE_NAME))
                && (Files.isRegularFile(abs.db().resolve(CONFIG))
                || Files.isRegularFile(abs.db().resolve(LEGACY_CONFIG)));
    }

    private static void check(FolderLayout layout, Properties recorded, String storeUrl, String prefix) {
        String recordedStore = blankToNull(recorded.getProperty("store"));
        if (storeUrl != null && !storeUrl.equals(recordedStore)) {
            throw new SiteException("the store " + (recordedStore == null ? "recorded for this site is the SQLite"
                    + " file in db/" : "recorded for this site (db/" + CONFIG + ") is " + redact(recordedStore))
                    + ", not " + redact(storeUrl) + ": leave --store (and $MIP_ANONYMISER_STORE) out, or move the"
                    + " site to another store with its own 'init'");
        }
        String recordedPrefix = recorded.getProperty("prefix", "");
        if (prefix != null && !prefix.equals(recordedPrefix)) {
            throw new SiteException("--prefix '" + prefix + "' differs from the prefix '" + recordedPrefix
                    + "' recorded for this site (db/" + CONFIG + "); pseudonyms would not match: leave --prefix out");
        }
    }

    private static Site openStore(FolderLayout layout, String url, String prefix) {
        SiteKey key = SiteKey.load(layout.db().resolve(SiteKey.FILE_NAME));
        PseudonymStore store;
        try {
            store = PseudonymStores.open(layout.db(), url, prefix);
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SiteException("cannot open the pseudonym store " + (url == null ? "in " + layout.db()
                    : redact(url)) + " (" + e.getClass().getSimpleName()
                    + "): check the JDBC URL, the server and the db/ folder");
        }
        OutputIndex index;
        try {
            index = OutputIndex.open(layout.db(), url);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return new Site(layout, store, index, prefix, url, new KeyedPseudonyms(key, prefix),
                url == null ? fileKey(layout.db().resolve(PseudonymStores.SQLITE_FILE)) : null);
    }

    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Checks that the store is still the one opened: for the SQLite file, the same file (not
     * deleted, not replaced). The pipeline calls it before every publish.
     *
     * @throws StoreException if the store file is gone or replaced (a machine failure: nothing is published)
     */
    public void checkStore() {
        if (sqliteKey == null) {
            return;
        }
        Path file = layout.db().resolve(PseudonymStores.SQLITE_FILE);
        Object now = fileKey(file);
        if (!sqliteKey.equals(now)) {
            throw new StoreException("the pseudonym store " + file + " was " + (now == null ? "deleted" : "replaced")
                    + " while the site was open; nothing more is published: restore it from backup");
        }
    }

    private static FolderLayout absolute(FolderLayout l) {
        return FolderLayout.of(abs(l.db()), abs(l.in()), abs(l.out()), abs(l.pacs()), abs(l.quarantine()),
                abs(l.scripts()));
    }

    private static Path abs(Path p) {
        return p.toAbsolutePath().normalize();
    }

    private static String where(FolderLayout layout) {
        return String.valueOf(layout.in().getParent());
    }

    /** @return the URL without its query (which may hold a password) */
    static String redact(String url) {
        if (url == null) {
            return "the SQLite file in db/";
        }
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?...";
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Optional<Properties> readConfig(Path db) {
        Path file = db.resolve(CONFIG);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(load(file));
    }

    private static String legacyPrefix(Path db) {
        Path file = db.resolve(LEGACY_CONFIG);
        return Files.isRegularFile(file) ? load(file).getProperty("prefix", "") : null;
    }

    private static Properties load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new SiteException("cannot read " + file + " (" + e.getClass().getSimpleName()
                    + "): check its permissions");
        }
        return p;
    }

    private static void writeConfig(Path db, String url, String prefix) {
        Properties p = new Properties();
        if (url != null) {
            p.setProperty("store", url);
        }
        p.setProperty("prefix", prefix);
        Path file = db.resolve(CONFIG);
        Path tmp = db.resolve("." + CONFIG + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "MIP Anonymiser site configuration, recorded by init. The store and the prefix must"
                        + " never change once pseudonyms exist");
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (UnsupportedOperationException e) {
            throw new SiteException("the file system of " + db + " has no POSIX permissions; the site key and"
                    + " configuration must be owner-only: put db/ on a POSIX file system");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": check free space and permissions", e);
        }
    }

    /** @return the folders, every path absolute */
    public FolderLayout layout() {
        return layout;
    }

    /** @return the pseudonym store; closed with the site */
    public PseudonymStore store() {
        return store;
    }

    /** @return the output index; closed with the site */
    public OutputIndex index() {
        return index;
    }

    /** @return the pseudonym prefix, possibly empty */
    public String prefix() {
        return prefix;
    }

    /** @return the store's URL without its query, or a description of the SQLite file */
    public String storeDescription() {
        return storeUrl == null ? "SQLite in " + layout.db() : "PostgreSQL " + redact(storeUrl);
    }

    /**
     * @param id a patient ID as the hospital knows it
     * @return its pseudonym, computed from the site key without touching the store
     */
    public String patientPseudonym(String id) {
        Objects.requireNonNull(id, "id");
        return keyed.pseudonym(PseudonymStore.PATIENT, id);
    }

    @Override
    public void close() {
        try {
            index.close();
        } finally {
            store.close();
        }
    }
}
