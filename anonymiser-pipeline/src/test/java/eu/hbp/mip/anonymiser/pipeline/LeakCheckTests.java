package eu.hbp.mip.anonymiser.pipeline;

import eu.hbp.mip.anonymiser.api.Mapping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeakCheckTests {

    private static Mapping m(String domain, String value, String pseudonym) {
        return new Mapping(domain, value, pseudonym, Instant.EPOCH);
    }

    @Test
    void reportsAValueFoundInUtf8OrLatin1WithoutTheValue(@TempDir Path out) throws IOException {
        Files.createDirectories(out.resolve("EHR/2026"));
        Files.writeString(out.resolve("EHR/2026/visits.csv"), "subject,visit\nP1,HOSP-000123\n");
        Files.write(out.resolve("EHR/2026/names.csv"), "name\nJos\u00e9 M\u00fcller\n".getBytes(StandardCharsets.ISO_8859_1));
        Files.writeString(out.resolve("EHR/2026/clean.csv"), "subject\nAAAABBBBCCCCDDDD\n");
        LeakCheck check = LeakCheck.of(List.of(m("visit", "HOSP-000123", "V1"), m("patient", "Jos\u00e9 M\u00fcller", "P9"),
                m("patient", "ab", "P0")), 4);
        LeakCheck.Report report = check.scan(out, 2);
        assertEquals(3, report.files());
        assertEquals(1, report.skippedShort());
        assertEquals(List.of(new LeakCheck.Leak(Path.of("EHR/2026/names.csv"), "patient", "P9", "ISO-8859-1"),
                new LeakCheck.Leak(Path.of("EHR/2026/visits.csv"), "visit", "V1", "UTF-8")), report.leaks());
        assertTrue(report.leaks().stream().noneMatch(l -> l.toString().contains("HOSP-000123")));
    }

    @Test
    void aCleanFolderHasNoLeak(@TempDir Path out) throws IOException {
        Files.writeString(out.resolve("a.csv"), "subject\n7K3QX0M2V9D1ZR4T\n");
        LeakCheck.Report report = LeakCheck.of(List.of(m("patient", "HOSP-1", "7K3QX0M2V9D1ZR4T")), 4).scan(out, 1);
        assertTrue(report.clean());
        assertEquals(1, report.values());
    }
}
