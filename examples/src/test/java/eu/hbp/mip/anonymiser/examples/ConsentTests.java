package eu.hbp.mip.anonymiser.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsentTests {

    @Test
    void removesOnlyTheRecordsOfThePatientKeepingHeaderAndQuotedLineBreaks(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("visits.csv");
        Files.writeString(csv, "subject,note\nAAA111,\"first\nline\"\nBBB222,\"has AAA1 inside\"\nAAA111,x\n");
        assertEquals(2, Consent.removeRecords(csv, "AAA111"));
        assertEquals("subject,note\nBBB222,\"has AAA1 inside\"\n", Files.readString(csv));
    }

    @Test
    void leavesAFileWithoutThePatientUntouched(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("visits.csv");
        Files.writeString(csv, "subject\nBBB222\n");
        assertEquals(0, Consent.removeRecords(csv, "AAA111"));
        assertEquals("subject\nBBB222\n", Files.readString(csv));
    }

    @Test
    void findsAPseudonymInAFileAcrossBufferBoundaries(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("x.dcm");
        byte[] data = new byte[200_000];
        byte[] p = "7K3QX0M2V9D1ZR4T".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(p, 0, data, 65_530, p.length);
        Files.write(f, data);
        assertTrue(Consent.contains(f, "7K3QX0M2V9D1ZR4T"));
        assertFalse(Consent.contains(f, "7K3QX0M2V9D1ZR4X"));
    }
}
