package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.ProfileException;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.api.spi.Recognition;
import eu.hbp.mip.anonymiser.dicom.codec.VR;
import eu.hbp.mip.anonymiser.dicom.profile.DicomProfile;
import eu.hbp.mip.anonymiser.dicom.profile.ElementAction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DicomProfileTests {

    @TempDir
    Path dir;

    private ProfileException refused(String yaml) {
        return assertThrows(ProfileException.class, () -> Elements.profile(yaml));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "rules: [{tags: [PatientID], action: keep, colour: red}]|unknown key 'colour'",
        "rules: [{tags: [PatientNmae], action: keep}]|neither a DICOM keyword",
        "rules: [{tags: [PatientID], action: scramble}]|action 'scramble' is unknown",
        "rules: [{tags: [PatientID], action: keep}, {tags: ['(0010,0020)'], action: remove}]|already named by rule #1",
        "rules: [{tags: [StudyDate], action: date}]|exactly one of 'reduce",
        "rules: [{tags: [PatientID], action: pseudonymise}]|'domain' goes with action pseudonymise",
        "rules: [{tags: [PatientID], action: pseudonymise, domain: Patient!}]|domain must be",
        "options: [retain-uids]|options need 'base: ps3.15-basic'",
        "base: ps3.15-basic\\noptions: [retain-everything]|not a PS3.15 option",
        "base: dicom-2000|base 'dicom-2000' is unknown",
        "pixel: {blank: true}|no pixel rules are listed",
        "free-text: maybe|free-text 'maybe' is unknown; expected replace",
        "pixel: {blank: true, rules: [missing.yaml]}|not found"})
    void refusesABadProfileNamingTheFixAndPlace(String yaml, String expected) {
        ProfileException e = refused(yaml.replace("\\n", "\n"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains("p.yaml"), "names the file: " + e.getMessage());
    }

    @Test
    void bindingErrorsNameTheLine() {
        ProfileException e = refused("remove-unspecified: true\nrules:\n  - tags: [PatientID]\n    action: keep\n    colour: red\n");
        assertTrue(e.getMessage().contains("p.yaml:5"), e.getMessage());
    }

    @Test
    void exactRulesWinOverRangesAndRangesFollowFileOrder() {
        DicomProfile p = Elements.profile("remove-unspecified: true\nrules:\n"
                + "  - {tags: ['(0018,xxxx)'], action: empty}\n  - {tags: ['(0018,00xx)'], action: keep}\n"
                + "  - {tags: [SliceThickness], action: keep}\n");
        assertEquals(ElementAction.Kind.KEEP, p.decide(0x00180050, VR.DS).kind());
        assertEquals(ElementAction.Kind.EMPTY, p.decide(0x00180080, VR.DS).kind());
        assertEquals(ElementAction.Kind.REMOVE, p.decide(0x00200011, VR.IS).kind());
    }

    @Test
    void freeTextIsKeptOnlyWhenARuleNamesIt() {
        DicomProfile p = Elements.profile("rules:\n  - {tags: [PatientComments], action: keep}\n"
                + "  - {tags: ['(6000,xxxx)'], action: keep}\n");
        assertEquals(ElementAction.Kind.KEEP, p.decide(0x00104000, VR.LT).kind());
        assertEquals(ElementAction.Kind.EMPTY, p.decide(0x00324000, VR.LT).kind(), "unlisted free text is emptied");
        assertEquals(ElementAction.Kind.REMOVE, p.decide(0x60000022, VR.LO).kind(), "overlay text kept by range only");
        assertEquals(ElementAction.Kind.KEEP, p.decide(0x60000010, VR.US).kind());
    }

    @Test
    void aProfileInTheFolderReplacesTheShippedOneAndNamesAreChecked() throws IOException {
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        Files.writeString(scripts.resolve("mip-default.yaml"), "rules: [{tags: [PatientID], action: dummy}]\n");
        try (PseudonymStore store = Stores.sqlite(dir)) {
            DicomAnonymiserProvider provider = new DicomAnonymiserProvider();
            assertEquals(DicomAnonymiser.class, provider.create(new AnonymiserContext(scripts, store)).getClass());
            ProfileException e = assertThrows(ProfileException.class, () -> provider.create(new AnonymiserContext(
                    scripts, store, Map.of("dicom.profile", "site-special"), DicomAnonymiserTests.CLOCK)));
            assertTrue(e.getMessage().contains("site-special.yaml"), e.getMessage());
        }
    }

    @Test
    void providerShipsBothProfilesAndTheSamplePixelRules() {
        Map<String, String> samples = new DicomAnonymiserProvider().sampleProfiles();
        assertEquals(java.util.Set.of("mip-default.yaml", "ps3.15-basic.yaml", "pixel-rules.yaml"), samples.keySet());
        assertTrue(samples.get("mip-default.yaml").contains("remove-unspecified: true"));
    }

    @Test
    void providerRecognisesPart10FilesAndRawDataSetsByContent() throws IOException {
        DicomAnonymiserProvider provider = new DicomAnonymiserProvider();
        Path part10 = Corpus.instance(dir, "a", 1, Map.of(), "+te");
        assertEquals(Recognition.BY_CONTENT, provider.recognise("x.bin", head(part10)));
        Path raw = dir.resolve("raw.dcm");
        Tools.ok("dcmtk", "dcmconv", "-F", "+ti", part10.toString(), raw.toString());
        assertEquals(Recognition.BY_CONTENT, provider.recognise("x", head(raw)));
        assertEquals(Recognition.NO, provider.recognise("visits.csv",
                ByteBuffer.wrap("patient_id,visit\nP1,V1\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
    }

    private static ByteBuffer head(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        return ByteBuffer.wrap(b, 0, Math.min(b.length, 1024)).slice().asReadOnlyBuffer();
    }
}
