/**
 * Pulling studies from a PACS over DICOMweb and anonymising them into the folder
 * contract's {@code pacs/} folders.
 *
 * <p>{@link eu.hbp.mip.anonymiser.pipeline.pacs.PacsPull} is the DICOMweb source of the one
 * pipeline, for the runner's {@code pacs} command and for an embedding service: QIDO-RS to find studies (date range, modality,
 * a cohort of patient IDs), WADO-RS to retrieve each instance into {@code pacs/download}
 * (streamed through a multipart parser, any transfer syntax), each complete file handed to
 * the {@link eu.hbp.mip.anonymiser.pipeline.Pipeline} on its PACS route ({@code pacs/dicoms}
 * or {@code quarantine/pacs}),
 * a resumable journal, and a manifest of pseudonyms, replacement UIDs and months in
 * {@code pacs/csv}. Connection settings are a
 * {@link eu.hbp.mip.anonymiser.pipeline.pacs.PacsConnection} with
 * {@link eu.hbp.mip.anonymiser.pipeline.pacs.PacsAuth} credentials; failures of the server
 * are {@link eu.hbp.mip.anonymiser.pipeline.pacs.PacsException}s.
 *
 * <p>Nothing here prints, logs or writes an original patient value: messages name the
 * server's base URL, never a query (patient IDs travel in QIDO queries).
 */
package eu.hbp.mip.anonymiser.pipeline.pacs;
