package eu.hbp.mip.anonymiser.core.pseudonym;

import eu.hbp.mip.anonymiser.api.StoreException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * One long-lived Jdbi handle on the store's database, used under a lock (a
 * {@link Handle} is not thread-safe; the store's writes are batched, so one
 * connection is plenty), reopened once when the server dropped it. Every JDBC or
 * Jdbi failure leaves here as a {@link StoreException} whose message names the
 * store, what failed, the SQLState or SQLite code and the remedy, and never copies
 * the driver's message (which may quote a value, as a unique violation does).
 */
final class StoreConnection implements AutoCloseable {

    /** How long SQLite waits for another process's write lock, in milliseconds. */
    static final int BUSY_TIMEOUT_MS = 30_000;

    /** Opens a JDBC connection to the store. */
    @FunctionalInterface
    interface Opener {
        Connection open() throws SQLException;
    }

    private final Dialect dialect;
    private final String description;
    private final Jdbi jdbi;
    private final ReentrantLock lock = new ReentrantLock();
    private Handle handle;

    StoreConnection(Dialect dialect, String description, Opener opener) {
        this.dialect = dialect;
        this.description = description;
        this.jdbi = Jdbi.create(opener::open);
    }

    Dialect dialect() {
        return dialect;
    }

    /** @return for messages: the database kind and where it is, never a password */
    String description() {
        return description;
    }

    /**
     * Runs {@code work} on the shared handle, under the lock.
     *
     * @param action what is being done, for the message ("record new pseudonyms")
     * @param opening whether this is part of opening the store (then the cause is
     *        kept: no value is involved yet)
     */
    <T> T call(String action, boolean opening, Function<Handle, T> work) {
        lock.lock();
        try {
            for (int attempt = 0; ; attempt++) {
                Handle h;
                try {
                    h = handle();
                } catch (JdbiException e) {
                    throw failure("connect", e, true);
                }
                try {
                    return work.apply(h);
                } catch (JdbiException e) {
                    if (attempt == 0 && connectionLost(h, e)) {
                        closeHandle();
                        continue;
                    }
                    throw failure(action, e, opening);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code work} in one transaction on the shared handle; see {@link #call}. */
    <T> T inTransaction(String action, boolean opening, Function<Handle, T> work) {
        return call(action, opening, h -> h.inTransaction(t -> work.apply(t)));
    }

    /**
     * Runs {@code work} on a connection of its own, for long reads (export) that
     * must not hold the shared handle.
     */
    <T> T onOwnHandle(String action, Function<Handle, T> work) {
        Handle h;
        try {
            h = jdbi.open();
        } catch (JdbiException e) {
            throw failure("connect", e, true);
        }
        try (h) {
            return work.apply(h);
        } catch (JdbiException e) {
            throw failure(action, e, false);
        }
    }

    private Handle handle() {
        if (handle == null) {
            handle = jdbi.open();
        }
        return handle;
    }

    private boolean connectionLost(Handle h, JdbiException e) {
        SQLException sql = sqlCause(e);
        if (sql != null && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
            return true;
        }
        try {
            return !h.getConnection().isValid(2);
        } catch (SQLException | RuntimeException notValid) {
            return true;
        }
    }

    private void closeHandle() {
        Handle h = handle;
        handle = null;
        if (h != null) {
            try {
                h.close();
            } catch (RuntimeException ignored) {
                // the connection is being dropped anyway
            }
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closeHandle();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Translates a failure into one line that names the store and the remedy.
     *
     * @param keepCause whether the driver's exception may be attached as the cause
     *        (only when no value was bound: its message may quote one)
     */
    StoreException failure(String action, Exception e, boolean keepCause) {
        SQLException sql = sqlCause(e);
        String message = "pseudonym store " + description + ": cannot " + action + " ("
                + explain(sql) + ")";
        return keepCause ? new StoreException(message, e) : new StoreException(message);
    }

    static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                SQLException next = s.getNextException();
                return next != null && next.getSQLState() != null && s.getSQLState() == null ? next : s;
            }
        }
        return null;
    }

    private String explain(SQLException e) {
        if (e == null) {
            return "no SQL error reported; retry, and report it if it persists";
        }
        return dialect == Dialect.SQLITE ? explainSqlite(e) : explainPostgres(e);
    }

    private static String explainSqlite(SQLException e) {
        int code = e.getErrorCode() & 0xFF;
        return switch (code) {
            case 5, 6 -> "SQLITE_BUSY: another process held the database lock for more than "
                    + BUSY_TIMEOUT_MS / 1000 + " s; look for a stuck anonymiser process, then retry";
            case 8 -> "SQLITE_READONLY: the database file is read-only; make the db folder and its"
                    + " pseudonyms.sqlite* files writable by this user";
            case 10 -> "SQLITE_IOERR: an input/output error; check the disk and the file system of the db folder";
            case 11 -> "SQLITE_CORRUPT: the database file is damaged; restore db/ from backup";
            case 13 -> "SQLITE_FULL: the disk is full; free space on the db folder's file system";
            case 14 -> "SQLITE_CANTOPEN: the database file cannot be opened; make the db folder and its"
                    + " pseudonyms.sqlite* files readable and writable by this user";
            case 23 -> "SQLITE_AUTH: access denied; make the db folder readable and writable by this user";
            case 26 -> "SQLITE_NOTADB: the file is not an SQLite database; restore it from backup, or move it"
                    + " away to start an empty store";
            default -> "SQLite error code " + e.getErrorCode() + "; check the db folder, or restore it from backup";
        };
    }

    private static String explainPostgres(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String prefix = "SQLState " + (state.isEmpty() ? "unknown" : state) + ": ";
        if (state.equals("28P01") || state.equals("28000")) {
            return prefix + "authentication failed; check the user and password given for the store"
                    + " (in the JDBC URL or the connection properties) and the server's pg_hba.conf";
        }
        if (state.equals("3D000")) {
            return prefix + "the database does not exist; create it, or fix the database name in the JDBC URL";
        }
        if (state.equals("3F000")) {
            return prefix + "the schema does not exist; create it, or fix currentSchema in the JDBC URL";
        }
        if (state.equals("42501")) {
            return prefix + "permission denied; grant this user the right to create tables and to read and"
                    + " write them in the store's schema";
        }
        if (state.startsWith("08")) {
            return prefix + "the server cannot be reached; check host and port in the JDBC URL, that PostgreSQL"
                    + " runs and that it accepts connections from this machine";
        }
        if (state.startsWith("53")) {
            return prefix + "the server is out of resources (disk, memory or connections); ask its administrator";
        }
        if (state.startsWith("57")) {
            return prefix + "the server is shutting down or cancelled the statement; retry when it is back";
        }
        if (state.startsWith("40")) {
            return prefix + "the transaction was cancelled by a conflict; retry";
        }
        if (state.startsWith("22")) {
            return prefix + "a value could not be stored; check the input's encoding";
        }
        return prefix + "the PostgreSQL server refused the operation; check the server log at this time";
    }
}
