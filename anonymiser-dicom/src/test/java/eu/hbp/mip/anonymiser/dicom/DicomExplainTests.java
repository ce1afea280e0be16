package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DicomExplainTests {

    @TempDir
    Path work;

    private List<String> explain(PseudonymStore store, String profile, Path in, boolean showValues)
            throws IOException {
        AnonymiserContext context = new AnonymiserContext(work.resolve("scripts"), store,
                Map.of(DicomAnonymiserProvider.PROFILE_OPTION, profile), DicomAnonymiserTests.CLOCK);
        Anonymiser anonymiser = new DicomAnonymiserProvider().create(context);
        List<String> lines = new ArrayList<>();
        assertTrue(anonymiser.explain(in, lines::add, showValues));
        return lines;
    }

    private static int mappings(PseudonymStore store) {
        AtomicInteger n = new AtomicInteger();
        store.export(m -> n.incrementAndGet());
        return n.get();
    }

    private static String line(List<String> lines, String start) {
        return lines.stream().filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with " + start + " in\n"
                        + String.join("\n", lines)));
    }

    @Test
    void namesEachElementsActionAndRuleAndWhereTheFreeTextNetFires() throws IOException {
        Path in = Corpus.instance(work.resolve("in"), "one", 1,
                Map.of("(0008,103e)", "(0008,103e) LO [T1 of Doe^Johnathan]"), "+te");
        byte[] before = Files.readAllBytes(in);
        try (PseudonymStore store = Stores.sqlite(work)) {
            int mapped = mappings(store);
            List<String> lines = explain(store, "mip-default", in, false);
            String text = String.join("\n", lines);

            assertEquals("  PatientName (0010,0010) PN length 14: empty [rule #10 (PatientName: empty) of profile"
                    + " shipped mip-default.yaml:65]", line(lines, "  PatientName (0010,0010)"));
            assertEquals("  OperatorsName (0008,1070) PN length 14: remove [remove-unspecified of profile shipped"
                    + " mip-default.yaml]", line(lines, "  OperatorsName (0008,1070)"));
            assertEquals("  PatientID (0010,0020) LO length 10: pseudonymise, domain patient [rule #1 (PatientID:"
                    + " pseudonymise) of profile shipped mip-default.yaml:26]", line(lines, "  PatientID (0010,0020)"));
            assertTrue(line(lines, "  StudyInstanceUID (0020,000D) UI").contains(": uid remap"), text);
            assertTrue(line(lines, "  Rows (0028,0010) US length 2: keep [rule #").contains("mip-default.yaml"), text);
            assertTrue(line(lines, "  AcquisitionDate (0008,0022) DA length 8").contains("date reduction to the month"),
                    text);
            assertTrue(line(lines, "free-text net").contains("SeriesDescription (0008,103E)"), text);
            assertTrue(line(lines, "burned-in text check").startsWith("burned-in text check: would not read"), text);
            assertEquals("no gate rejects the file: it would be anonymised", lines.get(lines.size() - 1));
            for (String secret : Corpus.SECRETS) {
                assertFalse(text.contains(secret), "a value without showValues");
            }
            assertEquals(mapped, mappings(store), "explain creates no pseudonym");
            assertTrue(line(explain(store, "mip-default", in, true), "  PatientID (0010,0020)")
                    .contains(Corpus.PATIENT_ID), "values when asked for");
            assertEquals(mapped, mappings(store));
        }
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(in)), "the input is left as it was");
        assertFalse(Files.exists(work.resolve("out")), "nothing written");
    }

    @Test
    void descendsIntoSequencesAndNamesThePs315TableRow() throws IOException {
        Path in = Corpus.instance(work.resolve("in"), "one", 1, Map.of(), "+te");
        try (PseudonymStore store = Stores.sqlite(work)) {
            List<String> lines = explain(store, "ps3.15-basic", in, false);
            String text = String.join("\n", lines);
            assertTrue(line(lines, "  ReferencedImageSequence (0008,1140)[1] > ReferencedSOPInstanceUID (0008,1155)")
                    .contains("uid remap"), text);
            assertTrue(line(lines, "  PatientName (0010,0010)").contains("PS3.15 table row"), text);
            assertEquals(0, mappings(store));
        }
    }

    @Test
    void namesTheGatesThatWouldRejectTheFile() throws IOException {
        Path in = Corpus.instance(work.resolve("in"), "one", 1, Map.of("(0010,0020)", "",
                "(0008,0008)", "(0008,0008) CS [DERIVED\\SECONDARY]"), "+te");
        try (PseudonymStore store = Stores.sqlite(work)) {
            List<String> lines = explain(store, "mip-default", in, false);
            line(lines, "gate dicom-missing-patient-id: PatientID (0010,0020) is absent or empty");
            line(lines, "gate dicom-secondary-image: ImageType (0008,0008) is DERIVED\\SECONDARY");
            assertEquals("it would be rejected (dicom-missing-patient-id)", lines.get(lines.size() - 1));
        }
    }
}
