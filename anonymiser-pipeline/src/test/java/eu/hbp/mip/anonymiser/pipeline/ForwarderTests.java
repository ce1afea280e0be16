package eu.hbp.mip.anonymiser.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForwarderTests {

    @Test
    void movesTheTreeBelowTheFormatFolderAndNeverOverwrites(@TempDir Path tmp) throws IOException {
        Path src = tmp.resolve("out/DICOM");
        Files.createDirectories(src.resolve("2026/20261125/S1"));
        Files.writeString(src.resolve("2026/20261125/S1/0001.dcm"), "one");
        Files.writeString(src.resolve("2026/20261125/S1/0002.dcm"), "two");
        Files.writeString(src.resolve("2026/20261125/.partial"), "hidden");
        Path target = tmp.resolve("df/in");
        Files.createDirectories(target.resolve("2026/20261125/S1"));
        Files.writeString(target.resolve("2026/20261125/S1/0002.dcm"), "other");

        Forwarder.Result r = new Forwarder().forward(src, target);

        assertEquals(1, r.moved());
        assertEquals(1, r.conflicts());
        assertEquals("one", Files.readString(target.resolve("2026/20261125/S1/0001.dcm")));
        assertEquals("other", Files.readString(target.resolve("2026/20261125/S1/0002.dcm")));
        assertTrue(Files.exists(src.resolve("2026/20261125/S1/0002.dcm")), "a conflicting file stays in out/");
        assertFalse(Files.exists(src.resolve("2026/20261125/S1/0001.dcm")));
        assertTrue(Files.exists(src.resolve("2026/20261125/.partial")), "hidden files are not forwarded");
    }

    @Test
    void finishesAForwardInterruptedAfterTheLink(@TempDir Path tmp) throws IOException {
        Path src = tmp.resolve("out/EHR");
        Files.createDirectories(src);
        Files.writeString(src.resolve("visits.csv"), "a\n");
        Path target = tmp.resolve("mipmap");
        Files.createDirectories(target);
        Files.createLink(target.resolve("visits.csv"), src.resolve("visits.csv"));

        Forwarder.Result r = new Forwarder().forward(src, target);

        assertEquals(1, r.moved());
        assertEquals(0, r.conflicts());
        assertFalse(Files.exists(src.resolve("visits.csv")));
    }
}
