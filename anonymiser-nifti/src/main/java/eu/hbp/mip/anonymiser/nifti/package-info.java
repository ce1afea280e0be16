/**
 * The NIfTI format: NIfTI-1 and NIfTI-2 images ({@code .nii}, {@code .nii.gz}, {@code .hdr/.img}
 * pairs, either byte order) and their BIDS/dcm2niix JSON sidecars, anonymised under one site
 * profile in {@code scripts/nifti/} (see {@code docs/nifti.md}). Nothing here is exported: the
 * format is reached through its {@link eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider}.
 */
package eu.hbp.mip.anonymiser.nifti;
