package eu.hbp.mip.anonymiser.core.pseudonym;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store contract on a real SQLite file in {@code db/}, plus what is SQLite's own. */
class SqlitePseudonymStoreTests extends PseudonymStoreContract {

    @Override
    String freshUrl() {
        return null;
    }

    @Override
    Jdbi raw() {
        return Jdbi.create("jdbc:sqlite:" + db.resolve(PseudonymStores.SQLITE_FILE));
    }

    @Test
    void createsOwnerOnlyFilesInWalMode() throws IOException {
        try (JdbiPseudonymStore store = open()) {
            store.pseudonym("patient", SECRET);
            store.flush();
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(db)));
            for (String name : new String[] {PseudonymStores.SQLITE_FILE, SiteKey.FILE_NAME}) {
                assertEquals("rw-------", PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(db.resolve(name))), name);
            }
            assertEquals("wal", raw().withHandle(h -> h.createQuery("PRAGMA journal_mode").mapTo(String.class).one()));
            assertTrue(store.toString().contains(PseudonymStores.SQLITE_FILE));
        }
    }
}
