/**
 * DICOM de-identification profiles: the YAML format ({@link eu.hbp.mip.anonymiser.dicom.profile.ProfileFile},
 * {@link eu.hbp.mip.anonymiser.dicom.profile.PixelRulesFile}), the compiled profile that decides an action per
 * element ({@link eu.hbp.mip.anonymiser.dicom.profile.DicomProfile}), PS3.15 Table E.1-1 generated from the
 * standard ({@link eu.hbp.mip.anonymiser.dicom.profile.Ps315Table}) with its options and action codes, and the
 * shipped profiles ({@code mip-default}, {@code ps3.15-basic}). Not exported from the module.
 */
package eu.hbp.mip.anonymiser.dicom.profile;
