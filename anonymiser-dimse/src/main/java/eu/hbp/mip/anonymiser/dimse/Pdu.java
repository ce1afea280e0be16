package eu.hbp.mip.anonymiser.dimse;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The PDUs of the DICOM upper layer (PS3.8 9.3): framing with a bounded length, and the
 * A-ASSOCIATE-RQ, -AC and -RJ codecs. A PDU whose length exceeds the reader's limit is
 * refused before a byte of its body is allocated.
 */
final class Pdu {

    static final int ASSOCIATE_RQ = 0x01;
    static final int ASSOCIATE_AC = 0x02;
    static final int ASSOCIATE_RJ = 0x03;
    static final int P_DATA_TF = 0x04;
    static final int RELEASE_RQ = 0x05;
    static final int RELEASE_RP = 0x06;
    static final int ABORT = 0x07;

    /** The largest A-ASSOCIATE PDU accepted (ample for 128 presentation contexts of long UIDs). */
    static final int MAX_ASSOCIATE_LENGTH = 1 << 20;

    private static final int APPLICATION_CONTEXT_ITEM = 0x10;
    private static final int PRESENTATION_CONTEXT_RQ_ITEM = 0x20;
    private static final int PRESENTATION_CONTEXT_AC_ITEM = 0x21;
    private static final int ABSTRACT_SYNTAX_ITEM = 0x30;
    private static final int TRANSFER_SYNTAX_ITEM = 0x40;
    private static final int USER_INFORMATION_ITEM = 0x50;
    private static final int MAX_LENGTH_ITEM = 0x51;
    private static final int IMPLEMENTATION_CLASS_ITEM = 0x52;
    private static final int IMPLEMENTATION_VERSION_ITEM = 0x55;

    /** Presentation context results (PS3.8 9.3.3.2). */
    static final int ACCEPTANCE = 0;
    static final int USER_REJECTION = 1;
    static final int ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
    static final int TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

    private Pdu() {
    }

    /** A PDU as read: its type and body. */
    record Raw(int type, byte[] body) {
    }

    /**
     * Reads one PDU.
     *
     * @param limit the largest body accepted
     * @throws ProtocolException if the type is unknown or the length exceeds {@code limit}
     * @throws java.io.EOFException if the peer closed the connection
     */
    static Raw read(DataInputStream in, int limit) throws IOException {
        int type = in.readUnsignedByte();
        in.readUnsignedByte();
        long length = in.readInt() & 0xFFFFFFFFL;
        if (type < ASSOCIATE_RQ || type > ABORT) {
            throw new ProtocolException(ProtocolException.UNRECOGNIZED_PDU, "unknown PDU type 0x"
                    + Integer.toHexString(type));
        }
        if (length > limit) {
            throw new ProtocolException(ProtocolException.INVALID_PARAMETER, "PDU of type 0x"
                    + Integer.toHexString(type) + " announces " + length + " bytes, over the limit of " + limit);
        }
        byte[] body = new byte[(int) length];
        in.readFully(body);
        return new Raw(type, body);
    }

    static byte[] frame(int type, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(6 + body.length);
        b.put((byte) type).put((byte) 0).putInt(body.length).put(body);
        return b.array();
    }

    /** A proposed presentation context. */
    record Proposed(int id, String abstractSyntax, List<String> transferSyntaxes) {
    }

    /** A presentation context as answered: accepted with one transfer syntax, or refused with a reason. */
    record Answered(int id, int result, String transferSyntax) {
    }

    /** An A-ASSOCIATE-RQ. */
    record AssociateRq(String calledAe, String callingAe, String applicationContext, List<Proposed> contexts,
                       long maxLength, String implementationClass) {

        byte[] encode() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            header(out, calledAe, callingAe);
            item(out, APPLICATION_CONTEXT_ITEM, ascii(applicationContext));
            for (Proposed p : contexts) {
                ByteArrayOutputStream pc = new ByteArrayOutputStream();
                pc.write(p.id());
                pc.writeBytes(new byte[3]);
                item(pc, ABSTRACT_SYNTAX_ITEM, ascii(p.abstractSyntax()));
                for (String ts : p.transferSyntaxes()) {
                    item(pc, TRANSFER_SYNTAX_ITEM, ascii(ts));
                }
                item(out, PRESENTATION_CONTEXT_RQ_ITEM, pc.toByteArray());
            }
            userInformation(out, maxLength, implementationClass);
            return out.toByteArray();
        }

        static AssociateRq decode(byte[] body) throws ProtocolException {
            try {
                ByteBuffer b = ByteBuffer.wrap(body);
                b.getShort(); // protocol version: bit 0 set; later versions are accepted as PS3.8 asks
                b.getShort();
                String called = ae(b);
                String calling = ae(b);
                b.position(b.position() + 32);
                String context = null;
                List<Proposed> contexts = new ArrayList<>();
                long max = 0;
                String impl = "";
                while (b.hasRemaining()) {
                    int type = b.get() & 0xFF;
                    b.get();
                    ByteBuffer item = slice(b);
                    switch (type) {
                        case APPLICATION_CONTEXT_ITEM -> context = uid(item, item.remaining());
                        case PRESENTATION_CONTEXT_RQ_ITEM -> contexts.add(proposed(item));
                        case USER_INFORMATION_ITEM -> {
                            while (item.hasRemaining()) {
                                int sub = item.get() & 0xFF;
                                item.get();
                                ByteBuffer s = slice(item);
                                if (sub == MAX_LENGTH_ITEM) {
                                    max = s.getInt() & 0xFFFFFFFFL;
                                } else if (sub == IMPLEMENTATION_CLASS_ITEM) {
                                    impl = uid(s, s.remaining());
                                }
                            }
                        }
                        default -> {
                            // PS3.8 9.3.2: unknown items are ignored
                        }
                    }
                }
                if (context == null) {
                    throw new ProtocolException(ProtocolException.INVALID_PARAMETER,
                            "A-ASSOCIATE-RQ without an application context item");
                }
                return new AssociateRq(called, calling, context, contexts, max, impl);
            } catch (BufferUnderflowException | IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new ProtocolException(ProtocolException.INVALID_PARAMETER,
                        "A-ASSOCIATE-RQ item lengths run past the PDU");
            }
        }

        private static Proposed proposed(ByteBuffer item) throws ProtocolException {
            int id = item.get() & 0xFF;
            item.position(item.position() + 3);
            String abstractSyntax = null;
            List<String> ts = new ArrayList<>();
            while (item.hasRemaining()) {
                int sub = item.get() & 0xFF;
                item.get();
                ByteBuffer s = slice(item);
                if (sub == ABSTRACT_SYNTAX_ITEM) {
                    abstractSyntax = uid(s, s.remaining());
                } else if (sub == TRANSFER_SYNTAX_ITEM) {
                    ts.add(uid(s, s.remaining()));
                }
            }
            if (abstractSyntax == null || ts.isEmpty()) {
                throw new ProtocolException(ProtocolException.INVALID_PARAMETER, "presentation context " + id
                        + " lacks its abstract syntax or transfer syntaxes");
            }
            return new Proposed(id, abstractSyntax, List.copyOf(ts));
        }
    }

    /** An A-ASSOCIATE-AC. */
    record AssociateAc(String calledAe, String callingAe, List<Answered> contexts, long maxLength,
                       String implementationClass) {

        byte[] encode() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            header(out, calledAe, callingAe);
            item(out, APPLICATION_CONTEXT_ITEM, ascii(Dicom.APPLICATION_CONTEXT));
            for (Answered a : contexts) {
                ByteArrayOutputStream pc = new ByteArrayOutputStream();
                pc.write(a.id());
                pc.write(0);
                pc.write(a.result());
                pc.write(0);
                item(pc, TRANSFER_SYNTAX_ITEM, ascii(a.transferSyntax()));
                item(out, PRESENTATION_CONTEXT_AC_ITEM, pc.toByteArray());
            }
            userInformation(out, maxLength, implementationClass);
            return out.toByteArray();
        }

        static AssociateAc decode(byte[] body) throws ProtocolException {
            try {
                ByteBuffer b = ByteBuffer.wrap(body);
                b.getInt();
                String called = ae(b);
                String calling = ae(b);
                b.position(b.position() + 32);
                List<Answered> contexts = new ArrayList<>();
                long max = 0;
                String impl = "";
                while (b.hasRemaining()) {
                    int type = b.get() & 0xFF;
                    b.get();
                    ByteBuffer item = slice(b);
                    if (type == PRESENTATION_CONTEXT_AC_ITEM) {
                        int id = item.get() & 0xFF;
                        item.get();
                        int result = item.get() & 0xFF;
                        item.get();
                        String ts = "";
                        while (item.hasRemaining()) {
                            int sub = item.get() & 0xFF;
                            item.get();
                            ByteBuffer s = slice(item);
                            if (sub == TRANSFER_SYNTAX_ITEM) {
                                ts = uid(s, s.remaining());
                            }
                        }
                        contexts.add(new Answered(id, result, ts));
                    } else if (type == USER_INFORMATION_ITEM) {
                        while (item.hasRemaining()) {
                            int sub = item.get() & 0xFF;
                            item.get();
                            ByteBuffer s = slice(item);
                            if (sub == MAX_LENGTH_ITEM) {
                                max = s.getInt() & 0xFFFFFFFFL;
                            } else if (sub == IMPLEMENTATION_CLASS_ITEM) {
                                impl = uid(s, s.remaining());
                            }
                        }
                    }
                }
                return new AssociateAc(called, calling, contexts, max, impl);
            } catch (BufferUnderflowException | IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new ProtocolException(ProtocolException.INVALID_PARAMETER,
                        "A-ASSOCIATE-AC item lengths run past the PDU");
            }
        }
    }

    /** A-ASSOCIATE-RJ (PS3.8 9.3.4): result 1 permanent, 2 transient; source; reason. */
    record AssociateRj(int result, int source, int reason) {
        static final int PERMANENT = 1;
        static final int TRANSIENT = 2;
        static final int SOURCE_USER = 1;
        static final int SOURCE_ACSE = 2;
        static final int SOURCE_PRESENTATION = 3;
        static final int NO_REASON = 1;
        static final int APPLICATION_CONTEXT_NOT_SUPPORTED = 2;
        static final int CALLING_AE_NOT_RECOGNIZED = 3;
        static final int CALLED_AE_NOT_RECOGNIZED = 7;
        static final int LOCAL_LIMIT_EXCEEDED = 2;

        byte[] encode() {
            return new byte[] {0, (byte) result, (byte) source, (byte) reason};
        }

        static AssociateRj decode(byte[] body) throws ProtocolException {
            if (body.length < 4) {
                throw new ProtocolException(ProtocolException.INVALID_PARAMETER, "A-ASSOCIATE-RJ shorter than 4 bytes");
            }
            return new AssociateRj(body[1] & 0xFF, body[2] & 0xFF, body[3] & 0xFF);
        }

        String describe() {
            String why = switch (source) {
                case SOURCE_USER -> switch (reason) {
                    case APPLICATION_CONTEXT_NOT_SUPPORTED -> "application context not supported";
                    case CALLING_AE_NOT_RECOGNIZED -> "our (calling) AE title is not known to the peer";
                    case CALLED_AE_NOT_RECOGNIZED -> "the called AE title is not the peer's";
                    default -> "refused by the peer";
                };
                case SOURCE_PRESENTATION -> reason == LOCAL_LIMIT_EXCEEDED ? "the peer's association limit is reached"
                        : "the peer is congested";
                default -> "protocol version or ACSE refusal";
            };
            return (result == TRANSIENT ? "transient" : "permanent") + " rejection: " + why;
        }
    }

    private static void header(ByteArrayOutputStream out, String called, String calling) {
        out.write(0);
        out.write(1); // protocol version 1
        out.write(0);
        out.write(0);
        out.writeBytes(aeBytes(called));
        out.writeBytes(aeBytes(calling));
        out.writeBytes(new byte[32]);
    }

    private static void userInformation(ByteArrayOutputStream out, long maxLength, String impl) {
        ByteArrayOutputStream ui = new ByteArrayOutputStream();
        item(ui, MAX_LENGTH_ITEM, ByteBuffer.allocate(4).putInt((int) maxLength).array());
        item(ui, IMPLEMENTATION_CLASS_ITEM, ascii(impl));
        item(ui, IMPLEMENTATION_VERSION_ITEM, ascii(Dicom.IMPLEMENTATION_VERSION));
        item(out, USER_INFORMATION_ITEM, ui.toByteArray());
    }

    private static void item(ByteArrayOutputStream out, int type, byte[] value) {
        out.write(type);
        out.write(0);
        out.write(value.length >>> 8);
        out.write(value.length);
        out.writeBytes(value);
    }

    private static ByteBuffer slice(ByteBuffer b) {
        int length = b.getShort() & 0xFFFF;
        ByteBuffer s = b.slice(b.position(), length);
        b.position(b.position() + length);
        return s;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] aeBytes(String ae) {
        byte[] b = new byte[16];
        java.util.Arrays.fill(b, (byte) ' ');
        byte[] v = ascii(ae);
        System.arraycopy(v, 0, b, 0, Math.min(16, v.length));
        return b;
    }

    private static String ae(ByteBuffer b) {
        byte[] v = new byte[16];
        b.get(v);
        return new String(v, StandardCharsets.US_ASCII).trim();
    }

    private static String uid(ByteBuffer b, int length) {
        byte[] v = new byte[length];
        b.get(v);
        int end = v.length;
        while (end > 0 && (v[end - 1] == 0 || v[end - 1] == ' ')) {
            end--;
        }
        return new String(v, 0, end, StandardCharsets.US_ASCII);
    }
}
