/**
 * A streaming DICOM Part 10 codec built for anonymisation at disk speed: the header is read
 * into an editable {@link eu.hbp.mip.anonymiser.dicom.codec.DataSet}, pixel data and other bulk
 * values stay in the source file and are copied through with {@code FileChannel.transferTo}.
 *
 * <p>Entry points: {@link eu.hbp.mip.anonymiser.dicom.codec.DicomReader} (with
 * {@link eu.hbp.mip.anonymiser.dicom.codec.ReadLimits}),
 * {@link eu.hbp.mip.anonymiser.dicom.codec.DicomFile},
 * {@link eu.hbp.mip.anonymiser.dicom.codec.DicomWriter} (with an optional
 * {@link eu.hbp.mip.anonymiser.dicom.codec.PixelDataFilter}), and the
 * {@link eu.hbp.mip.anonymiser.dicom.codec.Dictionary}. Malformed input is a
 * {@link eu.hbp.mip.anonymiser.dicom.codec.DicomFormatException}. Not exported by the module:
 * internal to the DICOM anonymiser.
 */
package eu.hbp.mip.anonymiser.dicom.codec;
