package eu.hbp.mip.anonymiser.pipeline.pacs;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class MultipartReaderProperties {

    /** Any parts (without the delimiter inside), any preamble and epilogue, any read size: the parts come back. */
    @Property(tries = 200)
    void partsRoundTrip(@ForAll("partLists") List<byte[]> parts,
                        @ForAll("bodies") byte[] preamble,
                        @ForAll("bodies") byte[] epilogue,
                        @ForAll @IntRange(min = 1, max = 64) int chunk) throws IOException {
        String boundary = "b0undary-\u00e9x";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(preamble);
        for (byte[] part : parts) {
            out.write(ascii("\r\n--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n"));
            out.write(part);
        }
        out.write(ascii("\r\n--" + boundary + "--"));
        out.write(epilogue);
        List<byte[]> read = MultipartReaderTests.parts(MultipartReaderTests.trickle(out.toByteArray(), chunk), boundary);
        assertEquals(parts.size(), read.size());
        for (int i = 0; i < parts.size(); i++) {
            assertArrayEquals(parts.get(i), read.get(i));
        }
    }

    @Provide
    Arbitrary<List<byte[]>> partLists() {
        return bodies().list().ofMaxSize(6);
    }

    /** Bytes rich in CR, LF and '-' (to tease the delimiter search), never containing the delimiter itself. */
    @Provide
    Arbitrary<byte[]> bodies() {
        Arbitrary<Byte> b = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.of((byte) '\r', (byte) '\n', (byte) '-', (byte) 'b')),
                net.jqwik.api.Tuple.of(3, Arbitraries.bytes()));
        return b.array(byte[].class).ofMaxSize(300)
                .filter(bytes -> !new String(bytes, StandardCharsets.ISO_8859_1).contains("\r\n--b0undary"));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
