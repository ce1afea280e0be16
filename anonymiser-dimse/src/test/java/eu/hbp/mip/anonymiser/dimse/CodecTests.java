package eu.hbp.mip.anonymiser.dimse;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CodecTests {

    @Test
    void commandSetRoundTripsWithItsGroupLengthAndPadding() throws Exception {
        Elements c = new Elements().putString(Dicom.AFFECTED_SOP_CLASS_UID, "1.2.840.10008.1.1")
                .putUs(Dicom.COMMAND_FIELD, Dicom.C_ECHO_RQ).putUs(Dicom.MESSAGE_ID, 7)
                .putUs(Dicom.COMMAND_DATA_SET_TYPE, Dicom.NO_DATA_SET);
        byte[] bytes = c.encode(true);
        assertEquals(0, bytes.length % 2);
        assertEquals(bytes.length - 12, bytes[8] & 0xFF, "the group length counts what follows it");
        Elements back = Elements.decode(bytes);
        assertEquals("1.2.840.10008.1.1", back.string(Dicom.AFFECTED_SOP_CLASS_UID).orElseThrow());
        assertEquals(7, back.us(Dicom.MESSAGE_ID));
        assertArrayEquals(bytes, back.encode(true));
    }

    @Test
    void elementLongerThanItsBufferIsRefused() {
        byte[] bytes = {0x00, 0x00, 0x00, 0x01, (byte) 0xFF, (byte) 0xFF, 0x00, 0x00, 1, 2};
        ProtocolException e = assertThrows(ProtocolException.class, () -> Elements.decode(bytes));
        assertEquals(ProtocolException.INVALID_PARAMETER, e.reason());
    }

    @Test
    void sequencesOfUndefinedLengthAreSkippedAndTopLevelValuesKept() throws Exception {
        Elements e = new Elements().putString(Dicom.PATIENT_ID, "X1");
        byte[] flat = e.encode(false);
        byte[] seq = {
            0x08, 0x00, 0x15, 0x11, -1, -1, -1, -1, // (0008,1115) SQ, undefined length
            -2, -1, 0x00, -32, -1, -1, -1, -1, // item, undefined length
            0x08, 0x00, 0x50, 0x11, 2, 0, 0, 0, 'A', 'B', // (0008,1150) inside the item
            -2, -1, 0x0D, -32, 0, 0, 0, 0, // item delimiter
            -2, -1, -35, -32, 0, 0, 0, 0, // sequence delimiter
        };
        byte[] all = new byte[seq.length + flat.length];
        System.arraycopy(seq, 0, all, 0, seq.length);
        System.arraycopy(flat, 0, all, seq.length, flat.length);
        Elements back = Elements.decode(all);
        assertEquals("X1", back.string(Dicom.PATIENT_ID).orElseThrow());
        assertEquals(false, back.has(0x00081150), "elements inside a sequence are not top-level values");
    }

    @Test
    void associateRequestRoundTrips() throws Exception {
        Pdu.AssociateRq rq = new Pdu.AssociateRq("CALLED", "CALLING", Dicom.APPLICATION_CONTEXT,
                List.of(new Pdu.Proposed(1, Dicom.VERIFICATION, List.of(Dicom.IMPLICIT_LE, Dicom.EXPLICIT_LE)),
                        new Pdu.Proposed(3, "1.2.840.10008.5.1.4.1.1.4", List.of("1.2.840.10008.1.2.4.50"))),
                16384, Dicom.IMPLEMENTATION_CLASS_UID);
        Pdu.AssociateRq back = Pdu.AssociateRq.decode(rq.encode());
        assertEquals(rq, back);
    }

    @Test
    void associateRequestWithItemsPastItsEndIsRefused() {
        byte[] body = new byte[80];
        body[68] = 0x10;
        body[70] = 0x7F; // an application context item of 32 KiB in 8 bytes
        assertThrows(ProtocolException.class, () -> Pdu.AssociateRq.decode(body));
    }

    @Test
    void storageAcceptsStandardStorageAndPrivateClassesButNotQueryModels() {
        assertEquals(true, Dicom.isStorage("1.2.840.10008.5.1.4.1.1.4"));
        assertEquals(true, Dicom.isStorage("1.3.12.2.1107.5.9.1"));
        assertEquals(false, Dicom.isStorage(Dicom.STUDY_ROOT_FIND));
        assertEquals(true, Dicom.isStorageSyntax("1.2.840.10008.1.2.4.90"));
        assertEquals(false, Dicom.isStorageSyntax("1.2.840.10008.1.20"));
    }

    @Test
    void fileMetaDeclaresItsGroupLengthAndTransferSyntax() {
        byte[] meta = StoreScp.fileMeta("1.2.840.10008.5.1.4.1.1.4", "1.2.3", Dicom.EXPLICIT_BE);
        assertEquals("DICM", new String(meta, 128, 4, java.nio.charset.StandardCharsets.US_ASCII));
        int groupLength = java.nio.ByteBuffer.wrap(meta, 140, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        assertEquals(meta.length - 144, groupLength);
        assertEquals(true, new String(meta, java.nio.charset.StandardCharsets.US_ASCII).contains(Dicom.EXPLICIT_BE));
    }
}
