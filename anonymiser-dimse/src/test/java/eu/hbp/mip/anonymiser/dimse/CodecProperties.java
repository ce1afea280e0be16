package eu.hbp.mip.anonymiser.dimse;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;

import static org.junit.jupiter.api.Assertions.assertTrue;

class CodecProperties {

    /** Any bytes decode to elements or a ProtocolException, never another exception. */
    @Property(tries = 2000)
    void anyBytesDecodeAsElementsOrAreRefused(@ForAll @Size(max = 300) byte[] bytes) {
        try {
            Elements.decode(bytes);
        } catch (ProtocolException e) {
            assertTrue(e.getMessage().startsWith("malformed data set at byte "), e.getMessage());
        }
    }

    /** Any bytes decode to an A-ASSOCIATE-RQ or a ProtocolException, never another exception. */
    @Property(tries = 2000)
    void anyBytesDecodeAsAnAssociateRequestOrAreRefused(@ForAll @Size(max = 400) byte[] bytes) {
        try {
            Pdu.AssociateRq.decode(bytes);
        } catch (ProtocolException e) {
            assertTrue(e.reason() == ProtocolException.INVALID_PARAMETER, e.getMessage());
        }
    }

    /** A PDU header never makes the reader allocate more than its limit. */
    @Property(tries = 500)
    void pduReaderNeverAllocatesPastItsLimit(@ForAll @Size(min = 6, max = 64) byte[] bytes) throws Exception {
        int limit = 32;
        try {
            Pdu.Raw raw = Pdu.read(new DataInputStream(new ByteArrayInputStream(bytes)), limit);
            assertTrue(raw.body().length <= limit);
        } catch (ProtocolException | EOFException e) {
            assertTrue(e.getMessage() == null || !e.getMessage().isEmpty());
        }
    }

    /** What is encoded decodes to the same values. */
    @Property(tries = 500)
    void encodedCommandsDecodeToTheirValues(@ForAll int messageId, @ForAll("uids") String uid) throws Exception {
        Elements c = new Elements().putUs(Dicom.MESSAGE_ID, messageId & 0xFFFF)
                .putString(Dicom.AFFECTED_SOP_INSTANCE_UID, uid);
        Elements back = Elements.decode(c.encode(true));
        assertTrue(back.us(Dicom.MESSAGE_ID) == (messageId & 0xFFFF));
        assertTrue(back.string(Dicom.AFFECTED_SOP_INSTANCE_UID).orElseThrow().equals(uid));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> uids() {
        return net.jqwik.api.Arbitraries.strings().withChars("0123456789.").ofMinLength(1).ofMaxLength(64)
                .filter(s -> !s.startsWith(".") && !s.endsWith("."));
    }
}
