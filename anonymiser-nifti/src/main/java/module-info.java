/**
 * The NIfTI anonymiser: NIfTI-1 and NIfTI-2 images and their JSON sidecars. It exports
 * nothing: it only provides an {@code AnonymiserProvider}.
 */
module eu.hbp.mip.anonymiser.nifti {
    requires eu.hbp.mip.anonymiser.api;
    requires eu.hbp.mip.anonymiser.core;
    requires com.fasterxml.jackson.annotation;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;

    opens eu.hbp.mip.anonymiser.nifti to com.fasterxml.jackson.databind;

    provides eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider
            with eu.hbp.mip.anonymiser.nifti.NiftiAnonymiserProvider;
}
