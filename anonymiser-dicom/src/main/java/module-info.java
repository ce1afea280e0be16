/** The Dicom anonymiser. It exports nothing: it only provides an {@code AnonymiserProvider}. */
module eu.hbp.mip.anonymiser.dicom {
    requires eu.hbp.mip.anonymiser.api;
    requires eu.hbp.mip.anonymiser.core;
    requires com.fasterxml.jackson.annotation;
    requires com.fasterxml.jackson.databind;
    // the burned-in text check only: optional, so that a module path without Tesseract still
    // resolves (the anonymiser then refuses, when created, a profile that needs OCR)
    requires static tess4j;
    requires static com.sun.jna;

    // profile records are bound by Jackson through ProfileFiles
    opens eu.hbp.mip.anonymiser.dicom.profile to com.fasterxml.jackson.databind;

    provides eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider
            with eu.hbp.mip.anonymiser.dicom.DicomAnonymiserProvider;
}
