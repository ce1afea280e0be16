/** The CSV anonymiser. It exports nothing: it only provides an {@code AnonymiserProvider}. */
module eu.hbp.mip.anonymiser.csv {
    requires eu.hbp.mip.anonymiser.api;
    requires eu.hbp.mip.anonymiser.core;
    requires org.apache.commons.csv;
    requires com.fasterxml.jackson.annotation;
    requires com.fasterxml.jackson.databind;

    opens eu.hbp.mip.anonymiser.csv to com.fasterxml.jackson.databind;

    provides eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider
            with eu.hbp.mip.anonymiser.csv.CsvAnonymiserProvider;
}
