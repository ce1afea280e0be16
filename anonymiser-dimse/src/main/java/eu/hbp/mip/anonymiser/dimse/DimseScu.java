package eu.hbp.mip.anonymiser.dimse;

import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.core.dates.DateReduction;
import eu.hbp.mip.anonymiser.pipeline.Pipeline;
import eu.hbp.mip.anonymiser.pipeline.Route;
import eu.hbp.mip.anonymiser.pipeline.pacs.PacsPull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * A DIMSE client of a PACS: finds studies with C-FIND (Study Root, study level) and pulls them
 * with C-MOVE to a {@link StoreScp} of its own, started for the pull, so that every instance
 * lands in {@code pacs/download} and goes through the one {@link Pipeline} on
 * {@link Route#pacs its PACS route}, exactly as a received instance does.
 *
 * <p>Why C-MOVE and not C-GET: the move destination is the same SCP as {@code dimse listen},
 * tested on its own, with its limits; C-GET would need SCP/SCU role selection and a
 * presentation context per storage SOP class on the query association, guessed before the
 * classes are known (at most 128). The cost: the PACS must know our AE title, host and port.
 *
 * <p>Resumable as {@link PacsPull} is: each instance done is recorded in the pseudonym store
 * (domain {@link PacsPull#PULLED_DOMAIN}, flushed before its output is published), so a pull
 * run again skips it (the series and image levels are listed with C-FIND first; a series with
 * nothing pulled yet is moved in one request, else instance by instance). Received files are
 * named by their site-keyed UID, so one left complete in {@code pacs/download} by a pull the
 * pipeline failed in is anonymised, not fetched again; other complete files there are processed
 * at the end. Never prints, logs or returns an original
 * value: patients are shown by pseudonym, dates by month. Not thread-safe.
 *
 * <pre>{@code
 * DimseScu scu = new DimseScu(new DimseScu.Peer("pacs.example.org", 104, "PACS", "MIP_ANON",
 *         Duration.ofSeconds(10), Duration.ofSeconds(60)));
 * List<PacsPull.FoundPatient> found = scu.find(site.store(), query);
 * DimseScu.Summary s = scu.pull(query, pipeline, site.store(), StoreScp.Config.of("MIP_ANON", 11113));
 * }</pre>
 */
public final class DimseScu {

    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;
    private static final int MODALITY = 0x00080060;

    /**
     * The PACS and how we call it.
     *
     * @param host its host
     * @param port its DICOM port
     * @param calledAe its AE title
     * @param callingAe our AE title (also the move destination: the PACS must map it to our SCP)
     * @param connectTimeout to open the connection
     * @param readTimeout for every answer
     * @param tls TLS, or empty for plain TCP
     */
    public record Peer(String host, int port, String calledAe, String callingAe, Duration connectTimeout,
                       Duration readTimeout, Optional<SSLContext> tls) {

        /** A peer reached over plain TCP. */
        public Peer(String host, int port, String calledAe, String callingAe, Duration connectTimeout,
                    Duration readTimeout) {
            this(host, port, calledAe, callingAe, connectTimeout, readTimeout, Optional.empty());
        }

        /**
         * @param context the PACS's trusted certificates (and ours, if it asks for one), from {@link DimseTls#context}
         * @return this peer reached over TLS 1.2 or 1.3, its certificate checked against its host name
         */
        public Peer withTls(SSLContext context) {
            return new Peer(host, port, calledAe, callingAe, connectTimeout, readTimeout, Optional.of(context));
        }

        public Peer {
            Objects.requireNonNull(tls, "tls");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(calledAe, "calledAe");
            Objects.requireNonNull(callingAe, "callingAe");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
            }
        }

        @Override
        public String toString() {
            return calledAe + "@" + host + ":" + port;
        }
    }

    /**
     * What a pull did.
     *
     * @param studies studies found
     * @param series series found
     * @param instances instances found
     * @param anonymised instances anonymised into {@code pacs/dicoms}
     * @param quarantined instances moved to {@code quarantine/pacs}
     * @param pulledBefore instances skipped because an earlier pull handled them
     * @param missing instances asked for that did not arrive (the PACS reported failed sub-operations,
     *        or the pipeline gave them back); running the pull again retries them
     * @param leftovers files left complete in {@code pacs/download} by another run, processed at the end
     */
    public record Summary(int studies, int series, int instances, int anonymised, int quarantined, int pulledBefore,
                          int missing, int leftovers) {
    }

    /** A study found: the values stay in this package, only pseudonyms leave it. */
    private record Study(String patientId, String studyUid, Optional<LocalDate> date) {
    }

    private final Peer peer;
    private int messageId;

    /** @param peer the PACS */
    public DimseScu(Peer peer) {
        this.peer = Objects.requireNonNull(peer, "peer");
    }

    private Association associate() {
        return Association.request(peer.host(), peer.port(), peer.tls(), peer.callingAe(), peer.calledAe(), List.of(
                        new Pdu.Proposed(1, Dicom.VERIFICATION, List.of(Dicom.IMPLICIT_LE)),
                        new Pdu.Proposed(3, Dicom.STUDY_ROOT_FIND, List.of(Dicom.IMPLICIT_LE)),
                        new Pdu.Proposed(5, Dicom.STUDY_ROOT_MOVE, List.of(Dicom.IMPLICIT_LE))),
                new Association.Timeouts(peer.connectTimeout(), Duration.ofSeconds(30), peer.readTimeout()));
    }

    /**
     * Checks the PACS answers a C-ECHO.
     *
     * @throws DimseException if it cannot be reached, refuses us or fails the echo
     */
    public void echo() {
        Association a = associate();
        try {
            int ctx = context(a, Dicom.VERIFICATION);
            a.send(ctx, request(Dicom.VERIFICATION, Dicom.C_ECHO_RQ, false), null);
            Elements rsp = response(a, ctx);
            int status = rsp.us(Dicom.STATUS);
            if (status != Dicom.SUCCESS) {
                throw new DimseException(DimseException.Kind.PROTOCOL, peer + " answered C-ECHO with status "
                        + hex(status));
            }
            a.release();
        } catch (IOException e) {
            throw broken(a, e);
        }
    }

    /**
     * Lists what a pull would fetch, by patient pseudonym.
     *
     * @param store the site's store (the pseudonyms are the site's)
     * @param query what a pull would fetch
     * @throws DimseException if the PACS cannot be reached, refuses us or fails the query
     */
    public List<PacsPull.FoundPatient> find(PseudonymStore store, PacsPull.Query query) {
        Association a = associate();
        try {
            Map<String, List<String>> byPatient = new TreeMap<>();
            for (Study s : studies(a, query)) {
                byPatient.computeIfAbsent(store.pseudonym(PseudonymStore.PATIENT, s.patientId()),
                        k -> new ArrayList<>()).add(month(s.date()));
            }
            a.release();
            List<PacsPull.FoundPatient> out = new ArrayList<>();
            byPatient.forEach((p, months) -> out.add(new PacsPull.FoundPatient(p, months.size(),
                    months.stream().sorted().toList())));
            return out;
        } catch (IOException e) {
            throw broken(a, e);
        }
    }

    /**
     * Pulls every instance the query finds through the pipeline; resumes an earlier pull.
     *
     * @param query what to pull
     * @param pipeline the pipeline every instance goes through
     * @param store the site's store (records what was pulled)
     * @param destination our SCP for the pull: its AE title must be {@link Peer#callingAe()} and the PACS must
     *        know its host and port (port 0 only when the PACS learns it another way, as in tests)
     * @param started called with the bound port once our SCP listens, before the first C-MOVE
     * @return the counts
     * @throws DimseException if the PACS cannot be reached, refuses us or fails a query
     * @throws UncheckedIOException if {@code pacs/download} cannot be written
     */
    public Summary pull(PacsPull.Query query, Pipeline pipeline, PseudonymStore store, StoreScp.Config destination,
                        java.util.function.IntConsumer started) {
        if (!destination.aeTitle().equals(peer.callingAe())) {
            throw new IllegalArgumentException("the move destination's AE title must be ours (" + peer.callingAe()
                    + ")");
        }
        Route route = Route.pacs(pipeline.layout());
        Set<String> wanted = ConcurrentHashMap.newKeySet();
        Map<String, Pipeline.Kind> results = new ConcurrentHashMap<>();
        StoreScp.Receiver receiver = new StoreScp.Receiver() {
            @Override
            public Pipeline.FileResult received(Path file, String sop) throws IOException {
                if (sop == null) {
                    return pipeline.process(route, file, () -> { }); // a file of another run: no bookkeeping
                }
                Pipeline.FileResult r = pipeline.process(route, file, () -> {
                    store.pseudonym(PacsPull.PULLED_DOMAIN, sop);
                    store.flush();
                });
                if (r.kind() == Pipeline.Kind.QUARANTINED) {
                    store.pseudonym(PacsPull.PULLED_DOMAIN, sop); // the data manager's now: not fetched again
                    store.flush();
                }
                if (wanted.contains(sop)) {
                    results.put(sop, r.kind());
                }
                return r;
            }

            /** Named by the site-keyed UID, as PacsPull does: a file left complete is found again, not fetched. */
            @Override
            public String name(String sop) {
                return store.uid(sop);
            }
        };
        try (StoreScp scp = new StoreScp(destination, pipeline.layout(), receiver)) {
            scp.start();
            started.accept(scp.port());
            Association a = associate();
            int studies;
            int series = 0;
            int instances = 0;
            int before = 0;
            try {
                int move = context(a, Dicom.STUDY_ROOT_MOVE);
                List<Study> found = studies(a, query);
                studies = found.size();
                for (Study study : found) {
                    for (String se : seriesOf(a, study.studyUid(), query.modality())) {
                        series++;
                        List<String> sops = instancesOf(a, study.studyUid(), se);
                        instances += sops.size();
                        List<String> todo = new ArrayList<>();
                        for (String sop : sops) {
                            Path left = pipeline.layout().pacsDownload().resolve(receiver.name(sop) + ".dcm");
                            if (store.lookup(PacsPull.PULLED_DOMAIN, sop).isPresent()) {
                                before++;
                            } else if (Files.isRegularFile(left)) {
                                wanted.add(sop); // received by a pull the pipeline failed in: anonymised, not fetched
                                receiver.received(left, sop);
                            } else {
                                todo.add(sop);
                            }
                        }
                        wanted.addAll(todo);
                        if (todo.isEmpty()) {
                            continue;
                        }
                        if (todo.size() == sops.size()) {
                            move(a, move, new Elements().putString(Dicom.QUERY_RETRIEVE_LEVEL, "SERIES")
                                    .putString(Dicom.STUDY_INSTANCE_UID, study.studyUid())
                                    .putString(Dicom.SERIES_INSTANCE_UID, se));
                        } else {
                            for (String sop : todo) {
                                move(a, move, new Elements().putString(Dicom.QUERY_RETRIEVE_LEVEL, "IMAGE")
                                        .putString(Dicom.STUDY_INSTANCE_UID, study.studyUid())
                                        .putString(Dicom.SERIES_INSTANCE_UID, se)
                                        .putString(Dicom.SOP_INSTANCE_UID, sop));
                            }
                        }
                    }
                }
                a.release();
            } catch (IOException e) {
                throw broken(a, e);
            }
            scp.stop(); // the instances in hand are finished first
            int leftovers = scp.processLeftovers(); // complete files no instance of this query claimed
            int anonymised = 0;
            int quarantined = 0;
            for (Pipeline.Kind k : results.values()) {
                if (k == Pipeline.Kind.ANONYMISED) {
                    anonymised++;
                } else if (k == Pipeline.Kind.QUARANTINED) {
                    quarantined++;
                }
            }
            return new Summary(studies, series, instances, anonymised, quarantined, before,
                    wanted.size() - anonymised - quarantined, leftovers);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot receive into " + pipeline.layout().pacsDownload() + " ("
                    + e.getClass().getSimpleName() + "): check free space, permissions and that the move port is free",
                    e);
        }
    }

    private List<Study> studies(Association a, PacsPull.Query query) throws IOException {
        Map<String, Study> all = new java.util.LinkedHashMap<>(); // a study listed twice is one study
        List<Optional<String>> patients = query.patientIds().isEmpty() ? List.of(Optional.empty())
                : query.patientIds().stream().map(Optional::of).toList();
        for (Optional<String> patient : patients) {
            Elements keys = new Elements().putString(Dicom.QUERY_RETRIEVE_LEVEL, "STUDY")
                    .putString(Dicom.PATIENT_ID, patient.orElse(""))
                    .putString(Dicom.STUDY_INSTANCE_UID, "")
                    .putString(Dicom.STUDY_DATE, range(query.from(), query.to()));
            query.modality().ifPresent(m -> keys.putString(Dicom.MODALITIES_IN_STUDY, m));
            for (Elements e : find(a, keys)) {
                Optional<String> uid = e.string(Dicom.STUDY_INSTANCE_UID).filter(s -> !s.isEmpty());
                if (uid.isPresent()) {
                    all.putIfAbsent(uid.get(), new Study(e.string(Dicom.PATIENT_ID).orElse(""), uid.get(),
                            date(e.string(Dicom.STUDY_DATE).orElse(""))));
                }
            }
        }
        return List.copyOf(all.values());
    }

    private List<String> seriesOf(Association a, String study, Optional<String> modality) throws IOException {
        Elements keys = new Elements().putString(Dicom.QUERY_RETRIEVE_LEVEL, "SERIES")
                .putString(Dicom.STUDY_INSTANCE_UID, study).putString(Dicom.SERIES_INSTANCE_UID, "")
                .putString(MODALITY, modality.orElse(""));
        List<String> out = new ArrayList<>();
        for (Elements e : find(a, keys)) {
            e.string(Dicom.SERIES_INSTANCE_UID).filter(s -> !s.isEmpty()).ifPresent(out::add);
        }
        return out;
    }

    private List<String> instancesOf(Association a, String study, String series) throws IOException {
        Elements keys = new Elements().putString(Dicom.QUERY_RETRIEVE_LEVEL, "IMAGE")
                .putString(Dicom.STUDY_INSTANCE_UID, study).putString(Dicom.SERIES_INSTANCE_UID, series)
                .putString(Dicom.SOP_INSTANCE_UID, "");
        Set<String> out = new HashSet<>();
        for (Elements e : find(a, keys)) {
            e.string(Dicom.SOP_INSTANCE_UID).filter(s -> !s.isEmpty()).ifPresent(out::add);
        }
        return out.stream().sorted().toList();
    }

    /** One C-FIND: every pending identifier, until the final status. */
    private List<Elements> find(Association a, Elements keys) throws IOException {
        int ctx = context(a, Dicom.STUDY_ROOT_FIND);
        a.send(ctx, request(Dicom.STUDY_ROOT_FIND, Dicom.C_FIND_RQ, true), keys.encode(false));
        List<Elements> matches = new ArrayList<>();
        for (int i = 0; i < 1_000_000; i++) {
            Elements rsp = response(a, ctx);
            int status = rsp.us(Dicom.STATUS);
            boolean data = rsp.us(Dicom.COMMAND_DATA_SET_TYPE, Dicom.NO_DATA_SET) != Dicom.NO_DATA_SET;
            byte[] identifier = data ? a.dataSet(ctx) : null;
            if (status == Dicom.PENDING || status == Dicom.PENDING_WARNING) {
                if (identifier != null) {
                    matches.add(Elements.decode(identifier));
                }
            } else if (status == Dicom.SUCCESS) {
                return matches;
            } else {
                throw new DimseException(DimseException.Kind.PROTOCOL, peer + " failed a C-FIND with status "
                        + hex(status) + "; check that it serves Study Root C-FIND for " + peer.callingAe());
            }
        }
        throw new DimseException(DimseException.Kind.PROTOCOL, peer + " sent more than a million C-FIND answers");
    }

    /** One C-MOVE to ourselves: waits for the final status (the sub-operations are done then). */
    private void move(Association a, int ctx, Elements keys) throws IOException {
        Elements rq = request(Dicom.STUDY_ROOT_MOVE, Dicom.C_MOVE_RQ, true)
                .putString(Dicom.MOVE_DESTINATION, peer.callingAe());
        a.send(ctx, rq, keys.encode(false));
        for (int i = 0; i < 10_000_000; i++) {
            Elements rsp = response(a, ctx);
            int status = rsp.us(Dicom.STATUS);
            if (rsp.us(Dicom.COMMAND_DATA_SET_TYPE, Dicom.NO_DATA_SET) != Dicom.NO_DATA_SET) {
                a.dataSet(ctx); // the failed SOP instance list: the missing count says it
            }
            if (status == Dicom.PENDING || status == Dicom.PENDING_WARNING) {
                continue;
            }
            if (status == Dicom.SUCCESS || (status & 0xF000) == 0xB000) {
                return; // B000: some sub-operations failed; they are counted as missing
            }
            throw new DimseException(DimseException.Kind.PROTOCOL, peer + " failed a C-MOVE with status " + hex(status)
                    + (status == 0xA801 ? ": it does not know our AE title " + peer.callingAe()
                    + " as a move destination; add it (with our host and port) to the PACS" : ""));
        }
        throw new DimseException(DimseException.Kind.PROTOCOL, peer + " sent too many C-MOVE answers");
    }

    private Elements request(String sopClass, int field, boolean data) {
        return new Elements().putString(Dicom.AFFECTED_SOP_CLASS_UID, sopClass).putUs(Dicom.COMMAND_FIELD, field)
                .putUs(Dicom.MESSAGE_ID, ++messageId & 0xFFFF).putUs(Dicom.PRIORITY, 0)
                .putUs(Dicom.COMMAND_DATA_SET_TYPE, data ? 0 : Dicom.NO_DATA_SET);
    }

    /** @return the next response command to our current request */
    private Elements response(Association a, int ctx) throws IOException {
        Association.Pdv first = a.next();
        if (!first.command() || first.context() != ctx) {
            throw new ProtocolException(ProtocolException.UNEXPECTED_PARAMETER,
                    "expected a response command on presentation context " + ctx);
        }
        Elements rsp = a.command(first);
        if ((rsp.us(Dicom.COMMAND_FIELD) & Dicom.RESPONSE) == 0
                || rsp.us(Dicom.MESSAGE_ID_BEING_RESPONDED_TO) != (messageId & 0xFFFF)) {
            throw new ProtocolException(ProtocolException.UNEXPECTED_PARAMETER, "an answer to another request");
        }
        return rsp;
    }

    private int context(Association a, String abstractSyntax) {
        int ctx = a.contextFor(abstractSyntax);
        if (ctx < 0) {
            a.release();
            throw new DimseException(DimseException.Kind.REFUSED, peer + " did not accept "
                    + (abstractSyntax.equals(Dicom.VERIFICATION) ? "Verification"
                    : abstractSyntax.equals(Dicom.STUDY_ROOT_FIND) ? "Study Root C-FIND" : "Study Root C-MOVE")
                    + " in implicit VR little endian from " + peer.callingAe());
        }
        return ctx;
    }

    private DimseException broken(Association a, IOException e) {
        if (e instanceof ProtocolException p) {
            a.abort(p.reason());
            return new DimseException(DimseException.Kind.PROTOCOL, peer + " broke the protocol: " + e.getMessage(), e);
        }
        a.close();
        if (e instanceof Association.Ended) {
            return new DimseException(DimseException.Kind.UNREACHABLE, peer + ": " + e.getMessage()
                    + " in the middle of a request");
        }
        return new DimseException(DimseException.Kind.UNREACHABLE, peer + " stopped answering ("
                + e.getClass().getSimpleName() + "); check it is running, or raise the read time-out", e);
    }

    private static String range(Optional<LocalDate> from, Optional<LocalDate> to) {
        if (from.isEmpty() && to.isEmpty()) {
            return "";
        }
        return from.map(DA::format).orElse("") + "-" + to.map(DA::format).orElse("");
    }

    private static Optional<LocalDate> date(String da) {
        try {
            return da.length() >= 8 ? Optional.of(LocalDate.parse(da.substring(0, 8), DA)) : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String month(Optional<LocalDate> date) {
        return date.map(d -> DateReduction.MONTH.apply(d).toString().substring(0, 7)).orElse("");
    }

    private static String hex(int status) {
        return String.format("%04X", status);
    }
}
