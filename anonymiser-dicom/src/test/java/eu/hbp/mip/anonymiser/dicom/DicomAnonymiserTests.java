package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.OutputSink;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.dicom.codec.DataSet;
import eu.hbp.mip.anonymiser.dicom.codec.DicomFile;
import eu.hbp.mip.anonymiser.dicom.codec.DicomReader;
import eu.hbp.mip.anonymiser.dicom.codec.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DicomAnonymiserTests {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    static Path shared;
    static List<Path> series;

    @BeforeAll
    static void corpus() {
        series = Corpus.series(shared.resolve("in"));
    }

    /** One run of a shipped profile over the series: the store, the outcomes and the outputs. */
    record Run(PseudonymStore store, List<Outcome.Anonymised> outcomes, List<Path> outputs) implements AutoCloseable {
        @Override
        public void close() {
            store.close();
        }
    }

    static Run anonymise(String profile, Path work) throws IOException {
        PseudonymStore store = Stores.sqlite(work);
        AnonymiserContext context = new AnonymiserContext(work.resolve("scripts"), store,
                Map.of(DicomAnonymiserProvider.PROFILE_OPTION, profile), CLOCK);
        Anonymiser anonymiser = new DicomAnonymiserProvider().create(context);
        Path out = work.resolve("out");
        List<Outcome.Anonymised> outcomes = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (Path in : series) {
            Outcome o = anonymiser.anonymise(in, OutputSink.into(out));
            Outcome.Anonymised a = assertInstanceOf(Outcome.Anonymised.class, o, () -> in + ": " + o);
            outcomes.add(a);
            for (String name : a.outputs()) {
                outputs.add(out.resolve(name));
            }
        }
        return new Run(store, outcomes, outputs);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mip-default", "ps3.15-basic"})
    void noOriginalIdentifierSurvivesInAnyOutputByte(String profile, @TempDir Path work) throws IOException {
        try (Run run = anonymise(profile, work)) {
            assertEquals(series.size(), run.outputs().size());
            for (Path out : run.outputs()) {
                List<byte[]> views = new ArrayList<>();
                views.add(Tools.bytes(out));
                // a deflated output hides its text from a byte search: inflate it with DCMTK as well
                Path inflated = work.resolve("inflated-" + out.getFileName());
                Files.deleteIfExists(inflated);
                Tools.ok("dcmtk", "dcmconv", "+te", out.toString(), inflated.toString());
                views.add(Tools.bytes(inflated));
                for (String secret : Corpus.SECRETS) {
                    for (Charset cs : List.of(StandardCharsets.ISO_8859_1, StandardCharsets.UTF_16LE,
                            StandardCharsets.UTF_16BE)) {
                        byte[] needle = secret.getBytes(cs);
                        for (byte[] hay : views) {
                            assertFalse(contains(hay, needle), profile + ": '" + secret + "' (" + cs + ") found in " + out);
                        }
                    }
                }
                assertFalse(out.toString().contains("Doe") || out.toString().contains("Johnathan") || out.toString().contains("in-"),
                        "no part of the input name survives: " + out);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mip-default", "ps3.15-basic"})
    void everyOutputParsesWithDcmdumpAndDciodvfyFindsNoNewError(String profile, @TempDir Path work) throws IOException {
        try (Run run = anonymise(profile, work)) {
            for (int i = 0; i < series.size(); i++) {
                Path out = run.outputs().get(i);
                String dump = Tools.dcmdump(out);
                assertTrue(dump.contains("(0012,0062) CS [YES]"), dump);
                List<String> before = Tools.dciodvfyErrors(series.get(i));
                List<String> after = new ArrayList<>(Tools.dciodvfyErrors(out));
                after.removeAll(before);
                assertEquals(List.of(), after, profile + ": new dciodvfy errors on " + out);
            }
        }
    }

    @Test
    void patientIdGetsTheSamePseudonymAsOnTheCsvSide(@TempDir Path work) throws IOException {
        try (Run run = anonymise("mip-default", work)) {
            // the CSV anonymiser calls store.pseudonym("patient", id) for its subject column
            String csvSide = run.store().pseudonym(PseudonymStore.PATIENT, Corpus.PATIENT_ID);
            for (int i = 0; i < series.size(); i++) {
                try (DicomFile f = DicomReader.read(run.outputs().get(i))) {
                    assertEquals(csvSide, f.dataSet().string("PatientID").orElseThrow());
                }
                assertEquals(java.util.Set.of(csvSide), run.outcomes().get(i).subjects());
            }
        }
    }

    @Test
    void uidsStayConsistentAcrossTheSeriesAndReferencesResolve(@TempDir Path work) throws IOException {
        try (Run run = anonymise("ps3.15-basic", work)) {
            Map<String, DataSet> bySop = new HashMap<>();
            List<DicomFile> files = new ArrayList<>();
            try {
                for (Path out : run.outputs()) {
                    DicomFile f = DicomReader.read(out);
                    files.add(f);
                    bySop.put(f.dataSet().string("SOPInstanceUID").orElseThrow(), f.dataSet());
                    assertEquals(f.dataSet().string("SOPInstanceUID"), f.meta().string(Tag.MEDIA_STORAGE_SOP_INSTANCE_UID),
                            "MediaStorageSOPInstanceUID follows the remapped SOPInstanceUID");
                    assertEquals(run.store().uid(Corpus.STUDY_UID), f.dataSet().string("StudyInstanceUID").orElseThrow());
                    assertEquals(run.store().uid(Corpus.SERIES_UID), f.dataSet().string("SeriesInstanceUID").orElseThrow());
                    assertEquals("113100", f.dataSet().items("DeidentificationMethodCodeSequence").get(0)
                            .string("CodeValue").orElseThrow(), "the Basic Profile is claimed");
                }
                assertEquals(series.size(), bySop.size());
                for (DicomFile f : files) {
                    String ref = f.dataSet().items("ReferencedImageSequence").get(0)
                            .string("ReferencedSOPInstanceUID").orElseThrow();
                    assertTrue(bySop.containsKey(ref), "the reference resolves to another output instance");
                    assertNotEquals(f.dataSet().string("SOPInstanceUID").orElseThrow(), ref);
                }
            } finally {
                for (DicomFile f : files) {
                    f.close();
                }
            }
        }
    }

    @Test
    void namesFollowTheMipLayoutAndKeepInstanceOrder(@TempDir Path work) throws IOException {
        try (Run run = anonymise("mip-default", work)) {
            String visit = run.store().pseudonym("visit", Corpus.PATIENT_ID + "\\" + Corpus.STUDY_UID);
            for (int i = 0; i < series.size(); i++) {
                assertEquals(List.of(String.format("DICOM/2026/20261125/%s/0003/%05d.dcm", visit, i + 1)),
                        run.outcomes().get(i).outputs());
            }
        }
    }

    @Test
    void mipDefaultKeepsTheMipTagsAndReducesDates(@TempDir Path work) throws IOException {
        try (Run run = anonymise("mip-default", work)) {
            try (DicomFile f = DicomReader.read(run.outputs().get(0))) {
                DataSet ds = f.dataSet();
                assertEquals("20210301", ds.string("AcquisitionDate").orElseThrow());
                assertEquals("20210301", ds.string("SeriesDate").orElseThrow());
                assertEquals("19700101", ds.string("PatientBirthDate").orElseThrow());
                assertEquals("T1 MPRAGE", ds.string("SeriesDescription").orElseThrow());
                assertEquals("051Y", ds.string("PatientAge").orElseThrow());
                assertEquals(16, ds.string("StudyID").orElseThrow().length());
                assertEquals(64, ds.integer("Rows").orElseThrow());
                assertTrue(ds.contains(Tag.PIXEL_DATA));
                assertFalse(ds.contains("InstitutionName"));
                assertFalse(ds.contains(0x00091001), "private element removed");
                assertFalse(ds.contains(0x00090010), "private creator removed");
                assertFalse(ds.contains(0x60000010), "overlay removed");
                assertFalse(ds.contains(0x50000005), "curve removed");
                assertEquals("", ds.string("PatientName").orElse(""));
                assertEquals("YES", ds.string("PatientIdentityRemoved").orElseThrow());
                List<String> codes = new ArrayList<>();
                for (DataSet item : ds.items("DeidentificationMethodCodeSequence")) {
                    codes.add(item.string("CodeValue").orElseThrow());
                    assertEquals("DCM", item.string("CodingSchemeDesignator").orElseThrow());
                }
                // dates reduced (modified dates), sex and age kept (patient characteristics); descriptors
                // are kept uncleaned, so the Basic Profile (113100) is not claimed
                assertEquals(List.of("113108", "113107"), codes);
            }
        }
    }

    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
