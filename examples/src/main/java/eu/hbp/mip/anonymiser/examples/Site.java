package eu.hbp.mip.anonymiser.examples;

import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.api.StoreException;
import eu.hbp.mip.anonymiser.core.pseudonym.PseudonymStores;
import eu.hbp.mip.anonymiser.core.pseudonym.SiteKey;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * An initialised site opened by a command: its layout, pseudonym store and output
 * index. Opening checks the configuration and fails with a {@link RunnerConfigException}
 * whose message says what to fix. Not thread-safe to open; the parts it hands out are.
 */
final class Site implements AutoCloseable {

    /** The runner's own settings in {@code db/}: the pseudonym prefix. */
    static final String SETTINGS = "runner.properties";

    private final FolderLayout layout;
    private final PseudonymStore store;
    private final OutputIndex index;
    private final String prefix;

    private Site(FolderLayout layout, PseudonymStore store, OutputIndex index, String prefix) {
        this.layout = layout;
        this.store = store;
        this.index = index;
        this.prefix = prefix;
    }

    /**
     * Opens an initialised site.
     *
     * @throws RunnerConfigException if the folder was not initialised, or the key, store or prefix are wrong
     */
    static Site open(SiteOptions options) {
        FolderLayout layout = options.layout();
        Path key = layout.db().resolve(SiteKey.FILE_NAME);
        if (!Files.isDirectory(layout.in()) || !Files.isRegularFile(key)) {
            throw new RunnerConfigException(layout.in().getParent() + " is not an initialised anonymiser folder"
                    + " (no in/ or no db/" + SiteKey.FILE_NAME + "); run 'mip-anonymiser init --data "
                    + layout.in().getParent() + "' first");
        }
        String prefix = recordedPrefix(layout.db());
        if (options.prefix != null && !options.prefix.equals(prefix)) {
            throw new RunnerConfigException("--prefix '" + options.prefix + "' differs from the prefix '" + prefix
                    + "' this site was initialised with (db/" + SETTINGS + "); pseudonyms would not match:"
                    + " leave --prefix out");
        }
        return open(layout, options.store, prefix);
    }

    /** Opens the store and index of a layout whose folders exist. */
    static Site open(FolderLayout layout, String storeUrl, String prefix) {
        SiteKey.loadOrCreate(layout.db()); // checks permissions and size first, with its own message
        PseudonymStore store;
        try {
            store = PseudonymStores.open(layout.db(), blankToNull(storeUrl), prefix);
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RunnerConfigException("cannot open the pseudonym store " + where(layout, storeUrl) + " ("
                    + e.getClass().getSimpleName() + "): check the JDBC URL, the server and the db/ folder");
        }
        OutputIndex index;
        try {
            index = OutputIndex.open(layout.db(), blankToNull(storeUrl));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return new Site(layout, store, index, prefix);
    }

    private static String where(FolderLayout layout, String url) {
        if (url == null || url.isBlank()) {
            return "in " + layout.db();
        }
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q); // never print a password given as a URL parameter
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** @return the prefix recorded at init, or the empty string */
    static String recordedPrefix(Path db) {
        Path file = db.resolve(SETTINGS);
        if (!Files.isRegularFile(file)) {
            return "";
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new RunnerConfigException("cannot read " + file + " (" + e.getClass().getSimpleName()
                    + "): check its permissions");
        }
        return p.getProperty("prefix", "");
    }

    /** Records the prefix at init; refuses to change one already recorded. */
    static void recordPrefix(Path db, String prefix) throws IOException {
        Path file = db.resolve(SETTINGS);
        if (Files.isRegularFile(file)) {
            String old = recordedPrefix(db);
            if (prefix != null && !prefix.equals(old)) {
                throw new RunnerConfigException("this site was initialised with prefix '" + old + "' (db/" + SETTINGS
                        + "); a new prefix would change every pseudonym. Leave --prefix out");
            }
            return;
        }
        Properties p = new Properties();
        p.setProperty("prefix", prefix == null ? "" : prefix);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, "MIP Anonymiser runner settings; the prefix must never change once pseudonyms exist");
        }
    }

    FolderLayout layout() {
        return layout;
    }

    PseudonymStore store() {
        return store;
    }

    OutputIndex index() {
        return index;
    }

    String prefix() {
        return prefix;
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
