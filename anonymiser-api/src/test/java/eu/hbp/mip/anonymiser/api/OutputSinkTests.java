package eu.hbp.mip.anonymiser.api;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputSinkTests {

    @Test
    void acceptsNestedRelativeNames() {
        assertEquals("DICOM/2026/20261125/AB12/0001/0001.dcm",
                OutputSink.checkName("DICOM/2026/20261125/AB12/0001/0001.dcm"));
    }

    @Test
    void refusesNamesThatEscapeOrHide() {
        for (String bad : new String[] {"../x", "a/../b", "/etc/passwd", ".hidden", "a/.b", "a//b", "a/", "",
                "a\\b", "a\nb", "a b"}) {
            assertThrows(IllegalArgumentException.class, () -> OutputSink.checkName(bad), bad);
        }
    }

    @Property(tries = 2000)
    void anAcceptedNameNeverLeavesItsFolder(@ForAll String name) {
        Path root = Path.of("/base/out");
        try {
            OutputSink.checkName(name);
        } catch (IllegalArgumentException refused) {
            return;
        }
        Path resolved = root.resolve(name).normalize();
        assertTrue(resolved.startsWith(root) && !resolved.equals(root), "escaped: " + resolved);
    }

    @Test
    void plainSinkWritesAndNeverOverwrites(@TempDir Path dir) throws IOException {
        OutputSink sink = OutputSink.into(dir);
        try (WritableByteChannel ch = sink.create("a/b.txt")) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        }
        assertEquals(3, Files.size(dir.resolve("a/b.txt")));
        assertThrows(FileAlreadyExistsException.class, () -> sink.create("a/b.txt").close());
    }
}
