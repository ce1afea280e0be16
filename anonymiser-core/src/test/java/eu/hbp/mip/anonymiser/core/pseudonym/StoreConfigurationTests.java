package eu.hbp.mip.anonymiser.core.pseudonym;

import eu.hbp.mip.anonymiser.api.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every bad configuration ends in one {@link StoreException} line that names what
 * to fix, never a password, never an SQLException. PostgreSQL cases use the
 * embedded server (it asks {@link TestPostgres#PASSWORD_ROLE} for a password).
 */
class StoreConfigurationTests {

    @TempDir
    Path dir;

    private static StoreException refused(Path db, String url, Properties props) {
        StoreException e = assertThrows(StoreException.class, () -> PseudonymStores.open(db, url, props, "").close());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(TestPostgres.PASSWORD), "password leaked: " + t);
            assertFalse(String.valueOf(t.getMessage()).contains("wrong-password-123"), "password leaked: " + t);
        }
        return e;
    }

    private static StoreException refused(Path db) {
        return refused(db, null, new Properties());
    }

    private static void assertSays(StoreException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "expected '" + p + "' in: " + e.getMessage());
        }
    }

    @Test
    void dbFolderThatIsAFileIsNamed() throws IOException {
        Path db = Files.createFile(dir.resolve("db"));
        assertSays(refused(db), "pseudonym database folder " + db + " is not a directory", "point the db folder");
    }

    @Test
    void dbFolderThatCannotBeCreatedIsNamed() throws IOException {
        Path file = Files.createFile(dir.resolve("plain-file"));
        Path db = file.resolve("db");
        assertSays(refused(db), "cannot create the pseudonym database folder " + db, "writable directory");
    }

    @Test
    void sqliteFileThatIsNotADatabaseIsNamed() throws IOException {
        Path db = Files.createDirectory(dir.resolve("db"));
        Path file = db.resolve(PseudonymStores.SQLITE_FILE);
        Files.writeString(file, "this is not a database, just some text that is long enough to be read. ".repeat(20));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        StoreException e = refused(db);
        assertSays(e, "pseudonym store SQLite " + file.toAbsolutePath(), "SQLITE_NOTADB", "restore it from backup");
        assertFalse(e.getMessage().contains("[SQLITE_"), "the driver's own text is not copied: " + e.getMessage());
    }

    @Test
    void sqliteFileThatIsADirectoryIsNamed() throws IOException {
        Path db = Files.createDirectory(dir.resolve("db"));
        Files.createDirectory(db.resolve(PseudonymStores.SQLITE_FILE));
        assertSays(refused(db), "is a directory, not a file");
    }

    @Test
    void worldReadableDatabaseFileIsRefused() throws IOException {
        Path db = dir.resolve("db");
        PseudonymStores.open(db, null, "").close();
        Path file = db.resolve(PseudonymStores.SQLITE_FILE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertSays(refused(db), "has permissions rw-r--r--", "chmod 600");
    }

    @Test
    void keyOfTheWrongSizeIsRefused() throws IOException {
        Path db = Files.createDirectory(dir.resolve("db"));
        Path key = db.resolve(SiteKey.FILE_NAME);
        Files.write(key, new byte[31]);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        assertSays(refused(db), "site key " + key + " has 31 bytes, expected 32 (256 bits)", "restore the original");
    }

    @Test
    void worldReadableKeyIsRefused() throws IOException {
        Path db = Files.createDirectory(dir.resolve("db"));
        Path key = db.resolve(SiteKey.FILE_NAME);
        Files.write(key, new byte[32]);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertSays(refused(db), "site key " + key + " has permissions rw-r--r--", "chmod 600 " + key);
        assertFalse(Files.exists(db.resolve(PseudonymStores.SQLITE_FILE)), "nothing opened before the key passed");
    }

    @Test
    void unsupportedUrlIsRefusedWithoutItsParameters() {
        StoreException e = refused(dir.resolve("db"), "jdbc:mysql://db.example:3306/mip?password=wrong-password-123",
                new Properties());
        assertSays(e, "unsupported JDBC URL 'jdbc:mysql://db.example:3306/mip'", "jdbc:postgresql://host:port/database");
    }

    @Test
    void urlWithoutJdbcSchemeIsRefused() {
        StoreException e = refused(dir.resolve("db"), "postgresql://u:wrong-password-123@db.example/mip",
                new Properties());
        assertSays(e, "unsupported JDBC URL 'postgresql://db.example/mip'");
    }

    @Test
    void unreachableServerIsNamed() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        StoreException e = refused(dir.resolve("db"), "jdbc:postgresql://127.0.0.1:" + port + "/mip", new Properties());
        assertSays(e, "pseudonym store PostgreSQL 127.0.0.1:" + port + "/mip: cannot connect", "SQLState 08",
                "check host and port");
    }

    @Test
    void wrongPasswordIsNamedButNeverShown() {
        Properties login = new Properties();
        login.setProperty("user", TestPostgres.PASSWORD_ROLE);
        login.setProperty("password", "wrong-password-123");
        String url = "jdbc:postgresql://127.0.0.1:" + TestPostgres.embeddedPort() + "/postgres";
        StoreException e = refused(dir.resolve("db"), url, login);
        assertSays(e, "SQLState 28P01", "authentication failed", "check the user and password");
    }

    @Test
    void wrongPasswordInTheUrlIsNeverShown() {
        String url = "jdbc:postgresql://127.0.0.1:" + TestPostgres.embeddedPort() + "/postgres?user="
                + TestPostgres.PASSWORD_ROLE + "&password=wrong-password-123";
        StoreException e = refused(dir.resolve("db"), url, new Properties());
        assertSays(e, "PostgreSQL 127.0.0.1:" + TestPostgres.embeddedPort() + "/postgres:", "authentication failed");
    }

    @Test
    void rightPasswordOpensTheStore() {
        Properties login = new Properties();
        login.setProperty("user", TestPostgres.PASSWORD_ROLE);
        login.setProperty("password", TestPostgres.PASSWORD);
        String url = "jdbc:postgresql://127.0.0.1:" + TestPostgres.embeddedPort() + "/postgres";
        // the embedded server is PostgreSQL 14: any role may create tables in public
        try (JdbiPseudonymStore store = PseudonymStores.open(dir.resolve("db"), url, login, "")) {
            assertTrue(store.pseudonym("patient", "X").length() == KeyedPseudonyms.LENGTH);
        }
    }

    @Test
    void missingDatabaseIsNamed() {
        String url = "jdbc:postgresql://127.0.0.1:" + TestPostgres.embeddedPort() + "/no_such_db?user=postgres";
        StoreException e = refused(dir.resolve("db"), url, new Properties());
        assertSays(e, "/no_such_db: cannot connect", "SQLState 3D000", "the database does not exist");
    }

    @Test
    void invalidPrefixIsNamed() {
        StoreException e = assertThrows(StoreException.class,
                () -> PseudonymStores.open(dir.resolve("db"), null, "CHUV LAUSANNE"));
        assertSays(e, "pseudonym prefix 'CHUV LAUSANNE' is not valid");
    }
}
