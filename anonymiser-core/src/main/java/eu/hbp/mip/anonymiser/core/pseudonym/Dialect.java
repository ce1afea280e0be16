package eu.hbp.mip.anonymiser.core.pseudonym;

import java.util.List;

/**
 * The SQL that differs between the two supported databases. Times are bound and
 * read as epoch milliseconds; SQLite stores them so, PostgreSQL as
 * {@code TIMESTAMPTZ} for the benefit of people querying it.
 */
enum Dialect {
    SQLITE("SQLite") {
        @Override
        String insertIgnoreRows(String table, String columns, String rows) {
            return "INSERT OR IGNORE INTO " + table + " (" + columns + ") VALUES " + rows;
        }

        @Override
        String timeParam(String name) {
            return ":" + name;
        }

        @Override
        String timePlaceholder() {
            return "?";
        }

        @Override
        String timeColumn(String column) {
            return column;
        }

        @Override
        List<String> lockForMigration() {
            // the connection begins transactions IMMEDIATE: the write lock is taken at BEGIN
            return List.of();
        }

        @Override
        String textType(int maxLength) {
            return "TEXT";
        }

        @Override
        String timeType() {
            return "INTEGER";
        }

        @Override
        String clusteredSuffix() {
            // the primary key is the table: one b-tree less to update per row
            return " WITHOUT ROWID";
        }
    },
    POSTGRESQL("PostgreSQL") {
        @Override
        String insertIgnoreRows(String table, String columns, String rows) {
            return "INSERT INTO " + table + " (" + columns + ") VALUES " + rows + " ON CONFLICT DO NOTHING";
        }

        @Override
        String timeParam(String name) {
            return "TO_TIMESTAMP(CAST(:" + name + " AS DOUBLE PRECISION) / 1000)";
        }

        @Override
        String timePlaceholder() {
            return "TO_TIMESTAMP(CAST(? AS DOUBLE PRECISION) / 1000)";
        }

        @Override
        String timeColumn(String column) {
            return "CAST(ROUND(EXTRACT(EPOCH FROM " + column + ") * 1000) AS BIGINT)";
        }

        @Override
        List<String> lockForMigration() {
            // one migrating process per database at a time; released at commit
            return List.of("SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")) AS l");
        }

        @Override
        String textType(int maxLength) {
            return maxLength > 0 ? "VARCHAR(" + maxLength + ")" : "TEXT";
        }

        @Override
        String timeType() {
            return "TIMESTAMP WITH TIME ZONE";
        }

        @Override
        String clusteredSuffix() {
            return "";
        }
    };

    /** An arbitrary constant naming the migration advisory lock ("MIPPSEUD"). */
    private static final long MIGRATION_LOCK = 0x4D49505053455544L;

    private final String label;

    Dialect(String label) {
        this.label = label;
    }

    /** @return the database's name for messages */
    String label() {
        return label;
    }

    /** @return an insert of one row that silently skips it if it violates a unique constraint */
    String insertIgnore(String table, String columns, String values) {
        return insertIgnoreRows(table, columns, "(" + values + ")");
    }

    /** @return an insert of {@code rows} ("(...), (...)") that silently skips those violating a unique constraint */
    abstract String insertIgnoreRows(String table, String columns, String rows);

    /** @return the SQL expression converting epoch milliseconds bound to {@code :name} */
    abstract String timeParam(String name);

    /** @return the SQL expression converting epoch milliseconds bound to a positional {@code ?} */
    abstract String timePlaceholder();

    /** @return the SQL expression reading a time column as epoch milliseconds */
    abstract String timeColumn(String column);

    /** @return statements run first in the migration transaction to exclude other migrators */
    abstract List<String> lockForMigration();

    /** @return the column type of text bounded by {@code maxLength} (0: unbounded) */
    abstract String textType(int maxLength);

    /** @return the column type of an instant */
    abstract String timeType();

    /** @return what follows {@code CREATE TABLE (...)} for a table organised by its primary key */
    abstract String clusteredSuffix();
}
