package eu.hbp.mip.anonymiser.dimse;

import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.pipeline.Pipeline;
import eu.hbp.mip.anonymiser.pipeline.Route;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A C-ECHO and C-STORE SCP (PS3.4 Annex A and B) that feeds the one {@link Pipeline}: each
 * instance is received into a hidden temporary file under {@code pacs/download/.dimse},
 * written as a Part 10 file (File Meta group, then the data set bytes exactly as received, in
 * the negotiated transfer syntax), forced to disk and renamed into {@code pacs/download}; only
 * then is it answered with status {@code 0000} and handed to
 * {@link Pipeline#process(Route, Path, Runnable)} on {@link Route#pacs the PACS route}, which
 * anonymises it into {@code pacs/dicoms} or quarantines it in {@code quarantine/pacs}. A file
 * is never offered half-received: a broken association deletes its partial file.
 *
 * <p>Accepted: Verification, and for C-STORE every storage SOP class of PS3.4 Annex B (UIDs
 * under {@value Dicom#STORAGE_ROOT}) and every private (non-standard) SOP class, in any standard
 * transfer syntax offered (implicit and explicit VR little endian, big endian, deflated, any
 * encapsulated one); the proposer's order of transfer syntaxes is honoured. Refused: another
 * called AE title, a calling AE title and host not on the allow-list (A-ASSOCIATE-RJ,
 * permanent), associations beyond the limit (A-ASSOCIATE-RJ, transient). A PDU longer than we
 * announced, or malformed, is answered with A-ABORT; other associations go on.
 *
 * <p>Thread-safe: one thread accepts, one thread serves each association. {@link #stop()}
 * stops accepting and waits for the associations in hand to end. Never logs or prints; its
 * {@link Counts} hold no patient value; received files are named by random UUIDs.
 *
 * <pre>{@code
 * try (StoreScp scp = new StoreScp(StoreScp.Config.of("MIP_ANON", 11112), pipeline)) {
 *     scp.start();
 *     ...
 * }
 * }</pre>
 */
public final class StoreScp implements AutoCloseable {

    /** The hidden folder under {@code pacs/download} for instances being received. */
    public static final String PARTIAL_FOLDER = ".dimse";

    /**
     * The SCP's settings.
     *
     * @param aeTitle our AE title: associations calling another one are rejected
     * @param bind the address to listen on (loopback unless a site opens it)
     * @param port the port; 0 for an ephemeral one (see {@link #port()})
     * @param allowed calling {@code AET@HOST} entries admitted; empty admits any caller
     * @param maxAssociations associations served at once; more are rejected as transient
     * @param maxInstanceBytes the largest instance received (its data set); a larger one is answered {@code A700}
     * @param artim the ARTIM time: waiting for the A-ASSOCIATE-RQ, and for the peer to close after a release or rejection
     * @param readTimeout how long a peer may stay silent inside an association
     * @param tls TLS on the port, or empty for plain TCP
     */
    public record Config(String aeTitle, InetAddress bind, int port, List<String> allowed, int maxAssociations,
                         long maxInstanceBytes, Duration artim, Duration readTimeout, Optional<Tls> tls) {

        /** Settings without TLS. */
        public Config(String aeTitle, InetAddress bind, int port, List<String> allowed, int maxAssociations,
                      long maxInstanceBytes, Duration artim, Duration readTimeout) {
            this(aeTitle, bind, port, allowed, maxAssociations, maxInstanceBytes, artim, readTimeout, Optional.empty());
        }

        public Config {
            Objects.requireNonNull(tls, "tls");
            Objects.requireNonNull(aeTitle, "aeTitle");
            Objects.requireNonNull(bind, "bind");
            allowed = List.copyOf(allowed);
            if (!aeTitle.matches("[\\x20-\\x5B\\x5D-\\x7E]{1,16}") || aeTitle.isBlank()) {
                throw new IllegalArgumentException("AE title '" + aeTitle + "' must be 1 to 16 printable characters"
                        + " without a backslash");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is not between 0 and 65535");
            }
            if (maxAssociations < 1 || maxAssociations > 1024) {
                throw new IllegalArgumentException("the association limit must be between 1 and 1024");
            }
            if (maxInstanceBytes < 1) {
                throw new IllegalArgumentException("the instance size limit must be positive");
            }
        }

        /** @return loopback, no allow-list, 4 associations, 2 GiB per instance, ARTIM 30 s, reads 60 s */
        public static Config of(String aeTitle, int port) {
            return new Config(aeTitle, InetAddress.getLoopbackAddress(), port, List.of(), 4, 2L << 30,
                    Duration.ofSeconds(30), Duration.ofSeconds(60));
        }

        /** @return these settings with another allow-list */
        public Config withAllowed(List<String> entries) {
            return new Config(aeTitle, bind, port, entries, maxAssociations, maxInstanceBytes, artim, readTimeout, tls);
        }

        /** @return these settings, listening with TLS only */
        public Config withTls(Tls tls) {
            return new Config(aeTitle, bind, port, allowed, maxAssociations, maxInstanceBytes, artim, readTimeout,
                    Optional.of(tls));
        }
    }

    /**
     * TLS on the SCP's port: every connection must complete a TLS 1.2 or 1.3 handshake (within
     * the ARTIM time) before its A-ASSOCIATE-RQ is read; a plain connection is closed.
     *
     * @param context our certificate and key, and the peers' trusted certificates ({@link DimseTls#context})
     * @param requireClientCertificate whether a peer must present a certificate the trust store accepts
     */
    public record Tls(SSLContext context, boolean requireClientCertificate) {
        public Tls {
            Objects.requireNonNull(context, "context");
        }
    }

    /**
     * What the SCP did so far.
     *
     * @param associations associations accepted
     * @param rejected associations rejected (AE title, allow-list, limit)
     * @param aborted associations aborted (by either side, or broken)
     * @param received instances received into {@code pacs/download} and answered {@code 0000}
     * @param refused instances answered with a failure status (too large, disk)
     * @param anonymised received instances the pipeline published
     * @param quarantined received instances the pipeline quarantined
     * @param failed received instances the pipeline gave back (machine failure): they wait in {@code pacs/download}
     */
    public record Counts(int associations, int rejected, int aborted, int received, int refused, int anonymised,
                         int quarantined, int failed) {
    }

    /** What becomes of a file once it is complete in the inbox (the pipeline, or a pull's bookkeeping). */
    interface Receiver {
        Pipeline.FileResult received(Path file, String sopInstanceUid) throws IOException;

        /** @return the inbox name (without {@code .dcm}) of an instance: random unless a source needs to find it */
        default String name(String sopInstanceUid) {
            return UUID.randomUUID().toString();
        }
    }

    private record Allowed(String ae, Set<InetAddress> addresses) {
    }

    private final Config config;
    private final FolderLayout layout;
    private final Receiver receiver;
    private final List<Allowed> allowed;
    private final Semaphore associationPermits;
    private final Semaphore connectionPermits;
    private final Set<Thread> serving = ConcurrentHashMap.newKeySet();
    private final Set<Association> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger associations = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger aborted = new AtomicInteger();
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger anonymised = new AtomicInteger();
    private final AtomicInteger quarantined = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private volatile ServerSocket server;
    private volatile boolean stopping;
    private Thread acceptor;
    private ScheduledExecutorService artimTimer;

    /**
     * @param config the settings; host names of the allow-list are resolved here
     * @param pipeline the pipeline every received instance goes through
     * @throws IllegalArgumentException if an allow-list entry is not {@code AET@HOST} or its host cannot be resolved
     */
    public StoreScp(Config config, Pipeline pipeline) {
        this(config, pipeline.layout(), (file, sop) -> pipeline.process(Route.pacs(pipeline.layout()), file, () -> { }));
    }

    StoreScp(Config config, FolderLayout layout, Receiver receiver) {
        this.config = config;
        this.layout = layout;
        this.receiver = receiver;
        this.allowed = parse(config.allowed());
        this.associationPermits = new Semaphore(config.maxAssociations());
        this.connectionPermits = new Semaphore(config.maxAssociations() + 8);
    }

    private static List<Allowed> parse(List<String> entries) {
        List<Allowed> out = new ArrayList<>();
        for (String e : entries) {
            int at = e.lastIndexOf('@');
            if (at < 1 || at == e.length() - 1 || e.substring(0, at).length() > 16) {
                throw new IllegalArgumentException("allow-list entry '" + e + "' is not AET@HOST (an AE title of 1 to"
                        + " 16 characters, then a host name or address)");
            }
            try {
                out.add(new Allowed(e.substring(0, at).trim(), Set.of(InetAddress.getAllByName(e.substring(at + 1)))));
            } catch (UnknownHostException ex) {
                throw new IllegalArgumentException("allow-list entry '" + e + "': host " + e.substring(at + 1)
                        + " cannot be resolved", ex);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Binds and starts accepting; first drops partial files a stopped SCP left behind.
     *
     * @throws IOException if the port cannot be bound or {@code pacs/download} prepared
     */
    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        FolderLayout.createFolder(layout.pacsDownload(), true);
        Path partial = Files.createDirectories(layout.pacsDownload().resolve(PARTIAL_FOLDER));
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(partial, "*.part")) {
            for (Path p : parts) {
                Files.deleteIfExists(p);
            }
        }
        ServerSocket s;
        if (config.tls().isPresent()) {
            SSLServerSocket tls = (SSLServerSocket) config.tls().get().context().getServerSocketFactory()
                    .createServerSocket();
            tls.setEnabledProtocols(DimseTls.PROTOCOLS.toArray(String[]::new));
            tls.setNeedClientAuth(config.tls().get().requireClientCertificate());
            s = tls;
        } else {
            s = new ServerSocket();
        }
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(config.bind(), config.port()), 64);
        server = s;
        artimTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dimse-artim");
            t.setDaemon(true);
            return t;
        });
        acceptor = new Thread(this::acceptLoop, "dimse-accept-" + s.getLocalPort());
        acceptor.start();
    }

    /** @return the bound port */
    public int port() {
        ServerSocket s = server;
        if (s == null) {
            throw new IllegalStateException("not started");
        }
        return s.getLocalPort();
    }

    /** @return how many associations (or connections not yet associated) are open now */
    public int active() {
        return serving.size();
    }

    /** @return what was done so far */
    public Counts counts() {
        return new Counts(associations.get(), rejected.get(), aborted.get(), received.get(), refused.get(),
                anonymised.get(), quarantined.get(), failed.get());
    }

    /**
     * Hands every complete file waiting in {@code pacs/download} (left by an earlier run whose
     * pipeline failed) to the receiver.
     *
     * @return how many files were handed over
     */
    public int processLeftovers() throws IOException {
        int n = 0;
        if (!Files.isDirectory(layout.pacsDownload())) {
            return 0;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.pacsDownload(),
                p -> Files.isRegularFile(p) && !p.getFileName().toString().startsWith("."))) {
            for (Path p : files) {
                count(receiver.received(p, null));
                n++;
            }
        }
        return n;
    }

    private void count(Pipeline.FileResult r) {
        switch (r.kind()) {
            case ANONYMISED -> anonymised.incrementAndGet();
            case QUARANTINED -> quarantined.incrementAndGet();
            case FAILED -> failed.incrementAndGet();
            case TAKEN -> { }
        }
    }

    /**
     * Stops accepting; aborts the associations waiting between messages; lets each one with a
     * message in hand finish it (the instance received, answered and handed to the pipeline),
     * then aborts it too; returns when every association has ended. Idempotent.
     */
    public void stop() {
        stopping = true;
        ServerSocket s = server;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing
            }
        }
        Thread a;
        ScheduledExecutorService timer;
        synchronized (this) {
            a = acceptor;
            timer = artimTimer;
        }
        try {
            if (a != null) {
                a.join(10_000);
            }
            // Idle associations (between messages) are aborted now; one with a message in hand
            // finishes it (each read bounded by the read time-out), then ends.
            for (Association open : List.copyOf(this.open)) {
                if (!open.busy) {
                    open.abortAsUser();
                }
            }
            for (Thread t : List.copyOf(serving)) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (timer != null) {
                timer.shutdownNow();
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void acceptLoop() {
        ServerSocket s = server;
        while (!stopping) {
            Socket socket;
            try {
                socket = s.accept();
            } catch (IOException e) {
                if (stopping || s.isClosed()) {
                    return;
                }
                continue;
            }
            if (stopping || !connectionPermits.tryAcquire()) {
                Association.closeQuietly(socket);
                rejected.incrementAndGet();
                continue;
            }
            Thread t = new Thread(() -> {
                try {
                    serve(socket);
                } finally {
                    serving.remove(Thread.currentThread());
                    connectionPermits.release();
                }
            }, "dimse-association");
            serving.add(t);
            t.start();
        }
    }

    private void serve(Socket socket) {
        Association a;
        try {
            a = new Association(socket, new Association.Timeouts(Duration.ZERO, config.artim(),
                    config.readTimeout()));
        } catch (IOException e) {
            Association.closeQuietly(socket);
            return;
        }
        open.add(a);
        boolean permit = false;
        // ARTIM (PS3.8 9.1.5): the handshake and the whole A-ASSOCIATE-RQ must arrive in time, however slowly
        // the peer trickles bytes; the timer closes the socket, which ends the read.
        java.util.concurrent.Future<?> artim = schedule(a);
        try {
            if (socket instanceof SSLSocket tls) {
                try {
                    tls.startHandshake(); // bounded by the ARTIM time-out set on the socket
                } catch (IOException e) {
                    rejected.incrementAndGet();
                    a.close(); // not TLS, or a certificate we do not trust: no A-ABORT in clear
                    return;
                }
            }
            Pdu.Raw first = Pdu.read(a.input(), Pdu.MAX_ASSOCIATE_LENGTH);
            if (first.type() != Pdu.ASSOCIATE_RQ) {
                throw new ProtocolException(ProtocolException.UNEXPECTED_PDU, "expected A-ASSOCIATE-RQ");
            }
            artim.cancel(false);
            Pdu.AssociateRq rq = Pdu.AssociateRq.decode(first.body());
            Pdu.AssociateRj rj = refusal(rq, socket.getInetAddress());
            if (rj == null && (stopping || !associationPermits.tryAcquire())) {
                rj = new Pdu.AssociateRj(Pdu.AssociateRj.TRANSIENT, Pdu.AssociateRj.SOURCE_PRESENTATION,
                        Pdu.AssociateRj.LOCAL_LIMIT_EXCEEDED);
            } else if (rj == null) {
                permit = true;
            }
            if (rj != null) {
                rejected.incrementAndGet();
                a.write(Pdu.ASSOCIATE_RJ, rj.encode());
                a.linger(); // wait (ARTIM) for the peer to close, as after an RJ
                return;
            }
            List<Pdu.Answered> answers = new ArrayList<>();
            for (Pdu.Proposed p : rq.contexts()) {
                Pdu.Answered answer = negotiate(p);
                if (answer.result() == Pdu.ACCEPTANCE) {
                    a.accept(p.id(), p.abstractSyntax(), answer.transferSyntax());
                }
                answers.add(answer);
            }
            a.peerMaximum(rq.maxLength());
            a.write(Pdu.ASSOCIATE_AC, new Pdu.AssociateAc(rq.calledAe(), rq.callingAe(), answers,
                    Association.MAX_RECEIVE, Dicom.IMPLEMENTATION_CLASS_UID).encode());
            a.readTimeout(config.readTimeout());
            associations.incrementAndGet();
            messages(a);
        } catch (Association.Ended e) {
            if (e.released) {
                a.answerRelease();
            } else {
                aborted.incrementAndGet();
                a.close();
            }
        } catch (ProtocolException e) {
            aborted.incrementAndGet();
            a.abort(e.reason());
        } catch (IOException | RuntimeException e) {
            // a time-out, a dropped connection or a disk failure: the partial file is gone already
            aborted.incrementAndGet();
            a.abort(0);
        } finally {
            artim.cancel(false);
            open.remove(a);
            a.close();
            if (permit) {
                associationPermits.release();
            }
        }
    }

    private java.util.concurrent.Future<?> schedule(Association a) {
        try {
            return artimTimer.schedule(a::close, config.artim().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            a.close();
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
    }

    /** @return the rejection of an association request, or null to accept it */
    private Pdu.AssociateRj refusal(Pdu.AssociateRq rq, InetAddress from) {
        if (!Dicom.APPLICATION_CONTEXT.equals(rq.applicationContext())) {
            return new Pdu.AssociateRj(Pdu.AssociateRj.PERMANENT, Pdu.AssociateRj.SOURCE_USER,
                    Pdu.AssociateRj.APPLICATION_CONTEXT_NOT_SUPPORTED);
        }
        if (!config.aeTitle().equals(rq.calledAe())) {
            return new Pdu.AssociateRj(Pdu.AssociateRj.PERMANENT, Pdu.AssociateRj.SOURCE_USER,
                    Pdu.AssociateRj.CALLED_AE_NOT_RECOGNIZED);
        }
        if (!allowed.isEmpty() && allowed.stream().noneMatch(e -> e.ae().equals(rq.callingAe())
                && e.addresses().contains(from))) {
            return new Pdu.AssociateRj(Pdu.AssociateRj.PERMANENT, Pdu.AssociateRj.SOURCE_USER,
                    Pdu.AssociateRj.CALLING_AE_NOT_RECOGNIZED);
        }
        return null;
    }

    private static Pdu.Answered negotiate(Pdu.Proposed p) {
        boolean verification = Dicom.VERIFICATION.equals(p.abstractSyntax());
        if (!verification && !Dicom.isStorage(p.abstractSyntax())) {
            return new Pdu.Answered(p.id(), Pdu.ABSTRACT_SYNTAX_NOT_SUPPORTED, Dicom.IMPLICIT_LE);
        }
        for (String ts : p.transferSyntaxes()) {
            if (verification ? Dicom.isNative(ts) : Dicom.isStorageSyntax(ts)) {
                return new Pdu.Answered(p.id(), Pdu.ACCEPTANCE, ts);
            }
        }
        return new Pdu.Answered(p.id(), Pdu.TRANSFER_SYNTAXES_NOT_SUPPORTED, Dicom.IMPLICIT_LE);
    }

    private void messages(Association a) throws IOException {
        while (true) {
            a.busy = false;
            if (stopping) {
                aborted.incrementAndGet();
                a.abortAsUser(); // stopped between messages: nothing in hand is lost
                return;
            }
            Association.Pdv first = a.next();
            a.busy = true;
            if (!first.command()) {
                throw new ProtocolException(ProtocolException.UNEXPECTED_PARAMETER, "a data set without its command");
            }
            if (a.transferSyntax(first.context()) == null) {
                throw new ProtocolException(ProtocolException.UNEXPECTED_PARAMETER, "presentation context "
                        + first.context() + " was not accepted");
            }
            Elements command = a.command(first);
            int field = command.us(Dicom.COMMAND_FIELD);
            int id = command.us(Dicom.MESSAGE_ID);
            boolean hasData = command.us(Dicom.COMMAND_DATA_SET_TYPE, Dicom.NO_DATA_SET) != Dicom.NO_DATA_SET;
            switch (field) {
                case Dicom.C_ECHO_RQ -> a.send(first.context(), response(command, field, id, Dicom.SUCCESS, null), null);
                case Dicom.C_STORE_RQ -> {
                    if (!hasData) {
                        throw new ProtocolException(ProtocolException.INVALID_PARAMETER, "C-STORE-RQ without a data set");
                    }
                    store(a, first.context(), command, id);
                }
                case Dicom.C_CANCEL_RQ -> { }
                default -> {
                    if (hasData) {
                        a.dataSet(first.context()); // read and drop
                    }
                    a.send(first.context(), response(command, field, id, Dicom.UNRECOGNIZED_OPERATION,
                            "only C-ECHO and C-STORE are served"), null);
                }
            }
        }
    }

    private static Elements response(Elements rq, int field, int id, int status, String comment) {
        Elements rsp = new Elements();
        rq.string(Dicom.AFFECTED_SOP_CLASS_UID).ifPresent(v -> rsp.putString(Dicom.AFFECTED_SOP_CLASS_UID, v));
        rsp.putUs(Dicom.COMMAND_FIELD, field | Dicom.RESPONSE);
        rsp.putUs(Dicom.MESSAGE_ID_BEING_RESPONDED_TO, id);
        rsp.putUs(Dicom.COMMAND_DATA_SET_TYPE, Dicom.NO_DATA_SET);
        rsp.putUs(Dicom.STATUS, status);
        if (comment != null) {
            rsp.putString(Dicom.ERROR_COMMENT, comment.length() > 64 ? comment.substring(0, 64) : comment);
        }
        rq.string(Dicom.AFFECTED_SOP_INSTANCE_UID).ifPresent(v -> rsp.putString(Dicom.AFFECTED_SOP_INSTANCE_UID, v));
        return rsp;
    }

    private void store(Association a, int context, Elements command, int id) throws IOException {
        String sopClass = command.string(Dicom.AFFECTED_SOP_CLASS_UID).orElse(a.abstractSyntax(context));
        String sopInstance = command.string(Dicom.AFFECTED_SOP_INSTANCE_UID).orElse("");
        String ts = a.transferSyntax(context);
        String name = sopInstance.isEmpty() ? UUID.randomUUID().toString() : receiver.name(sopInstance);
        Path part = layout.pacsDownload().resolve(PARTIAL_FOLDER).resolve("." + UUID.randomUUID() + ".part");
        FileChannel ch = null;
        String failure = null;
        int status = Dicom.SUCCESS;
        long size = 0;
        try {
            try {
                ch = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                writeFully(ch, ByteBuffer.wrap(fileMeta(sopClass, sopInstance, ts)));
            } catch (IOException e) {
                failure = "cannot write in pacs/download";
                status = Dicom.OUT_OF_RESOURCES;
                ch = closeQuietly(ch);
            }
            while (true) {
                Association.Pdv p = a.next();
                if (p.command() || p.context() != context) {
                    throw new ProtocolException(ProtocolException.UNEXPECTED_PARAMETER,
                            "a C-STORE data set is interleaved with another message");
                }
                size += p.length();
                if (ch != null && size > config.maxInstanceBytes()) {
                    failure = "instance larger than the limit of " + config.maxInstanceBytes() / (1 << 20) + " MB";
                    status = Dicom.OUT_OF_RESOURCES;
                    ch = closeQuietly(ch);
                    Files.deleteIfExists(part);
                }
                if (ch != null) {
                    try {
                        writeFully(ch, ByteBuffer.wrap(p.bytes(), p.offset(), p.length()));
                    } catch (IOException e) {
                        failure = "cannot write in pacs/download";
                        status = Dicom.OUT_OF_RESOURCES;
                        ch = closeQuietly(ch);
                        Files.deleteIfExists(part);
                    }
                }
                if (p.last()) {
                    break;
                }
            }
            Path file = null;
            if (ch != null) {
                try {
                    ch.force(true);
                    ch.close();
                    ch = null;
                    file = layout.pacsDownload().resolve(name + ".dcm");
                    Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    failure = "cannot write in pacs/download";
                    status = Dicom.PROCESSING_FAILURE;
                    file = null;
                }
            }
            a.send(context, response(command, Dicom.C_STORE_RQ, id, status, failure), null);
            if (file == null) {
                refused.incrementAndGet();
                return;
            }
            received.incrementAndGet();
            try {
                count(receiver.received(file, sopInstance.isEmpty() ? null : sopInstance));
            } catch (IOException | RuntimeException e) {
                // The file waits in pacs/download for the next start (processLeftovers).
                failed.incrementAndGet();
            }
        } finally {
            closeQuietly(ch);
            Files.deleteIfExists(part);
        }
    }

    private static FileChannel closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // dropped
            }
        }
        return null;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** @return the preamble, {@code DICM} and the File Meta group (PS3.10 7.1) in explicit VR little endian */
    static byte[] fileMeta(String sopClass, String sopInstance, String transferSyntax) {
        ByteBuffer group = ByteBuffer.allocate(1024 + sopClass.length() + sopInstance.length()
                + transferSyntax.length()).order(ByteOrder.LITTLE_ENDIAN);
        group.putShort((short) 0x0002).putShort((short) 0x0001).put("OB".getBytes(StandardCharsets.US_ASCII))
                .putShort((short) 0).putInt(2).put((byte) 0).put((byte) 1);
        short16(group, 0x0002, "UI", uid(sopClass));
        short16(group, 0x0003, "UI", uid(sopInstance));
        short16(group, 0x0010, "UI", uid(transferSyntax));
        short16(group, 0x0012, "UI", uid(Dicom.IMPLEMENTATION_CLASS_UID));
        short16(group, 0x0013, "SH", text(Dicom.IMPLEMENTATION_VERSION));
        int length = group.position();
        ByteBuffer out = ByteBuffer.allocate(132 + 12 + length).order(ByteOrder.LITTLE_ENDIAN);
        out.position(128);
        out.put("DICM".getBytes(StandardCharsets.US_ASCII));
        out.putShort((short) 0x0002).putShort((short) 0x0000).put("UL".getBytes(StandardCharsets.US_ASCII))
                .putShort((short) 4).putInt(length);
        out.put(group.array(), 0, length);
        return out.array();
    }

    private static void short16(ByteBuffer b, int element, String vr, byte[] value) {
        b.putShort((short) 0x0002).putShort((short) element).put(vr.getBytes(StandardCharsets.US_ASCII))
                .putShort((short) value.length).put(value);
    }

    private static byte[] uid(String s) {
        byte[] v = s.getBytes(StandardCharsets.US_ASCII);
        return v.length % 2 == 0 ? v : java.util.Arrays.copyOf(v, v.length + 1);
    }

    private static byte[] text(String s) {
        return (s.length() % 2 == 0 ? s : s + " ").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "StoreScp[%s]", config.aeTitle());
    }
}
