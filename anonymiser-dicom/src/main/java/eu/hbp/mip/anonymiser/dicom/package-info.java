/**
 * The DICOM anonymiser and its provider ({@code dicom}): safety gates, per-element
 * de-identification by profile, the header-seeded free-text net ({@code FreeTextNet}), ages of
 * 90 and over ({@code AgeCap}), the burned-in text check with Tesseract ({@code BurnedInTextCheck}),
 * the de-identification record, pixel blanking and output names. Nothing here is public API; the module only provides an {@code AnonymiserProvider}.
 */
package eu.hbp.mip.anonymiser.dicom;
