package eu.hbp.mip.anonymiser.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublishTests {

    private static org.apache.hadoop.fs.Path hadoop(Path p) {
        return new org.apache.hadoop.fs.Path(p.toUri());
    }

    @Test
    void aSecondCommitOfOneNameFindsTheFirstAndDoesNothing(@TempDir Path dir) throws IOException {
        FileSystem fs = Publish.writable(hadoop(dir), new Configuration());
        Path first = dir.resolve("staging/a/x.dcm");
        Path second = dir.resolve("staging/b/x.dcm");
        Publish.write("first".getBytes(StandardCharsets.UTF_8), fs, hadoop(first));
        Publish.write("second".getBytes(StandardCharsets.UTF_8), fs, hadoop(second));
        Path target = dir.resolve("out/DICOM/x.dcm");

        assertTrue(Publish.noReplace(fs, hadoop(first), hadoop(target)));
        assertFalse(Publish.noReplace(fs, hadoop(second), hadoop(target)));

        assertEquals("first", Files.readString(target));
        assertFalse(Files.exists(first));
        assertFalse(Files.exists(second), "the duplicate's staged copy is dropped");
        try (var listing = Files.list(target.getParent())) {
            assertEquals(1, listing.count(), "no checksum sidecar, no second file");
        }
    }

    @Test
    void namesAnOutputAfterItsInputsKeyedId() {
        assertEquals("DICOM/2026/20260302/V/0003/00001-ABCDEFGHJKMNPQRS.dcm",
                PartitionWork.finalName("DICOM/2026/20260302/V/0003/00001.dcm", "ABCDEFGHJKMNPQRS"));
        assertEquals("EHR/x/table-ABCDEFGHJKMNPQRS", PartitionWork.finalName("EHR/x/table", "ABCDEFGHJKMNPQRS"));
    }
}
