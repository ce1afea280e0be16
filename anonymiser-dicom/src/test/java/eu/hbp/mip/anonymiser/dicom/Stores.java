package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.core.pseudonym.PseudonymStores;
import eu.hbp.mip.anonymiser.core.pseudonym.SiteKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Real pseudonym stores for the tests: an embedded SQLite file in a temporary db folder. */
final class Stores {

    private Stores() {
    }

    /**
     * Opens (creating) the SQLite store under {@code dir/db}, with a fixed test site key so that
     * pseudonyms and UIDs, hence the byte searches over outputs, are the same in every run.
     */
    static PseudonymStore sqlite(Path dir) {
        try {
            Path db = Files.createDirectories(dir.resolve("db"));
            Path key = db.resolve(SiteKey.FILE_NAME);
            if (!Files.exists(key)) {
                byte[] fixed = new byte[SiteKey.SIZE];
                for (int i = 0; i < fixed.length; i++) {
                    fixed[i] = (byte) (i * 7 + 3);
                }
                Files.write(key, fixed);
                Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            }
            return PseudonymStores.open(db, null, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
