/**
 * The one pipeline of the MIP Anonymiser: every source (the folder, a DICOMweb pull, DIMSE)
 * hands complete files to {@link eu.hbp.mip.anonymiser.pipeline.Pipeline}, which claims,
 * recognises, anonymises, gates on consent, indexes and publishes or quarantines them. It
 * names no format: formats are providers found through {@link java.util.ServiceLoader}.
 */
module eu.hbp.mip.anonymiser.pipeline {
    requires transitive eu.hbp.mip.anonymiser.api;
    requires transitive eu.hbp.mip.anonymiser.core;
    requires java.sql;
    requires org.jdbi.v3.core;
    requires org.apache.commons.csv;
    requires com.fasterxml.jackson.databind;
    requires java.net.http;

    exports eu.hbp.mip.anonymiser.pipeline;
    exports eu.hbp.mip.anonymiser.pipeline.pacs;

    uses eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider;
}
