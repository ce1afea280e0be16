/**
 * DIMSE sources of the pipeline. {@link eu.hbp.mip.anonymiser.dimse.StoreScp} listens for
 * associations and receives C-STORE requests into {@code pacs/download}; each instance, once
 * complete and forced to disk, is answered with status {@code 0000} and handed to the pipeline
 * on {@link eu.hbp.mip.anonymiser.pipeline.Route#pacs its PACS route}.
 * {@link eu.hbp.mip.anonymiser.dimse.DimseScu} finds studies (C-FIND, Study Root) and pulls
 * them with C-MOVE to a {@code StoreScp} of its own. Everything else (the PDU codec, the
 * command-set codec, the association state) is package-private.
 *
 * <p>Nothing here logs or prints; no exception message, counter or file name holds a patient
 * value (received files are named by random UUIDs).
 */
package eu.hbp.mip.anonymiser.dimse;
