package eu.hbp.mip.anonymiser.pipeline;

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
