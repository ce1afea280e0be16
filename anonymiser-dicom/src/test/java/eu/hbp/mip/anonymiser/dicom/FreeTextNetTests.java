package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.dicom.codec.DataSet;
import eu.hbp.mip.anonymiser.dicom.codec.DicomFile;
import eu.hbp.mip.anonymiser.dicom.codec.VR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FreeTextNetTests {

    @TempDir
    Path work;

    /** PHI the net must catch, put into text each shipped profile keeps. */
    private static final Map<String, String> PHI_IN_TEXT = Map.of(
            "(0010,0010)", "(0010,0010) PN [SMITH^JOHN]",
            "(0010,0020)", "(0010,0020) LO [MRN778899]",
            "(0008,0050)", "(0008,0050) SH [ACC42424242]",
            "(0008,1030)", "(0008,1030) LO [MRI BRAIN for SMITH^JOHN MRN778899]",
            "(0008,103e)", "(0008,103e) LO [T1 john born 15.02.1970 ACC42424242]",
            "(0018,0024)", "(0018,0024) SH [tfl Smith]",
            "(0008,2218)", "(0008,2218) SQ (Sequence with undefined length)\n(fffe,e000) na (Item with undefined length)\n"
                    + "(0008,0100) SH [T-A0100]\n(0008,0102) SH [SRT]\n(0008,0104) LO [Brain of Smith, John (1970-02-15)]\n"
                    + "(fffe,e00d) na (ItemDelimitationItem)\n(fffe,e0dd) na (SequenceDelimitationItem)");

    private static final List<String> SECRETS = List.of("smith", "john", "mrn778899", "acc42424242", "15.02.1970",
            "1970-02-15");

    @Test
    void replacesTheIssueExampleInStudyDescriptionKeptByMipDefault() {
        Path in = Corpus.instance(work.resolve("in"), "a", 1, PHI_IN_TEXT, "+te");
        Outcome.Anonymised a = OneFile.anonymised(work, "mip-default", in);
        String dump = Tools.dcmdump(OneFile.output(work, a));
        assertTrue(dump.contains("(0008,1030) LO [MRI BRAIN for [removed]^[removed] [removed]]"), dump);
        assertTrue(dump.contains("(0008,103e) LO [T1 [removed] born [removed] [removed]]"), dump);
        assertEquals(7L, a.counts().get("free-text-net"), a.counts().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mip-default", "ps3.15-basic"})
    void noPatientValueSurvivesInAnyKeptTextValueNestedOrNot(String profile) {
        Path in = Corpus.instance(work.resolve("in"), "a", 1, PHI_IN_TEXT, "+te");
        Outcome.Anonymised a = OneFile.anonymised(work, profile, in);
        String dump = Tools.dcmdump(OneFile.output(work, a)).toLowerCase(Locale.ROOT);
        for (String secret : SECRETS) {
            assertFalse(dump.contains(secret), profile + ": '" + secret + "' survived\n" + dump);
        }
        assertTrue(dump.contains("[removed]"), dump);
        assertTrue(a.counts().get("free-text-net") > 0, a.counts().toString());
    }

    @Test
    void searchesCodeMeaningsInsideSequencesThatPs315BasicKeeps() {
        Path in = Corpus.instance(work.resolve("in"), "a", 1, PHI_IN_TEXT, "+te");
        Outcome.Anonymised a = OneFile.anonymised(work, "ps3.15-basic", in);
        String dump = Tools.dcmdump(OneFile.output(work, a));
        assertTrue(dump.contains("(0008,0104) LO [Brain of [removed], [removed] ([removed])]"), dump);
        assertTrue(dump.contains("(0018,0024) SH [tfl [removed]]"), dump);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mip-default", "ps3.15-basic"})
    void rejectsTheFileWhenTheProfileSaysRejectNamingTagAndRuleOnly(String profile) {
        OneFile.siteProfile(work, "site", profile, "", "free-text: replace", "free-text: reject");
        Path in = Corpus.instance(work.resolve("in"), "a", 1, PHI_IN_TEXT, "+te");
        Outcome.Rejected r = assertInstanceOf(Outcome.Rejected.class, OneFile.run(work, "site", in));
        assertEquals("dicom-phi-in-text", r.code());
        assertEquals(DicomAnonymiserProvider.BUCKET, r.bucket());
        assertTrue(r.reason().contains("(rule patient-name)"), r.reason());
        assertTrue(r.reason().contains(profile.equals("mip-default") ? "StudyDescription (0008,1030)"
                : "AnatomicRegionSequence (0008,2218) > CodeMeaning (0008,0104)"), r.reason());
        for (String secret : SECRETS) {
            assertFalse(r.reason().toLowerCase(Locale.ROOT).contains(secret), r.reason());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mip-default", "ps3.15-basic"})
    void leavesTheTextFreeTwinUnchanged(String profile) {
        OneFile.siteProfile(work, "site", profile, "", "free-text: replace", "free-text: reject");
        Map<String, String> twin = Map.of("(0018,0024)", "(0018,0024) SH [tfl3d1]",
                "(0008,2218)", "(0008,2218) SQ (Sequence with undefined length)\n(fffe,e000) na (Item with undefined length)\n"
                        + "(0008,0100) SH [T-A0100]\n(0008,0102) SH [SRT]\n(0008,0104) LO [Brain]\n"
                        + "(fffe,e00d) na (ItemDelimitationItem)\n(fffe,e0dd) na (SequenceDelimitationItem)");
        Path in = Corpus.instance(work.resolve("in"), "twin", 1, twin, "+te");
        assertInstanceOf(Outcome.Anonymised.class, OneFile.run(work, "site", in), "reject mode admits the twin");
        Path plain = work.resolve("plain");
        Outcome.Anonymised a = OneFile.anonymised(plain, profile, in);
        assertNull(a.counts().get("free-text-net"), a.counts().toString());
        String dump = Tools.dcmdump(OneFile.output(plain, a));
        assertFalse(dump.contains("[removed]"), dump);
        if (profile.equals("mip-default")) {
            assertTrue(dump.contains("(0008,1030) LO [Brain study]"), dump);
        } else {
            assertTrue(dump.contains("(0008,0104) LO [Brain]"), dump);
        }
    }

    private static DataSet header() {
        DataSet ds = new DataSet(false);
        ds.putString(0x00100010, VR.PN, "O'Neill^Anne-Marie^^Mrs");
        ds.putString(0x00100020, VR.LO, "77");
        ds.putString(0x00101000, VR.LO, "OTHER12345");
        ds.putString(0x00100030, VR.DA, "19450309");
        ds.putString(0x00080050, VR.SH, "A55");
        ds.putString(0x00081050, VR.PN, "Performer^Petra");
        return ds;
    }

    private static String netted(String text, VR vr) {
        DataSet ds = header();
        HeaderSeeds seeds = HeaderSeeds.of(ds);
        ds.putString(0x00204000, vr, text);
        new FreeTextNet(seeds).replace(ds);
        return ds.string(0x00204000).orElse("");
    }

    @Test
    void findsTheBirthDateInCommonFormats() {
        for (String date : List.of("19450309", "1945-03-09", "09/03/1945", "09.03.1945", "03/09/1945", "9.3.1945")) {
            assertEquals("born [removed].", netted("born " + date + ".", VR.LT), date);
        }
        assertEquals("serial 1194503091", netted("serial 1194503091", VR.LT), "not inside a longer number");
    }

    @Test
    void findsNamePartsCaseInsensitivelyOnWordBoundariesOnly() {
        assertEquals("[removed] [removed] o'[removed]'s scan", netted("ANNE marie o'NEILL's scan", VR.LT));
        assertEquals("Annex and Neillson stay", netted("Annex and Neillson stay", VR.LT));
        assertEquals("Mrs X", netted("Mrs X", VR.LT), "honorifics are not searched");
    }

    @Test
    void findsLongIdentifiersInsideTokensAndShortOnesOnBoundaries() {
        assertEquals("ref x[removed]y", netted("ref xOTHER12345y", VR.LT));
        assertEquals("bed [removed], room 770, acc [removed]", netted("bed 77, room 770, acc A55", VR.LT));
    }

    @Test
    void otherPersonNamesAreSearchedInTextButNotInKeptPersonNames() {
        assertEquals("by [removed]", netted("by Petra", VR.LT));
        assertEquals("Petra^Someone", netted("Petra^Someone", VR.PN));
        assertEquals("[removed]^Someone", netted("Anne^Someone", VR.PN), "the patient's own name is searched in PN too");
    }

    @Test
    void aHitInAShortValueIsCutToTheVrLength() {
        assertEquals(16, netted("Anne Marie ONeill", VR.SH).length());
        assertEquals("[removed] [remov", netted("Anne Marie ONeill", VR.SH));
    }

    @Test
    void findingsNameTheNestedPathAndTheRule() {
        HeaderSeeds seeds = HeaderSeeds.of(header());
        DataSet ds = new DataSet(false);
        ds.putString(0x00081030, VR.LO, "Brain");
        DataSet item = ds.addItem(0x00082218);
        item.putString(0x00080104, VR.LO, "for anne");
        Set<FreeTextNet.Finding> f = new FreeTextNet(seeds).findings(ds);
        assertEquals(Set.of(new FreeTextNet.Finding("AnatomicRegionSequence (0008,2218) > CodeMeaning (0008,0104)",
                HeaderSeeds.PATIENT_NAME)), f);
        assertEquals("for anne", item.string(0x00080104).orElseThrow(), "findings change nothing");
    }

    @Test
    void aReadBackOutputHasTheMarkerAndNoValue() throws Exception {
        Path in = Corpus.instance(work.resolve("in"), "a", 1, PHI_IN_TEXT, "+te");
        Outcome.Anonymised a = OneFile.anonymised(work, "mip-default", in);
        try (DicomFile f = OneFile.read(work, a)) {
            assertEquals("MRI BRAIN for [removed]^[removed] [removed]", f.dataSet().string(0x00081030).orElseThrow());
        }
    }
}
