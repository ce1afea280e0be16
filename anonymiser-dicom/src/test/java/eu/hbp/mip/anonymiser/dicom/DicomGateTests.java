package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.Bucket;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.OutputSink;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DicomGateTests {

    @TempDir
    Path dir;

    private PseudonymStore store;

    @org.junit.jupiter.api.BeforeEach
    void open() {
        store = Stores.sqlite(dir);
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        store.close();
    }

    private Outcome run(Path input, Map<String, String> options) throws IOException {
        Map<String, String> o = new HashMap<>(options);
        AnonymiserContext context = new AnonymiserContext(dir.resolve("scripts"), store, o, DicomAnonymiserTests.CLOCK);
        return new DicomAnonymiserProvider().create(context).anonymise(input, OutputSink.into(dir.resolve("out")));
    }

    private Outcome.Rejected rejected(Outcome o, String code) {
        Outcome.Rejected r = assertInstanceOf(Outcome.Rejected.class, o, o::toString);
        assertEquals(code, r.code(), r.reason());
        assertEquals(Bucket.of("dicom"), r.bucket());
        for (String secret : Corpus.SECRETS) {
            assertFalse(r.reason().contains(secret), "no patient value in the reason: " + r.reason());
        }
        return r;
    }

    private Path image(Map<String, String> overrides, String syntax) {
        return Corpus.instance(dir.resolve("in"), "img" + overrides.hashCode() + syntax.hashCode(), 1, overrides, syntax);
    }

    /** A profile folder with mip-default switched to pixel blanking, with one rule for the corpus device. */
    private void pixelProfile(String manufacturer, String rectangles) throws IOException {
        pixelProfile("mip-default", manufacturer, rectangles);
    }

    private void pixelProfile(String shipped, String manufacturer, String rectangles) throws IOException {
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        String profile = Files.readString(Path.of("src/main/resources/eu/hbp/mip/anonymiser/dicom/profile/" + shipped + ".yaml"))
                .replace("pixel:\n  blank: false", "pixel:\n  blank: true\n  rules: [pixel-rules.yaml]");
        Files.writeString(scripts.resolve(shipped + ".yaml"), profile);
        Files.writeString(scripts.resolve("pixel-rules.yaml"), "rules:\n  - name: corpus-scanner\n"
                + "    manufacturer: \"" + manufacturer + "\"\n    rectangles: " + rectangles + "\n");
    }

    @Test
    void rejectsMalformedInputNamingTheOffset() throws IOException {
        Path good = image(Map.of(), "+te");
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated.dcm");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, 700));
        Outcome.Rejected r = rejected(run(truncated, Map.of()), "dicom-malformed");
        assertTrue(r.reason().contains("offset"), r.reason());
    }

    @Test
    void rejectsAnImageWithoutPatientId() throws IOException {
        rejected(run(image(Map.of("(0010,0020)", ""), "+te"), Map.of()), "dicom-missing-patient-id");
    }

    @Test
    void rejectsSecondaryImagesUnlessTheRunAdmitsThem() throws IOException {
        Path secondary = image(Map.of("(0008,0008)", "(0008,0008) CS [DERIVED\\SECONDARY\\MPR]"), "+te");
        Outcome.Rejected r = rejected(run(secondary, Map.of()), "dicom-secondary-image");
        assertTrue(r.reason().contains("(0008,0008)"), r.reason());
        assertInstanceOf(Outcome.Anonymised.class, run(secondary, Map.of("dicom.admit-secondary", "true")));
    }

    @Test
    void rejectsBurnedInAnnotationWithoutPixelRule() throws IOException {
        rejected(run(image(Map.of("(0028,0301)", "(0028,0301) CS [YES]"), "+te"), Map.of()),
                "dicom-burned-in-annotation");
    }

    @Test
    void rejectsBurnedInAnnotationWhenTheMatchingRuleBlanksNothing() throws IOException {
        pixelProfile("Example MR.*", "[]");
        rejected(run(image(Map.of("(0028,0301)", "(0028,0301) CS [YES]"), "+te"), Map.of()),
                "dicom-burned-in-annotation");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"mip-default", "ps3.15-basic"})
    void rejectsAnImageFromADeviceNoPixelRuleMatchesNamingTheDeviceFactsForARule(String profile) throws IOException {
        pixelProfile(profile, "Other Vendor.*", "[{x: 0, y: 0, width: 10, height: 4}]");
        Outcome.Rejected r = rejected(run(image(Map.of("(0008,1090)", "(0008,1090) LO [ExampleScanner (3T)]"), "+te"),
                Map.of("dicom.profile", profile)), "dicom-unknown-device");
        assertTrue(r.reason().contains("Manufacturer (0008,0070) 'Example MR Systems'"), r.reason());
        assertTrue(r.reason().contains("ManufacturerModelName (0008,1090) 'ExampleScanner (3T)'"), r.reason());
        assertTrue(r.reason().contains("Rows x Columns (0028,0010)x(0028,0011) 64x64"), r.reason());
        assertTrue(r.reason().contains("manufacturer: 'Example MR Systems', model: 'ExampleScanner \\(3T\\)', rows: 64, columns: 64"),
                r.reason());
    }

    @Test
    void theDeviceRuleSuggestedInTheReasonMatchesTheImage() throws IOException {
        pixelProfile("Other Vendor.*", "[{x: 0, y: 0, width: 10, height: 4}]");
        Path input = image(Map.of("(0008,1090)", "(0008,1090) LO [ExampleScanner (3T)]"), "+te");
        String reason = rejected(run(input, Map.of()), "dicom-unknown-device").reason();
        String suggested = reason.substring(reason.indexOf("such as {") + 8, reason.indexOf("]}") + 2)
                .replace("<device>", "suggested").replace("{x: .., y: .., width: .., height: ..}", "");
        Files.writeString(dir.resolve("scripts").resolve("pixel-rules.yaml"), "rules:\n  - " + suggested + "\n");
        assertInstanceOf(Outcome.Anonymised.class, run(input, Map.of()), "the suggested rule admits the image");
    }

    @Test
    void aDeviceFactHoldingAPatientValueIsWithheld() throws IOException {
        pixelProfile("Other Vendor.*", "[{x: 0, y: 0, width: 10, height: 4}]");
        Outcome.Rejected r = rejected(run(image(Map.of("(0008,1090)", "(0008,1090) LO [Scanner of Johnathan]"), "+te"),
                Map.of()), "dicom-unknown-device");
        assertTrue(r.reason().contains("ManufacturerModelName (0008,1090) (withheld: it holds a patient value of this file)"),
                r.reason());
    }

    @Test
    void rejectsCompressedPixelsThatARuleMustBlank() throws IOException {
        pixelProfile("Example MR.*", "[{x: 0, y: 0, width: 10, height: 4}]");
        Path plain = image(Map.of(), "+te");
        Path rle = dir.resolve("rle.dcm");
        Tools.ok("dcmtk", "dcmcrle", plain.toString(), rle.toString());
        rejected(run(rle, Map.of()), "dicom-compressed-pixels");
    }

    @Test
    void blanksTheRectanglesOfTheMatchingRuleAndAdmitsBurnedInAnnotation() throws IOException {
        pixelProfile("Example MR.*", "[{x: 0, y: 0, width: 10, height: 4}]");
        Path input = image(Map.of("(0028,0301)", "(0028,0301) CS [YES]"), "+te");
        Outcome.Anonymised a = assertInstanceOf(Outcome.Anonymised.class, run(input, Map.of()));
        assertEquals(1L, a.counts().get("pixel-blank"));
        try (var f = eu.hbp.mip.anonymiser.dicom.codec.DicomReader.read(dir.resolve("out").resolve(a.outputs().get(0)))) {
            var codes = new java.util.ArrayList<String>();
            for (var item : f.dataSet().items("DeidentificationMethodCodeSequence")) {
                codes.add(item.string("CodeValue").orElseThrow());
            }
            assertTrue(codes.contains("113101"), codes.toString());
        }
        String dump = Tools.ok("dcmtk", "dcmdump", "+P", "7fe0,0010", "+L", "-q",
                dir.resolve("out").resolve(a.outputs().get(0)).toString());
        // first row: 10 blanked pixels then the original ramp (10, 11, ...)
        assertTrue(dump.contains("0000\\0000\\0000\\0000\\0000\\0000\\0000\\0000\\0000\\0000\\000a\\000b"), dump.substring(0, 200));
    }
}
