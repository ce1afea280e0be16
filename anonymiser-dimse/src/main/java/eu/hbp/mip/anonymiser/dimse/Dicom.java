package eu.hbp.mip.anonymiser.dimse;

/** The UIDs, command fields, tags and status codes of PS3.4, PS3.5 and PS3.7 this module uses. */
final class Dicom {

    private Dicom() {
    }

    /** The DICOM application context (PS3.7 A.2.1). */
    static final String APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";
    /** This implementation's class UID (a UUID-derived UID, PS3.5 B.2) and version name. */
    static final String IMPLEMENTATION_CLASS_UID = "2.25.171712579046269384977695672373643671284";
    static final String IMPLEMENTATION_VERSION = "MIP_ANON_0.1";

    static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    static final String DEFLATED_LE = "1.2.840.10008.1.2.1.99";
    static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";
    /** Every standard transfer syntax lives under this root (PS3.6 Annex A). */
    static final String TRANSFER_SYNTAX_ROOT = "1.2.840.10008.1.2";

    static final String VERIFICATION = "1.2.840.10008.1.1";
    /** The root of the storage SOP classes of PS3.4 Annex B (images, SR, waveforms, ...). */
    static final String STORAGE_ROOT = "1.2.840.10008.5.1.4.1.1.";
    /** The root of every UID the standard defines. */
    static final String STANDARD_ROOT = "1.2.840.10008.";
    static final String STUDY_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.2.1";
    static final String STUDY_ROOT_MOVE = "1.2.840.10008.5.1.4.1.2.2.2";

    /** Command fields (PS3.7 E.1). */
    static final int C_STORE_RQ = 0x0001;
    static final int C_FIND_RQ = 0x0020;
    static final int C_MOVE_RQ = 0x0021;
    static final int C_ECHO_RQ = 0x0030;
    static final int C_CANCEL_RQ = 0x0FFF;
    static final int RESPONSE = 0x8000;

    /** Command elements (group 0000). */
    static final int COMMAND_GROUP_LENGTH = 0x00000000;
    static final int AFFECTED_SOP_CLASS_UID = 0x00000002;
    static final int COMMAND_FIELD = 0x00000100;
    static final int MESSAGE_ID = 0x00000110;
    static final int MESSAGE_ID_BEING_RESPONDED_TO = 0x00000120;
    static final int MOVE_DESTINATION = 0x00000600;
    static final int PRIORITY = 0x00000700;
    static final int COMMAND_DATA_SET_TYPE = 0x00000800;
    static final int STATUS = 0x00000900;
    static final int ERROR_COMMENT = 0x00000902;
    static final int AFFECTED_SOP_INSTANCE_UID = 0x00001000;
    static final int NUMBER_OF_REMAINING = 0x00001020;
    static final int NUMBER_OF_COMPLETED = 0x00001021;
    static final int NUMBER_OF_FAILED = 0x00001022;
    static final int NUMBER_OF_WARNING = 0x00001023;
    /** The value of (0000,0800) that says no data set follows. */
    static final int NO_DATA_SET = 0x0101;

    /** Statuses (PS3.7 Annex C). */
    static final int SUCCESS = 0x0000;
    static final int PENDING = 0xFF00;
    static final int PENDING_WARNING = 0xFF01;
    static final int OUT_OF_RESOURCES = 0xA700;
    static final int PROCESSING_FAILURE = 0x0110;
    static final int UNRECOGNIZED_OPERATION = 0x0211;
    static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;

    /** Identifier attributes (PS3.6). */
    static final int SPECIFIC_CHARACTER_SET = 0x00080005;
    static final int STUDY_DATE = 0x00080020;
    static final int QUERY_RETRIEVE_LEVEL = 0x00080052;
    static final int MODALITIES_IN_STUDY = 0x00080061;
    static final int SOP_INSTANCE_UID = 0x00080018;
    static final int PATIENT_ID = 0x00100020;
    static final int STUDY_INSTANCE_UID = 0x0020000D;
    static final int SERIES_INSTANCE_UID = 0x0020000E;
    static final int NUMBER_OF_STUDY_RELATED_INSTANCES = 0x00201208;

    /** @return whether C-STORE accepts this abstract syntax: a PS3.4 storage class, or a private (non-standard) one */
    static boolean isStorage(String sopClass) {
        return sopClass.startsWith(STORAGE_ROOT) || !sopClass.startsWith(STANDARD_ROOT);
    }

    /** @return whether a storage context may use this transfer syntax: any standard one (uncompressed, deflated, encapsulated) */
    static boolean isStorageSyntax(String ts) {
        return ts.equals(TRANSFER_SYNTAX_ROOT) || ts.startsWith(TRANSFER_SYNTAX_ROOT + ".");
    }

    /** @return whether this is one of the uncompressed (native) transfer syntaxes used for commands and queries */
    static boolean isNative(String ts) {
        return ts.equals(IMPLICIT_LE) || ts.equals(EXPLICIT_LE) || ts.equals(EXPLICIT_BE);
    }
}
