/**
 * The DICOM upper-layer protocol (PS3.8) and the DIMSE services (PS3.7) the MIP Anonymiser
 * needs, as sources of the one pipeline: a C-ECHO / C-STORE SCP that receives instances into
 * {@code pacs/download} and hands each complete file to
 * {@link eu.hbp.mip.anonymiser.pipeline.Pipeline#process}, and a C-FIND / C-MOVE SCU that
 * finds and pulls studies from a PACS. Written from the standard; no DICOM toolkit.
 */
module eu.hbp.mip.anonymiser.dimse {
    requires transitive eu.hbp.mip.anonymiser.pipeline;

    exports eu.hbp.mip.anonymiser.dimse;
}
