package eu.hbp.mip.anonymiser.dimse;

import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.pipeline.Pipeline;
import eu.hbp.mip.anonymiser.pipeline.Site;
import eu.hbp.mip.anonymiser.pipeline.pacs.PacsPull;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DimseScuTests {

    private static final String OUR_AE = "MIP_PULL";
    private static final int IMAGES = 4;

    @TempDir
    static Path shared;
    private static Orthanc orthanc;
    private static int movePort;

    @BeforeAll
    static void startOrthancWithACorpus() throws Exception {
        movePort = Orthanc.freePort();
        orthanc = new Orthanc(shared.resolve("orthanc"), OUR_AE, movePort);
        List<Path> corpus = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            corpus.add(Tools.image(shared.resolve("corpus"), i, "+te", i == IMAGES - 1));
        }
        orthanc.upload(corpus);
    }

    @AfterAll
    static void stopOrthanc() throws Exception {
        orthanc.close();
    }

    private static DimseScu scu(String calledAe) {
        return new DimseScu(new DimseScu.Peer("127.0.0.1", orthanc.dicomPort(), calledAe, OUR_AE,
                Duration.ofSeconds(5), Duration.ofSeconds(30)));
    }

    private static PacsPull.Query all() {
        return new PacsPull.Query(Optional.empty(), Optional.empty(), Optional.empty(), List.of());
    }

    private static StoreScp.Config destination() {
        return new StoreScp.Config(OUR_AE, InetAddress.getLoopbackAddress(), movePort, List.of(), 4, 1 << 24,
                Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    @Test
    void findShowsPatientPseudonymsAndMonthsNeverTheOriginals(@TempDir Path data) {
        FolderLayout layout = Tools.site(data);
        try (Site site = Site.open(layout, null, null)) {
            scu(Orthanc.AET).echo();
            List<PacsPull.FoundPatient> found = scu(Orthanc.AET).find(site.store(), all());
            assertEquals(IMAGES, found.size(), "one patient per image in the corpus: " + found);
            for (PacsPull.FoundPatient p : found) {
                assertTrue(site.store().lookup(PseudonymStore.PATIENT, "DIMSE-ID-0").isPresent());
                assertTrue(!p.patient().contains("DIMSE"), p.patient());
                assertEquals(List.of("2024-03"), p.months());
            }
            PacsPull.Query one = new PacsPull.Query(Optional.of(LocalDate.of(2024, 3, 1)),
                    Optional.of(LocalDate.of(2024, 3, 31)), Optional.of("MR"), List.of("DIMSE-ID-1"));
            List<PacsPull.FoundPatient> filtered = scu(Orthanc.AET).find(site.store(), one);
            assertEquals(List.of(site.store().pseudonym(PseudonymStore.PATIENT, "DIMSE-ID-1")),
                    filtered.stream().map(PacsPull.FoundPatient::patient).toList());
            PacsPull.Query none = new PacsPull.Query(Optional.of(LocalDate.of(2025, 1, 1)), Optional.empty(),
                    Optional.empty(), List.of());
            assertEquals(List.of(), scu(Orthanc.AET).find(site.store(), none));
        }
    }

    @Test
    void wrongCalledAeTitleIsRefusedWithAMessageThatNamesThePeer() {
        DimseException e = assertThrows(DimseException.class, () -> scu("NOT_ORTHANC").echo());
        assertEquals(DimseException.Kind.REFUSED, e.kind());
    }

    @Test
    void pullAnonymisesAFileLeftCompleteByAnEarlierPullInsteadOfFetchingItAgain(@TempDir Path data) throws Exception {
        FolderLayout layout = Tools.site(data);
        try (Site site = Site.open(layout, null, null); Pipeline pipeline = Tools.pipeline(site)) {
            // The file an earlier pull received before its pipeline failed: same instance, but told apart from
            // Orthanc's copy by its image type (SECONDARY, so the pipeline quarantines it; Orthanc's is PRIMARY).
            Path left = Tools.image(data.resolve("made"), 0, "+te", true);
            String key = site.store().uid(Tools.UID_ROOT + ".1.0");
            Files.move(left, layout.pacsDownload().resolve(key + ".dcm"));
            PacsPull.Query patient0 = new PacsPull.Query(Optional.empty(), Optional.empty(), Optional.empty(),
                    List.of("DIMSE-ID-0"));
            DimseScu.Summary s = scu(Orthanc.AET).pull(patient0, pipeline, site.store(), destination(), port -> { });
            assertEquals(1, s.instances(), s.toString());
            assertEquals(1, s.quarantined(), "the file left behind went through the pipeline: " + s);
            assertEquals(0, s.anonymised(), "Orthanc's copy was not fetched: " + s);
            assertTrue(site.store().lookup(PacsPull.PULLED_DOMAIN, Tools.UID_ROOT + ".1.0").isPresent());
        }
        assertEquals(List.of(), Tools.files(layout.pacsDownload()));
        assertEquals(List.of(), Tools.files(layout.pacsDicoms()));
    }

    @Test
    void pullMovesEveryInstanceThroughThePipelineAndAResumedPullSkipsThem(@TempDir Path data) throws Exception {
        FolderLayout layout = Tools.site(data);
        try (Site site = Site.open(layout, null, null); Pipeline pipeline = Tools.pipeline(site)) {
            DimseScu.Summary first = scu(Orthanc.AET).pull(all(), pipeline, site.store(), destination(), port -> { });
            assertEquals(IMAGES, first.instances(), first.toString());
            assertEquals(IMAGES - 1, first.anonymised(), first.toString());
            assertEquals(1, first.quarantined(), "the SECONDARY image: " + first);
            assertEquals(0, first.missing(), first.toString());
            DimseScu.Summary again = scu(Orthanc.AET).pull(all(), pipeline, site.store(), destination(), port -> { });
            assertEquals(IMAGES, again.pulledBefore(), again.toString());
            assertEquals(0, again.anonymised() + again.quarantined() + again.missing(), again.toString());
        }
        assertEquals(List.of(), Tools.files(layout.pacsDownload()));
        List<Path> outputs = Tools.files(layout.pacsDicoms());
        assertEquals(IMAGES - 1, outputs.size());
        for (Path f : outputs) {
            Tools.ok("dcmdump", "-q", f.toString());
        }
        assertEquals(List.of(), Tools.leaks(layout.pacsDicoms(), Tools.originals(IMAGES)));
        assertTrue(Files.isDirectory(layout.quarantine(FolderLayout.PACS_BUCKET)));
    }
}
