package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.core.pseudonym.PseudonymStores;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Real pseudonym stores for the tests: an embedded SQLite file in a temporary db folder. */
final class Stores {

    private Stores() {
    }

    /** Opens (creating) the SQLite store and site key under {@code dir/db}. */
    static PseudonymStore sqlite(Path dir) {
        try {
            Path db = Files.createDirectories(dir.resolve("db"));
            return PseudonymStores.open(db, null, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
