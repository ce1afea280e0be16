package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.ProviderException;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.dicom.codec.DicomFile;
import eu.hbp.mip.anonymiser.dicom.codec.Tag;
import eu.hbp.mip.anonymiser.dicom.codec.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The burned-in text check on a handful of images made here: PHI rendered into the pixels, and text-free twins. */
class BurnedInTextTests {

    @TempDir
    Path work;

    private Outcome.Rejected quarantined(Outcome o) {
        Outcome.Rejected r = assertInstanceOf(Outcome.Rejected.class, o, o::toString);
        assertEquals("dicom-burned-in-text", r.code(), r.reason());
        assertEquals(DicomAnonymiserProvider.BUCKET, r.bucket());
        assertTrue(r.reason().contains("frame 0: x="), r.reason());
        String lower = r.reason().toLowerCase(Locale.ROOT);
        for (String phi : new String[] {"doe", "johnathan", "hosp", "4711", "1970"}) {
            assertFalse(lower.contains(phi), "no text in the reason: " + r.reason());
        }
        return r;
    }

    /** A site profile from a shipped one with pixel blanking on and one rule for the corpus device. */
    private void blanking(String shipped, String rectangles) throws IOException {
        OneFile.siteProfile(work, "site", shipped, "", "pixel:\n  blank: false", "pixel:\n  blank: true\n  rules: [pixel-rules.yaml]");
        Files.writeString(work.resolve("scripts").resolve("pixel-rules.yaml"), "rules:\n  - name: corpus-ultrasound\n"
                + "    manufacturer: \"Example MR.*\"\n    rectangles: " + rectangles + "\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mip-default", "ps3.15-basic"})
    void quarantinesAnUltrasoundWithPhiBurnedInNamingTheBoxesNeverTheText(String profile) {
        Path in = OcrCorpus.ultrasound(work.resolve("in"), "text", OcrCorpus.PHI);
        Outcome.Rejected r = quarantined(OneFile.run(work, profile, in));
        assertTrue(r.reason().contains("no pixel rule of profile '" + profile + "' blanks this image"), r.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mip-default", "ps3.15-basic"})
    void passesTheTextFreeTwin(String profile) {
        Path in = OcrCorpus.ultrasound(work.resolve("in"), "twin", null);
        Outcome.Anonymised a = OneFile.anonymised(work, profile, in);
        assertNull(a.counts().get("ocr-text-blanked"), a.counts().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mip-default", "ps3.15-basic"})
    void blanksTextThatAMatchingPixelRuleCovers(String profile) throws IOException {
        blanking(profile, "[{x: 0, y: 0, width: 256, height: 32}]");
        Path in = OcrCorpus.ultrasound(work.resolve("in"), "text", OcrCorpus.PHI);
        Outcome.Anonymised a = OneFile.anonymised(work, "site", in);
        assertTrue(a.counts().getOrDefault("ocr-text-blanked", 0L) >= 1, a.counts().toString());
        assertEquals(1L, a.counts().get("pixel-blank"));
        try (DicomFile f = OneFile.read(work, a); FileChannel ch = FileChannel.open(f.bulkSource())) {
            Value.Bulk bulk = (Value.Bulk) f.dataSet().get(Tag.PIXEL_DATA).orElseThrow().value();
            ByteBuffer band = ByteBuffer.allocate(OcrCorpus.COLUMNS * 32);
            ch.read(band, bulk.offset());
            for (int i = 0; i < band.capacity(); i++) {
                assertEquals(0, band.get(i), "pixel " + i + " of the text band is blanked");
            }
        }
    }

    @Test
    void quarantinesTextOutsideTheRegionsTheRuleBlanks() throws IOException {
        blanking("mip-default", "[{x: 0, y: 0, width: 256, height: 32}]");
        Path in = OcrCorpus.image(work.resolve("in"), "low", "US", "ORIGINAL\\PRIMARY", OcrCorpus.Kind.GREY8,
                OcrCorpus.PHI, 120);
        Outcome.Rejected r = quarantined(OneFile.run(work, "site", in));
        assertTrue(r.reason().contains("outside the regions pixel rule 'corpus-ultrasound' blanks"), r.reason());
    }

    @Test
    void reads16BitMonochromeAndRgbImages() {
        Path dx = OcrCorpus.image(work.resolve("in"), "dx", "DX", "ORIGINAL\\PRIMARY", OcrCorpus.Kind.GREY16, OcrCorpus.PHI, 20);
        quarantined(OneFile.run(work, "mip-default", dx));
        Path rgb = OcrCorpus.image(work.resolve("in"), "rgb", "US", "ORIGINAL\\PRIMARY", OcrCorpus.Kind.RGB, OcrCorpus.PHI, 20);
        quarantined(OneFile.run(work, "mip-default", rgb));
    }

    @Test
    void readsEveryFrameAndNamesTheFrameWithText() {
        Path cine = OcrCorpus.image(work.resolve("in"), "cine", "US", "ORIGINAL\\PRIMARY", OcrCorpus.Kind.GREY8,
                OcrCorpus.PHI, 20, 3);
        Outcome.Rejected r = assertInstanceOf(Outcome.Rejected.class, OneFile.run(work, "mip-default", cine));
        assertEquals("dicom-burned-in-text", r.code(), r.reason());
        assertTrue(r.reason().contains("frame 2: x="), r.reason());
        assertFalse(r.reason().contains("frame 0:") || r.reason().contains("frame 1:"), "the twin frames have no text: " + r.reason());
    }

    @Test
    void readsEverySecondaryImageButNoOriginalMr() {
        Path mr = OcrCorpus.image(work.resolve("in"), "mr", "MR", "ORIGINAL\\PRIMARY", OcrCorpus.Kind.GREY8, OcrCorpus.PHI, 20);
        assertInstanceOf(Outcome.Anonymised.class, OneFile.run(work, "mip-default", mr), "ORIGINAL MR is not read by default");
        Path secondary = OcrCorpus.image(work.resolve("in"), "mpr", "MR", "DERIVED\\SECONDARY", OcrCorpus.Kind.GREY8,
                OcrCorpus.PHI, 20);
        quarantined(OneFile.run(work, "mip-default", secondary, Map.of(DicomAnonymiser.ADMIT_SECONDARY, "true")));
    }

    @Test
    void aSiteWithoutTesseractDataIsRefusedWhenTheAnonymiserIsCreated() throws IOException {
        Path empty = Files.createDirectories(work.resolve("no-tessdata"));
        try (PseudonymStore store = Stores.sqlite(work)) {
            ProviderException e = assertThrows(ProviderException.class, () -> new DicomAnonymiserProvider().create(
                    new AnonymiserContext(work.resolve("scripts"), store, Map.of(OcrEngines.DATA_OPTION, empty.toString()),
                            DicomAnonymiserTests.CLOCK)));
            assertTrue(e.getMessage().contains("apt-get install tesseract-ocr tesseract-ocr-eng"), e.getMessage());
            assertTrue(e.getMessage().contains("dicom.ocr=off"), e.getMessage());
            // switched off explicitly, by the run or by the profile, it is not needed
            new DicomAnonymiserProvider().create(new AnonymiserContext(work.resolve("scripts"), store,
                    Map.of(OcrEngines.DATA_OPTION, empty.toString(), OcrEngines.OCR_OPTION, "off"), DicomAnonymiserTests.CLOCK));
            OneFile.siteProfile(work, "site", "mip-default", "", "ocr:\n  modalities: [US, SC, XA, OT, DX, CR, ES]\n  secondary: true",
                    "ocr: {modalities: [], secondary: false}");
            new DicomAnonymiserProvider().create(new AnonymiserContext(work.resolve("scripts"), store,
                    Map.of(OcrEngines.DATA_OPTION, empty.toString(), DicomAnonymiserProvider.PROFILE_OPTION, "site"),
                    DicomAnonymiserTests.CLOCK));
        }
        Path in = OcrCorpus.ultrasound(work.resolve("in"), "text", OcrCorpus.PHI);
        assertInstanceOf(Outcome.Anonymised.class, OneFile.run(work, "mip-default", in, Map.of(OcrEngines.OCR_OPTION, "off")),
                "with the check switched off by the run, the image is not read");
    }
}
