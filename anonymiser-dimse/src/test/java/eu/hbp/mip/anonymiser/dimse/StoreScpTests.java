package eu.hbp.mip.anonymiser.dimse;

import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.pipeline.Pipeline;
import eu.hbp.mip.anonymiser.pipeline.Site;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreScpTests {

    private static final String AE = "MIP_ANON";

    private static StoreScp.Config config(List<String> allowed, int max, long maxBytes) {
        return new StoreScp.Config(AE, InetAddress.getLoopbackAddress(), 0, allowed, max, maxBytes,
                Duration.ofSeconds(5), Duration.ofSeconds(20));
    }

    private static List<String> store(StoreScp scp, String aet, List<Path> files) throws Exception {
        return store(scp, aet, "-xe", files);
    }

    /** Sends with storescu, proposing the transfer syntaxes of {@code propose} ({@code -xe}, {@code -xr}, ...) first. */
    private static List<String> store(StoreScp scp, String aet, String propose, List<Path> files) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("storescu", "-v", propose, "-aet", aet, "-aec", AE, "-to", "20",
                "-ta", "20", "-td", "20", "127.0.0.1", Integer.toString(scp.port())));
        files.forEach(f -> cmd.add(f.toString()));
        Tools.Run r = Tools.run(cmd.toArray(String[]::new));
        return List.of(Integer.toString(r.exit()), r.output());
    }

    /** The storescu option that proposes a dump2dcm syntax first, so that the file is sent as it is. */
    private static String proposal(String syntax) {
        return switch (syntax) {
            case "+ti" -> "-xi";
            case "+tb" -> "-xb";
            case "+td" -> "-xd";
            case "rle" -> "-xr";
            default -> "-xe";
        };
    }

    @Test
    void storescuCorpusInEveryTransferSyntaxEndsAnonymisedOrQuarantinedWithoutAnOriginalValue(@TempDir Path tmp)
            throws Exception {
        FolderLayout layout = Tools.site(tmp.resolve("data"));
        List<Path> corpus = new ArrayList<>();
        String[] syntaxes = {"+te", "+ti", "+tb", "+td", "rle", "+te"};
        for (int i = 0; i < syntaxes.length; i++) {
            corpus.add(Tools.image(tmp.resolve("corpus"), i, syntaxes[i], i == syntaxes.length - 1));
        }
        try (Site site = Site.open(layout, null, null); Pipeline pipeline = Tools.pipeline(site);
             StoreScp scp = new StoreScp(config(List.of("SENDER@127.0.0.1"), 2, 1 << 20), pipeline)) {
            scp.start();
            for (int i = 0; i < corpus.size(); i++) {
                List<String> r = store(scp, "SENDER", proposal(syntaxes[i]), List.of(corpus.get(i)));
                assertEquals("0", r.get(0), r.get(1));
            }
            Tools.ok("echoscu", "-aet", "SENDER", "-aec", AE, "127.0.0.1", Integer.toString(scp.port()));
            scp.stop();
            StoreScp.Counts c = scp.counts();
            assertEquals(corpus.size(), c.received(), c.toString());
            assertEquals(corpus.size() - 1, c.anonymised(), c.toString());
            assertEquals(1, c.quarantined(), "the SECONDARY image is refused by default: " + c);
        }
        assertEquals(List.of(), Tools.files(layout.pacsDownload()), "pacs/download is left empty");
        List<Path> outputs = Tools.files(layout.pacsDicoms());
        assertEquals(corpus.size() - 1, outputs.size());
        for (Path out : outputs) {
            Tools.ok("dcmdump", "-q", out.toString());
        }
        assertEquals(List.of(), Tools.leaks(layout.pacsDicoms(), Tools.originals(corpus.size())));
        List<Path> quarantined = Tools.files(layout.quarantine(FolderLayout.PACS_BUCKET));
        assertEquals(2, quarantined.size(), "the instance and its reason: " + quarantined);
        for (Path q : quarantined) {
            if (q.toString().endsWith(".reason.txt")) {
                assertEquals(List.of(), Tools.leaks(q.getParent(), Tools.originals(corpus.size())).stream()
                        .filter(l -> l.startsWith(q.getFileName().toString())).toList());
            }
        }
    }

    @Test
    void receivesEachInstanceByteForByteInTheTransferSyntaxItWasSent(@TempDir Path tmp) throws Exception {
        FolderLayout layout = Tools.site(tmp.resolve("data"));
        String[] syntaxes = {"+te", "+ti", "+tb", "+td", "rle"};
        java.util.Map<String, byte[]> sent = new java.util.HashMap<>();
        List<Path> corpus = new ArrayList<>();
        for (int i = 0; i < syntaxes.length; i++) {
            Path f = Tools.image(tmp.resolve("corpus"), i, syntaxes[i], false);
            corpus.add(f);
            sent.put(Tools.transferSyntax(f), Tools.dataSet(f));
        }
        assertEquals(syntaxes.length, sent.size(), "one file per transfer syntax: " + sent.keySet());
        java.util.Map<String, byte[]> got = new java.util.concurrent.ConcurrentHashMap<>();
        Path kept = java.nio.file.Files.createDirectories(tmp.resolve("kept"));
        StoreScp.Receiver keep = (file, sop) -> {
            Path copy = kept.resolve(file.getFileName());
            java.nio.file.Files.move(file, copy);
            got.put(Tools.transferSyntax(copy), Tools.dataSet(copy));
            return new Pipeline.FileResult(Pipeline.Kind.TAKEN, null, 0, 0, null, null);
        };
        try (StoreScp scp = new StoreScp(config(List.of(), 2, 1 << 20), layout, keep)) {
            scp.start();
            for (int i = 0; i < corpus.size(); i++) {
                List<String> r = store(scp, "SENDER", proposal(syntaxes[i]), List.of(corpus.get(i)));
                assertEquals("0", r.get(0), r.get(1));
            }
            scp.stop();
        }
        assertEquals(sent.keySet(), got.keySet());
        for (String ts : sent.keySet()) {
            byte[] expected = sent.get(ts);
            if (expected.length % 2 == 1) {
                // PS3.5 A.5: a deflated stream travels padded to even length with one 00H byte
                expected = java.util.Arrays.copyOf(expected, expected.length + 1);
            }
            assertArrayEquals(expected, got.get(ts), "the data set in " + ts + " is kept as received");
        }
        for (Path f : Tools.files(kept)) {
            Tools.ok("dcmdump", "-q", f.toString());
        }
    }

    @Test
    void callerNotOnTheAllowListIsRejectedAndNothingIsReceived(@TempDir Path tmp) throws Exception {
        FolderLayout layout = Tools.site(tmp.resolve("data"));
        Path file = Tools.image(tmp.resolve("corpus"), 1, "+te", false);
        try (Site site = Site.open(layout, null, null); Pipeline pipeline = Tools.pipeline(site);
             StoreScp scp = new StoreScp(config(List.of("SENDER@127.0.0.1"), 2, 1 << 20), pipeline)) {
            scp.start();
            List<String> r = store(scp, "STRANGER", List.of(file));
            assertNotEquals("0", r.get(0), r.get(1));
            assertTrue(r.get(1).contains("Calling AE Title Not Recognized"), r.get(1));
            Tools.Run wrongCalled = Tools.run("echoscu", "-aet", "SENDER", "-aec", "SOMEONE_ELSE", "127.0.0.1",
                    Integer.toString(scp.port()));
            assertNotEquals(0, wrongCalled.exit(), wrongCalled.output());
            scp.stop();
            assertEquals(0, scp.counts().received());
            assertEquals(2, scp.counts().rejected());
        }
        assertEquals(List.of(), Tools.files(layout.pacsDownload()));
        assertEquals(List.of(), Tools.files(layout.pacsDicoms()));
    }

    @Test
    void oversizedPduLengthIsAbortedAndOthersAreStillServed(@TempDir Path tmp) throws Exception {
        FolderLayout layout = Tools.site(tmp.resolve("data"));
        try (Site site = Site.open(layout, null, null); Pipeline pipeline = Tools.pipeline(site);
             StoreScp scp = new StoreScp(config(List.of(), 2, 1 << 20), pipeline)) {
            scp.start();
            byte[] announced = ByteBuffer.allocate(6).put((byte) 1).put((byte) 0).putInt(0x7FFFFFF0).array();
            assertEquals(Pdu.ABORT, answerTo(scp, announced), "an absurd length is refused with A-ABORT");
            byte[] unknown = {(byte) 0x42, 0, 0, 0, 0, 4, 1, 2, 3, 4};
            assertEquals(Pdu.ABORT, answerTo(scp, unknown), "an unknown PDU type is refused with A-ABORT");
            byte[] truncatedRq = ByteBuffer.allocate(6 + 80).put((byte) 1).put((byte) 0).putInt(80).array();
            truncatedRq[6 + 69] = 0x10; // an item whose length runs past the PDU
            truncatedRq[6 + 72] = (byte) 0xFF;
            assertEquals(Pdu.ABORT, answerTo(scp, truncatedRq), "a malformed A-ASSOCIATE-RQ is refused with A-ABORT");
            Tools.ok("echoscu", "-aet", "ANY", "-aec", AE, "127.0.0.1", Integer.toString(scp.port()));
            scp.stop();
            assertEquals(3, scp.counts().aborted());
        }
    }

    @Test
    void malformedOrOversizedPDataInsideAnAssociationIsAbortedAndOthersAreStillServed(@TempDir Path tmp)
            throws Exception {
        FolderLayout layout = Tools.site(tmp.resolve("data"));
        try (Site site = Site.open(layout, null, null); Pipeline pipeline = Tools.pipeline(site);
             StoreScp scp = new StoreScp(config(List.of(), 4, 1 << 20), pipeline)) {
            scp.start();
            byte[][] bad = {
                Pdu.frame(Pdu.P_DATA_TF, new byte[] {0, 0, 0, 50, 1, 3, 0, 0}), // a PDV of 50 bytes in a PDU of 8
                {Pdu.P_DATA_TF, 0, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, // 2 GiB announced, nothing sent
            };
            for (byte[] raw : bad) {
                Association a = Association.request("127.0.0.1", scp.port(), "FUZZ", AE,
                        List.of(new Pdu.Proposed(1, Dicom.VERIFICATION, List.of(Dicom.IMPLICIT_LE))),
                        Association.Timeouts.DEFAULT);
                a.writeRaw(raw);
                assertEquals(Pdu.ABORT, a.input().readUnsignedByte());
                a.close();
            }
            Tools.ok("echoscu", "-aet", "ANY", "-aec", AE, "127.0.0.1", Integer.toString(scp.port()));
            scp.stop();
            assertEquals(2, scp.counts().aborted());
        }
    }

    @Test
    void concurrentSendersAreAllReceived(@TempDir Path tmp) throws Exception {
        FolderLayout layout = Tools.site(tmp.resolve("data"));
        List<Path> corpus = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            corpus.add(Tools.image(tmp.resolve("corpus"), i, "+te", false));
        }
        try (Site site = Site.open(layout, null, null); Pipeline pipeline = Tools.pipeline(site);
             StoreScp scp = new StoreScp(config(List.of(), 4, 1 << 20), pipeline)) {
            scp.start();
            List<Thread> senders = new ArrayList<>();
            List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int s = 0; s < 3; s++) {
                List<Path> share = List.of(corpus.get(2 * s), corpus.get(2 * s + 1));
                Thread t = new Thread(() -> {
                    try {
                        List<String> r = store(scp, "SENDER", share);
                        if (!r.get(0).equals("0")) {
                            failures.add(r.get(1));
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                });
                senders.add(t);
                t.start();
            }
            for (Thread t : senders) {
                t.join(120_000);
            }
            assertEquals(List.of(), failures);
            scp.stop();
            assertEquals(6, scp.counts().received());
            assertEquals(6, scp.counts().anonymised());
        }
        assertEquals(6, Tools.files(layout.pacsDicoms()).size());
        assertEquals(List.of(), Tools.files(layout.pacsDownload()));
    }

    @Test
    void peerTricklingItsAssociateRequestIsCutOffByTheArtimTimer(@TempDir Path tmp) throws Exception {
        FolderLayout layout = Tools.site(tmp.resolve("data"));
        StoreScp.Config oneSecond = new StoreScp.Config(AE, InetAddress.getLoopbackAddress(), 0, List.of(), 2,
                1 << 20, Duration.ofSeconds(1), Duration.ofSeconds(20));
        try (Site site = Site.open(layout, null, null); Pipeline pipeline = Tools.pipeline(site);
             StoreScp scp = new StoreScp(oneSecond, pipeline)) {
            scp.start();
            trickle(scp.port());
        }
    }

    private static void trickle(int port) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(50);
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {Pdu.ASSOCIATE_RQ, 0, 0, 0, 0, 100}); // 100 bytes announced, sent one by one
            boolean closed = false;
            for (int i = 0; i < 100 && !closed; i++) {
                try {
                    out.write(0);
                    out.flush();
                    closed = s.getInputStream().read() < 0;
                } catch (java.net.SocketTimeoutException stillOpen) {
                    Thread.sleep(300); // slower than the per-read time-out would ever notice
                } catch (IOException reset) {
                    closed = true;
                }
            }
            assertTrue(closed, "the SCP closes a connection whose A-ASSOCIATE-RQ does not arrive within ARTIM");
        }
    }

    /** Sends raw bytes and returns the type of the PDU answered. */
    private static int answerTo(StoreScp scp, byte[] bytes) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), scp.port())) {
            s.setSoTimeout(20_000);
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            out.write(bytes);
            out.flush();
            return new DataInputStream(s.getInputStream()).readUnsignedByte();
        }
    }

    @Test
    void associationsBeyondTheLimitAreRejectedAsTransient(@TempDir Path tmp) throws Exception {
        FolderLayout layout = Tools.site(tmp.resolve("data"));
        try (Site site = Site.open(layout, null, null); Pipeline pipeline = Tools.pipeline(site);
             StoreScp scp = new StoreScp(config(List.of(), 1, 1 << 20), pipeline)) {
            scp.start();
            Association held = Association.request("127.0.0.1", scp.port(), "HOLDER", AE,
                    List.of(new Pdu.Proposed(1, Dicom.VERIFICATION, List.of(Dicom.IMPLICIT_LE))),
                    Association.Timeouts.DEFAULT);
            DimseException refused = org.junit.jupiter.api.Assertions.assertThrows(DimseException.class,
                    () -> Association.request("127.0.0.1", scp.port(), "SECOND", AE,
                            List.of(new Pdu.Proposed(1, Dicom.VERIFICATION, List.of(Dicom.IMPLICIT_LE))),
                            Association.Timeouts.DEFAULT));
            assertTrue(refused.getMessage().contains("transient rejection"), refused.getMessage());
            held.release();
            Tools.await(() -> scp.counts().associations() == 1 && pipelineFree(scp), "the held association ends");
            Tools.ok("echoscu", "-aet", "ANY", "-aec", AE, "127.0.0.1", Integer.toString(scp.port()));
        }
    }

    @Test
    void stopAbortsAnAssociationWaitingBetweenMessagesAndRefusesNewOnes(@TempDir Path tmp) throws Exception {
        FolderLayout layout = Tools.site(tmp.resolve("data"));
        try (Site site = Site.open(layout, null, null); Pipeline pipeline = Tools.pipeline(site)) {
            StoreScp scp = new StoreScp(config(List.of(), 2, 1 << 20), pipeline);
            scp.start();
            int port = scp.port();
            Association idle = Association.request("127.0.0.1", port, "IDLE", AE,
                    List.of(new Pdu.Proposed(1, Dicom.VERIFICATION, List.of(Dicom.IMPLICIT_LE))),
                    Association.Timeouts.DEFAULT);
            Tools.await(() -> scp.active() == 1, "the association is served");
            scp.stop(); // returns without waiting for the idle peer's read time-out
            assertEquals(Pdu.ABORT, idle.input().readUnsignedByte(), "the idle peer is told with A-ABORT");
            idle.close();
            assertEquals(0, scp.active());
            Tools.Run after = Tools.run("echoscu", "-aet", "ANY", "-aec", AE, "127.0.0.1", Integer.toString(port));
            assertNotEquals(0, after.exit(), "a stopped SCP accepts nothing: " + after.output());
        }
    }

    private static boolean pipelineFree(StoreScp scp) {
        try {
            Association a = Association.request("127.0.0.1", scp.port(), "PROBE", AE,
                    List.of(new Pdu.Proposed(1, Dicom.VERIFICATION, List.of(Dicom.IMPLICIT_LE))),
                    Association.Timeouts.DEFAULT);
            a.release();
            return true;
        } catch (DimseException e) {
            return false;
        }
    }

    @Test
    void instanceOverTheSizeLimitIsAnsweredA700AndNotKept(@TempDir Path tmp) throws Exception {
        FolderLayout layout = Tools.site(tmp.resolve("data"));
        Path file = Tools.image(tmp.resolve("corpus"), 1, "+te", false);
        try (Site site = Site.open(layout, null, null); Pipeline pipeline = Tools.pipeline(site);
             StoreScp scp = new StoreScp(config(List.of(), 2, 100), pipeline)) {
            scp.start();
            List<String> r = store(scp, "SENDER", List.of(file));
            assertTrue(r.get(1).contains("Refused: OutOfResources"),
                    r.get(1));
            Tools.ok("echoscu", "-aet", "ANY", "-aec", AE, "127.0.0.1", Integer.toString(scp.port()));
            scp.stop();
            assertEquals(1, scp.counts().refused());
            assertEquals(0, scp.counts().received());
        }
        assertEquals(List.of(), Tools.files(layout.pacsDownload()));
        assertEquals(List.of(), Tools.files(layout.pacsDicoms()));
    }

    @Test
    void brokenAssociationDeletesThePartialFileAndOffersNothing(@TempDir Path tmp) throws Exception {
        FolderLayout layout = Tools.site(tmp.resolve("data"));
        try (Site site = Site.open(layout, null, null); Pipeline pipeline = Tools.pipeline(site);
             StoreScp scp = new StoreScp(config(List.of(), 2, 1 << 20), pipeline)) {
            scp.start();
            String mr = "1.2.840.10008.5.1.4.1.1.4";
            Association a = Association.request("127.0.0.1", scp.port(), "BREAKER", AE,
                    List.of(new Pdu.Proposed(1, mr, List.of(Dicom.EXPLICIT_LE))), Association.Timeouts.DEFAULT);
            Elements rq = new Elements().putString(Dicom.AFFECTED_SOP_CLASS_UID, mr)
                    .putUs(Dicom.COMMAND_FIELD, Dicom.C_STORE_RQ).putUs(Dicom.MESSAGE_ID, 1)
                    .putUs(Dicom.PRIORITY, 0).putUs(Dicom.COMMAND_DATA_SET_TYPE, 0)
                    .putString(Dicom.AFFECTED_SOP_INSTANCE_UID, Tools.UID_ROOT + ".9");
            a.send(1, rq, null);
            // one data fragment that is not the last, then the connection drops
            byte[] fragment = new byte[1000];
            ByteBuffer pdu = ByteBuffer.allocate(12 + fragment.length);
            pdu.put((byte) Pdu.P_DATA_TF).put((byte) 0).putInt(6 + fragment.length).putInt(2 + fragment.length)
                    .put((byte) 1).put((byte) 0).put(fragment);
            a.write(Pdu.P_DATA_TF, java.util.Arrays.copyOfRange(pdu.array(), 6, pdu.capacity()));
            Tools.await(() -> !Tools.filesQuietly(layout.pacsDownload()).isEmpty(), "the partial file is written");
            a.close();
            Tools.await(() -> scp.counts().aborted() == 1, "the SCP sees the broken association");
            assertEquals(List.of(), Tools.files(layout.pacsDownload()), "the partial file is deleted");
            assertEquals(0, scp.counts().received());
        }
        assertEquals(List.of(), Tools.files(layout.pacsDicoms()));
    }
}
