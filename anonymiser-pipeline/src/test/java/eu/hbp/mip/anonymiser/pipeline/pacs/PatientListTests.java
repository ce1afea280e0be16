package eu.hbp.mip.anonymiser.pipeline.pacs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PatientListTests {

    @Test
    void readsOneColumnQuotedOrNotOnceEach(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("cohort.csv");
        Files.writeString(f, "\uFEFFvisit;patient_id;note\n1;P1;x\n2;\"P;2\";\"a \"\"b\"\"\"\n3;P1;\n4; ;\n\n");
        assertEquals(List.of("P1", "P;2"), PatientList.read(f, "patient_id"));
    }

    @Test
    void namesTheMissingColumnAndNeverAValue(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("cohort.csv");
        Files.writeString(f, "id,visit\nSECRET-ID,1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PatientList.read(f, "patient_id"));
        assertTrue(e.getMessage().contains("no column 'patient_id' (columns: id, visit): set --patient-column"),
                e.getMessage());
        assertFalse(e.getMessage().contains("SECRET-ID"));
    }

    @Test
    void refusesARowWithTooFewFields(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("cohort.csv");
        Files.writeString(f, "visit,patient_id\n1,P1\nSECRET\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PatientList.read(f, "patient_id"));
        assertTrue(e.getMessage().contains("data record 2 (after the header) has 1 fields"), e.getMessage());
        assertFalse(e.getMessage().contains("SECRET"));
    }
}
