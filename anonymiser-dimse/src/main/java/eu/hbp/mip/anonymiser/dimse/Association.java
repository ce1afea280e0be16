package eu.hbp.mip.anonymiser.dimse;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One established association over a socket (PS3.8): reads P-DATA-TF PDUs as a stream of
 * PDVs, writes DIMSE messages fragmented to the peer's maximum PDU length, and ends by
 * release or abort. Every read has a time-out; every PDU length is bounded by the maximum we
 * announced. Used by one thread at a time.
 */
final class Association implements Closeable {

    /** The maximum PDU length we announce, and so the largest P-DATA-TF we read. */
    static final int MAX_RECEIVE = 256 * 1024;
    /** The largest PDU we send, whatever the peer announces (0 means no limit). */
    static final int MAX_SEND = 256 * 1024;
    /** The largest command set or identifier assembled in memory. */
    static final int MAX_COMMAND = 64 * 1024;
    static final int MAX_IDENTIFIER = 1024 * 1024;

    /** Time-outs: to connect, of the ARTIM timer (PS3.8 9.1.5), and of every read once associated. */
    record Timeouts(Duration connect, Duration artim, Duration read) {
        static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(60));

        static int millis(Duration d) {
            return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
        }
    }

    /** How the peer ended the association while we waited for a PDV. */
    static final class Ended extends IOException {
        private static final long serialVersionUID = 1L;
        final boolean released;

        Ended(boolean released) {
            super(released ? "the peer released the association" : "the peer aborted the association");
            this.released = released;
        }
    }

    /** One presentation data value: a fragment of a command or data set. */
    record Pdv(int context, boolean command, boolean last, byte[] bytes, int offset, int length) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Timeouts timeouts;
    private final Map<Integer, String> transferSyntaxes = new HashMap<>();
    private final Map<Integer, String> abstractSyntaxes = new HashMap<>();
    private final Deque<Pdv> pending = new ArrayDeque<>();
    private int sendLimit = MAX_SEND;
    /** Set by the serving thread while a message is in hand; read by a stopping SCP. */
    volatile boolean busy;
    private volatile boolean closed;

    Association(Socket socket, Timeouts timeouts) throws IOException {
        this.socket = socket;
        this.timeouts = timeouts;
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(Timeouts.millis(timeouts.artim()));
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /**
     * Opens an association as requestor (SCU).
     *
     * @throws DimseException if the peer cannot be reached, rejects us or answers against the protocol
     */
    static Association request(String host, int port, String callingAe, String calledAe, List<Pdu.Proposed> contexts,
                               Timeouts timeouts) {
        return request(host, port, java.util.Optional.empty(), callingAe, calledAe, contexts, timeouts);
    }

    /** Opens an association as requestor, over TLS when {@code tls} is present (the host name is verified). */
    static Association request(String host, int port, java.util.Optional<SSLContext> tls, String callingAe,
                               String calledAe, List<Pdu.Proposed> contexts, Timeouts timeouts) {
        String peer = calledAe + "@" + host + ":" + port;
        Socket socket = new Socket();
        Association a = null;
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), Timeouts.millis(timeouts.connect()));
            if (tls.isPresent()) {
                socket.setSoTimeout(Timeouts.millis(timeouts.artim()));
                SSLSocket secure = (SSLSocket) tls.get().getSocketFactory().createSocket(socket, host, port, true);
                secure.setEnabledProtocols(DimseTls.PROTOCOLS.toArray(String[]::new));
                SSLParameters params = secure.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                secure.setSSLParameters(params);
                try {
                    secure.startHandshake();
                } catch (IOException e) {
                    closeQuietly(secure);
                    throw new DimseException(DimseException.Kind.REFUSED, "the TLS handshake with " + peer
                            + " failed (" + e.getClass().getSimpleName() + "): check that it speaks TLS on this port,"
                            + " that the trust store holds its certificate and that the certificate names " + host, e);
                }
                socket = secure;
            }
            a = new Association(socket, timeouts);
            a.write(Pdu.ASSOCIATE_RQ, new Pdu.AssociateRq(calledAe, callingAe, Dicom.APPLICATION_CONTEXT, contexts,
                    MAX_RECEIVE, Dicom.IMPLEMENTATION_CLASS_UID).encode());
            Pdu.Raw answer = Pdu.read(a.in, Pdu.MAX_ASSOCIATE_LENGTH);
            switch (answer.type()) {
                case Pdu.ASSOCIATE_AC -> {
                    Pdu.AssociateAc ac = Pdu.AssociateAc.decode(answer.body());
                    for (Pdu.Answered c : ac.contexts()) {
                        if (c.result() == Pdu.ACCEPTANCE) {
                            for (Pdu.Proposed p : contexts) {
                                if (p.id() == c.id()) {
                                    a.accept(c.id(), p.abstractSyntax(), c.transferSyntax());
                                }
                            }
                        }
                    }
                    a.peerMaximum(ac.maxLength());
                    socket.setSoTimeout(Timeouts.millis(timeouts.read()));
                    return a;
                }
                case Pdu.ASSOCIATE_RJ -> {
                    Pdu.AssociateRj rj = Pdu.AssociateRj.decode(answer.body());
                    a.close();
                    throw new DimseException(DimseException.Kind.REFUSED, peer + " rejected the association as "
                            + callingAe + " (" + rj.describe() + "); check the AE titles and that the PACS knows "
                            + callingAe);
                }
                case Pdu.ABORT -> throw new DimseException(DimseException.Kind.REFUSED, peer
                        + " aborted the association request");
                default -> throw new ProtocolException(ProtocolException.UNEXPECTED_PDU,
                        "answer of PDU type 0x" + Integer.toHexString(answer.type()) + " to A-ASSOCIATE-RQ");
            }
        } catch (ProtocolException e) {
            if (a != null) {
                a.abort(e.reason());
            }
            throw new DimseException(DimseException.Kind.PROTOCOL, peer + " broke the protocol: " + e.getMessage(), e);
        } catch (SocketTimeoutException e) {
            closeQuietly(socket);
            throw new DimseException(DimseException.Kind.UNREACHABLE, peer + " did not answer within "
                    + timeouts.artim().toSeconds() + " s", e);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new DimseException(DimseException.Kind.UNREACHABLE, "cannot associate with " + peer + " ("
                    + e.getClass().getSimpleName() + "); check the host, port and that the PACS is running", e);
        } catch (RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    void accept(int context, String abstractSyntax, String transferSyntax) {
        abstractSyntaxes.put(context, abstractSyntax);
        transferSyntaxes.put(context, transferSyntax);
    }

    void peerMaximum(long max) {
        sendLimit = max <= 0 || max > MAX_SEND ? MAX_SEND : (int) Math.max(max, 64);
    }

    void readTimeout(Duration d) throws IOException {
        socket.setSoTimeout(Timeouts.millis(d));
    }

    /** @return the accepted transfer syntax of a context, or null */
    String transferSyntax(int context) {
        return transferSyntaxes.get(context);
    }

    String abstractSyntax(int context) {
        return abstractSyntaxes.get(context);
    }

    /** @return the id of an accepted context for {@code abstractSyntax}, or -1 */
    int contextFor(String abstractSyntax) {
        for (Map.Entry<Integer, String> e : abstractSyntaxes.entrySet()) {
            if (e.getValue().equals(abstractSyntax)) {
                return e.getKey();
            }
        }
        return -1;
    }

    DataInputStream input() {
        return in;
    }

    /**
     * @return the next PDV
     * @throws Ended if the peer released or aborted
     * @throws ProtocolException on a malformed or unexpected PDU
     */
    Pdv next() throws IOException {
        while (pending.isEmpty()) {
            Pdu.Raw raw = Pdu.read(in, MAX_RECEIVE);
            switch (raw.type()) {
                case Pdu.P_DATA_TF -> {
                    ByteBuffer b = ByteBuffer.wrap(raw.body());
                    if (!b.hasRemaining()) {
                        throw new ProtocolException(ProtocolException.INVALID_PARAMETER, "P-DATA-TF without a PDV");
                    }
                    while (b.hasRemaining()) {
                        if (b.remaining() < 6) {
                            throw new ProtocolException(ProtocolException.INVALID_PARAMETER, "PDV header cut short");
                        }
                        long length = b.getInt() & 0xFFFFFFFFL;
                        if (length < 2 || length > b.remaining()) {
                            throw new ProtocolException(ProtocolException.INVALID_PARAMETER, "PDV length " + length
                                    + " does not fit its P-DATA-TF");
                        }
                        int context = b.get() & 0xFF;
                        int header = b.get() & 0xFF;
                        pending.add(new Pdv(context, (header & 1) != 0, (header & 2) != 0, raw.body(), b.position(),
                                (int) length - 2));
                        b.position(b.position() + (int) length - 2);
                    }
                }
                case Pdu.RELEASE_RQ -> throw new Ended(true);
                case Pdu.ABORT -> throw new Ended(false);
                default -> throw new ProtocolException(ProtocolException.UNEXPECTED_PDU, "PDU of type 0x"
                        + Integer.toHexString(raw.type()) + " during an established association");
            }
        }
        return pending.poll();
    }

    /** Reads the rest of a command set whose first fragment is {@code first}. */
    Elements command(Pdv first) throws IOException {
        return Elements.decode(assemble(first, true, MAX_COMMAND));
    }

    /** Reads a whole data set (an identifier) of context {@code context} into memory, bounded. */
    byte[] dataSet(int context) throws IOException {
        Pdv first = next();
        if (first.command() || first.context() != context) {
            throw new ProtocolException(ProtocolException.UNEXPECTED_PARAMETER,
                    "expected the data set of presentation context " + context);
        }
        return assemble(first, false, MAX_IDENTIFIER);
    }

    private byte[] assemble(Pdv first, boolean command, int limit) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Pdv p = first;
        while (true) {
            if (p.command() != command || p.context() != first.context()) {
                throw new ProtocolException(ProtocolException.UNEXPECTED_PARAMETER, "a "
                        + (command ? "command" : "data set") + " fragment is interleaved with another message");
            }
            if (buf.size() + p.length() > limit) {
                throw new ProtocolException(ProtocolException.INVALID_PARAMETER, (command ? "command set" : "identifier")
                        + " larger than " + limit + " bytes");
            }
            buf.write(p.bytes(), p.offset(), p.length());
            if (p.last()) {
                return buf.toByteArray();
            }
            p = next();
        }
    }

    /** Sends a DIMSE message: its command set and, if given, its data set. */
    synchronized void send(int context, Elements command, byte[] data) throws IOException {
        fragments(context, true, command.encode(true));
        if (data != null) {
            fragments(context, false, data);
        }
        out.flush();
    }

    private void fragments(int context, boolean command, byte[] bytes) throws IOException {
        int max = sendLimit - 6;
        int offset = 0;
        do {
            int n = Math.min(max, bytes.length - offset);
            boolean last = offset + n == bytes.length;
            ByteBuffer pdu = ByteBuffer.allocate(12 + n);
            pdu.put((byte) Pdu.P_DATA_TF).put((byte) 0).putInt(6 + n);
            pdu.putInt(2 + n).put((byte) context).put((byte) ((command ? 1 : 0) | (last ? 2 : 0)));
            pdu.put(bytes, offset, n);
            out.write(pdu.array());
            offset += n;
        } while (offset < bytes.length);
    }

    /** Writes bytes as they are (tests of malformed PDUs). */
    synchronized void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    synchronized void write(int type, byte[] body) throws IOException {
        out.write(Pdu.frame(type, body));
        out.flush();
    }

    /** Answers the peer's A-RELEASE-RQ and closes once the peer has (at most the ARTIM time). */
    void answerRelease() {
        try {
            write(Pdu.RELEASE_RP, new byte[4]);
        } catch (IOException e) {
            close();
            return;
        }
        linger();
    }

    /** Waits (at most the ARTIM time) for the peer to close the transport, then closes. */
    void linger() {
        try {
            socket.setSoTimeout(Timeouts.millis(timeouts.artim()));
            if (!(socket instanceof javax.net.ssl.SSLSocket)) {
                socket.shutdownOutput(); // TLS sockets do not support half-close
            }
            long deadline = System.nanoTime() + timeouts.artim().toNanos();
            byte[] drain = new byte[4096];
            // drain until the requestor closes the transport (PS3.8 7.2), at most the ARTIM time
            while (in.read(drain) >= 0 && System.nanoTime() < deadline) {
                // dropped
            }
        } catch (IOException e) {
            // the peer has gone: nothing more to do
        }
        close();
    }

    /** Requests release and waits (ARTIM) for the answer; closes in every case. */
    void release() {
        try {
            write(Pdu.RELEASE_RQ, new byte[4]);
            socket.setSoTimeout(Timeouts.millis(timeouts.artim()));
            for (int i = 0; i < 1024; i++) {
                Pdu.Raw raw = Pdu.read(in, MAX_RECEIVE);
                if (raw.type() == Pdu.RELEASE_RP || raw.type() == Pdu.ABORT) {
                    break;
                }
            }
        } catch (IOException e) {
            // no answer within ARTIM: close anyway
        }
        close();
    }

    /** Sends A-ABORT (source: service provider) and closes. */
    synchronized void abort(int reason) {
        try {
            write(Pdu.ABORT, new byte[] {0, 0, 2, (byte) reason});
        } catch (IOException e) {
            // the peer has gone
        }
        close();
    }

    /** Sends A-ABORT (source: service user, for our own stop) and closes. */
    synchronized void abortAsUser() {
        try {
            write(Pdu.ABORT, new byte[] {0, 0, 0, 0});
        } catch (IOException e) {
            // the peer has gone
        }
        close();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeQuietly(socket);
        }
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing
        }
    }
}
