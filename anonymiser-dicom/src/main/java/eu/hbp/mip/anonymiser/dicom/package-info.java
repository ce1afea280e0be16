/**
 * The DICOM anonymiser and its provider ({@code dicom}): safety gates, per-element
 * de-identification by profile, the de-identification record, pixel blanking and output
 * names. Nothing here is public API; the module only provides an {@code AnonymiserProvider}.
 */
package eu.hbp.mip.anonymiser.dicom;
