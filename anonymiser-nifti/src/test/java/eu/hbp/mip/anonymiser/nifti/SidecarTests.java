package eu.hbp.mip.anonymiser.nifti;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.ProfileException;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JSON sidecars under the profile's key rules, and the profile's own validation. */
class SidecarTests {

    static final String SIDECAR = """
            {
              "Modality": "MR",
              "MagneticFieldStrength": 3,
              "Manufacturer": "Siemens",
              "ManufacturersModelName": "Prisma",
              "InstitutionName": "Saint Phineas Hospital",
              "InstitutionAddress": "1 Qrstuv Street",
              "InstitutionalDepartmentName": "Neuro Zyxwabc",
              "DeviceSerialNumber": "SN4471923",
              "StationName": "STATIONXQ7",
              "PatientName": "Zyxwabc^Jane",
              "PatientID": "HOSP98765",
              "PatientBirthDate": "1961-02-03",
              "PatientSex": "F",
              "AcquisitionDateTime": "2024-05-17T10:11:12.345000",
              "AcquisitionTime": "10:11:12.345000",
              "SeriesDescription": "t1_mprage",
              "ProtocolName": "t1_mprage",
              "RepetitionTime": 2.3,
              "EchoTime": 0.00232,
              "FlipAngle": 8,
              "ImageType": ["ORIGINAL", "PRIMARY", "M"],
              "PrivateNote": "call Jane at 555-0199"
            }
            """;

    static final List<String> PHI = List.of("Phineas", "Qrstuv", "Zyxwabc", "SN4471923", "STATIONXQ7",
            "HOSP98765", "1961-02-03", "2024-05-17", "10:11:12", "555-0199");

    @Test
    void appliesEveryKeyRuleOfTheSampleProfile(@TempDir Path tmp) throws IOException {
        try (NiftiHarness h = new NiftiHarness(tmp).sample()) {
            Outcome.Anonymised a = assertInstanceOf(Outcome.Anonymised.class,
                    h.run("HOSP98765_t1w.json", SIDECAR.getBytes(StandardCharsets.UTF_8)));
            String name = a.outputs().get(0);
            assertTrue(name.startsWith(NiftiHarness.DAY_DIR) && name.endsWith(".json"), name);
            JsonNode out = new ObjectMapper().readTree(h.lastOut.resolve(name).toFile());
            String subject = h.store.pseudonym(PseudonymStore.PATIENT, "HOSP98765");
            assertEquals(subject, out.get("PatientID").asText());
            assertEquals("1961-01-01", out.get("PatientBirthDate").asText());
            assertEquals("2024-05-01T00:00:00", out.get("AcquisitionDateTime").asText());
            assertEquals(3, out.get("MagneticFieldStrength").asInt());
            assertEquals("PRIMARY", out.get("ImageType").get(1).asText());
            assertFalse(out.has("PatientName") || out.has("AcquisitionTime") || out.has("PrivateNote")
                    || out.has("InstitutionName"), out.toString());
            assertEquals(1L, a.counts().get("remove-unknown"));
            assertEquals(java.util.Set.of(subject), a.subjects());
            NiftiHarness.assertNoneOf(h.lastOut, PHI);
        }
    }

    @Test
    void theSidecarAndItsImageShareOneScanFolder(@TempDir Path tmp) throws IOException {
        try (NiftiHarness h = new NiftiHarness(tmp).sample()) {
            Outcome.Anonymised json = assertInstanceOf(Outcome.Anonymised.class,
                    h.run("HOSP98765_t1w.json", SIDECAR.getBytes(StandardCharsets.UTF_8)));
            Outcome.Anonymised nii = assertInstanceOf(Outcome.Anonymised.class,
                    h.run("HOSP98765_t1w.nii.gz", new NiftiWriter().gzipped()));
            Outcome.Anonymised other = assertInstanceOf(Outcome.Anonymised.class,
                    h.run("HOSP98765_t2w.nii.gz", new NiftiWriter().gzipped()));
            assertEquals(json.outputs().get(0).replace(".json", ".nii.gz"), nii.outputs().get(0));
            assertFalse(other.outputs().get(0).startsWith(parent(nii.outputs().get(0))), "another scan, another folder");
        }
    }

    private static String parent(String name) {
        return name.substring(0, name.lastIndexOf('/'));
    }

    @Test
    void takesThePatientFromTheKeyWhenTheNameHasNone(@TempDir Path tmp) throws IOException {
        try (NiftiHarness h = new NiftiHarness(tmp).sample()) {
            Outcome.Anonymised a = assertInstanceOf(Outcome.Anonymised.class,
                    h.run("series.json", SIDECAR.getBytes(StandardCharsets.UTF_8)));
            assertEquals(java.util.Set.of(h.store.pseudonym(PseudonymStore.PATIENT, "HOSP98765")), a.subjects());
            Outcome.Rejected r = assertInstanceOf(Outcome.Rejected.class,
                    h.run("HOSP11111_t1w.json", SIDECAR.getBytes(StandardCharsets.UTF_8)));
            assertEquals("nifti-patient-mismatch", r.code());
        }
    }

    @Test
    void rejectsASidecarThatIsNotJsonOrBreaksTheProfile(@TempDir Path tmp) throws IOException {
        try (NiftiHarness h = new NiftiHarness(tmp)) {
            h.profile("strict.yaml", """
                    name: strict
                    subject: {file-name: 'regex:(?<patient>[A-Z0-9]+)_.*', patient-key: PatientID}
                    sidecar:
                      unknown-keys: reject
                      keys:
                        PatientID: {rule: pseudonymise, domain: patient}
                        AcquisitionDateTime: date
                        Modality: keep
                    """);
            Map<String, String[]> cases = Map.of(
                    "{\"PatientID\": \"HOSP98765\", \"Modality\": \"MR\", Zyxwabc}",
                    new String[] {"nifti-sidecar-not-json", "line 1, column"},
                    "[\"HOSP98765\"]", new String[] {"nifti-sidecar-not-json", "not a JSON object"},
                    "{\"PatientID\": \"HOSP98765\", \"PatientID\": \"HOSP98765\"}",
                    new String[] {"nifti-sidecar-not-json", "unique keys"},
                    "{\"PatientID\": \"HOSP98765\", \"Nickname\": \"Zyxwabc\"}",
                    new String[] {"nifti-sidecar-unknown-key", "'Nickname'", "unknown-keys: remove"},
                    "{\"PatientID\": \"HOSP98765\", \"AcquisitionDateTime\": \"17/05/2024 Zyxwabc\"}",
                    new String[] {"nifti-sidecar-bad-value", "'AcquisitionDateTime'", "rule date", "yyyy-MM-dd"},
                    "{\"PatientID\": [\"HOSP98765\"]}", new String[] {"nifti-sidecar-bad-value", "identifier"},
                    "{\"PatientID\": \"HOSP98765\"} {}", new String[] {"nifti-sidecar-not-json"});
            for (Map.Entry<String, String[]> c : cases.entrySet()) {
                Outcome.Rejected r = assertInstanceOf(Outcome.Rejected.class,
                        h.run("HOSP98765_x.json", c.getKey().getBytes(StandardCharsets.UTF_8)), c.getKey());
                assertEquals(c.getValue()[0], r.code(), r.reason());
                for (int i = 1; i < c.getValue().length; i++) {
                    assertTrue(r.reason().contains(c.getValue()[i]), c.getValue()[i] + " in: " + r.reason());
                }
                for (String phi : List.of("HOSP98765", "Zyxwabc", "17/05")) {
                    assertFalse(r.reason().contains(phi), r.reason());
                }
            }
        }
    }

    @Test
    void refusesProfilesThatWouldLeakOrCannotWork(@TempDir Path tmp) {
        Map<String, String> bad = Map.of(
                "name: a\nsubject: {patient-key: PatientID}\nextensions: {keep: [2]}\n"
                        + "sidecar: {keys: {PatientID: {rule: pseudonymise, domain: patient}}}\n", "DICOM",
                "name: b\nsubject: {patient-key: PatientID}\nsidecar: {keys: {PatientID: keep}}\n", "patient-key",
                "name: c\nsubject: {file-name: 'regex:(.*)'}\n", "(?<patient>",
                "name: d\n", "subject:",
                "name: e\nsubject: {file-name: 'regex:(?<patient>.*)'}\nsidecar: {keys: {X: {rule: date, domain: p}}}\n",
                "takes only reduce",
                "name: f\nsubject: {file-name: 'regex:(?<patient>.*)'}\nheader: {descrip: {set: \"" + "x".repeat(80)
                        + "\"}}\n", "at most 79",
                "name: g\nsubject: {file-name: 'regex:(?<patient>.*)'}\nsidecar: {keys: {X: birthdate-ish}}\n",
                "unknown rule",
                "name: h\nsubject: {file-name: 'regex:(?<patient>.*)'}\nsidecar: {unknown-keys: keep}\n",
                "'unknown-keys'",
                "name: i\nsubjects: {}\n", "unknown key 'subjects'");
        int i = 0;
        for (Map.Entry<String, String> c : bad.entrySet()) {
            Path dir = tmp.resolve("p" + i++);
            try (NiftiHarness h = new NiftiHarness(dir)) {
                h.profile("p.yaml", c.getKey());
                ProfileException e = assertThrows(ProfileException.class, () -> h.anonymiser(Map.of()), c.getKey());
                assertTrue(e.getMessage().contains(c.getValue()), c.getValue() + " in: " + e.getMessage());
                assertTrue(e.getMessage().contains("p.yaml"), e.getMessage());
            }
        }
    }

    @Test
    void rejectsEveryFileWithoutAProfileAndRefusesTwoProfiles(@TempDir Path tmp) throws IOException {
        try (NiftiHarness h = new NiftiHarness(tmp)) {
            Outcome.Rejected r = assertInstanceOf(Outcome.Rejected.class, h.run("HOSP98765_a.nii",
                    new NiftiWriter().bytes()));
            assertEquals("nifti-no-profile", r.code());
            h.sample().profile("second.yaml", "name: second\nsubject: {patient-key: PatientID}\n");
            assertThrows(ProfileException.class, () -> h.anonymiser(Map.of()));
            assertThrows(ProfileException.class, () -> {
                Files.delete(h.profiles.resolve("second.yaml"));
                h.anonymiser(Map.of(NiftiAnonymiserProvider.MAX_IMAGE_BYTES, "-1"));
            });
        }
    }
}
