/** The Dicom anonymiser. It exports nothing: it only provides an {@code AnonymiserProvider}. */
module eu.hbp.mip.anonymiser.dicom {
    requires eu.hbp.mip.anonymiser.api;
    requires eu.hbp.mip.anonymiser.core;

    provides eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider
            with eu.hbp.mip.anonymiser.dicom.DicomAnonymiserProvider;
}
