/**
 * The engine shared by every format: keyed pseudonyms and the Jdbi pseudonym
 * store, date reduction and shifting, strict profile loading, and the crash-safe
 * move of a file from {@code in/} to {@code out/} or {@code quarantine/}.
 */
module eu.hbp.mip.anonymiser.core {
    requires transitive eu.hbp.mip.anonymiser.api;
    requires java.sql;
    requires org.jdbi.v3.core;
    // JDBC drivers of the pseudonym store, found by DriverManager at run time
    requires org.xerial.sqlitejdbc;
    requires org.postgresql.jdbc;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;

    exports eu.hbp.mip.anonymiser.core.pseudonym;
    exports eu.hbp.mip.anonymiser.core.dates;
    exports eu.hbp.mip.anonymiser.core.profile;
    exports eu.hbp.mip.anonymiser.core.move;
}
