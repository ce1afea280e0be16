package eu.hbp.mip.anonymiser.csv;

import eu.hbp.mip.anonymiser.api.spi.Recognition;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CsvRecognitionTests {

    private final CsvAnonymiserProvider provider = new CsvAnonymiserProvider();

    private Recognition recognise(String name, byte[] bytes) {
        return provider.recognise(name, ByteBuffer.wrap(bytes, 0, Math.min(bytes.length, 1024)).asReadOnlyBuffer());
    }

    private Recognition recognise(String name, String text) {
        return recognise(name, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void recognisesEvenTableByContentWhateverTheName() {
        assertEquals(Recognition.BY_CONTENT, recognise("export.dat", "a;b;c\n1;2;3\n4;5;6\n"));
    }

    @Test
    void recognisesFixturesByContent() throws IOException {
        for (String f : new String[] {"patients_export.csv", "visits_2026.csv", "lab_results.tsv"}) {
            assertEquals(Recognition.BY_CONTENT, recognise(f, Files.readAllBytes(CsvHarness.fixture(f))), f);
        }
    }

    @Test
    void recognisesShortCsvByName() {
        assertEquals(Recognition.BY_NAME, recognise("visits.CSV", "a,b\n1,2\n"));
        assertEquals(Recognition.BY_NAME, recognise("notes.txt", "Hello, world"));
    }

    @Test
    void refusesShortTextWithOtherName() {
        assertEquals(Recognition.NO, recognise("readme", "a,b\n1,2\n"));
    }

    @Test
    void refusesTextWithoutSeparatorInFirstLine() {
        assertEquals(Recognition.NO, recognise("notes.csv", "just words\nand, more\n"));
    }

    @Test
    void refusesEmptyFile() {
        assertEquals(Recognition.NO, recognise("empty.csv", new byte[0]));
    }

    @Test
    void refusesPdf() {
        assertEquals(Recognition.NO, recognise("report.csv", "%PDF-1.7\n1 0 obj,2;3\n"));
    }

    @Test
    void refusesBinaryWithNulBytes() {
        byte[] dicom = new byte[200];
        Arrays.fill(dicom, 0, 128, (byte) 0);
        System.arraycopy("DICM".getBytes(StandardCharsets.US_ASCII), 0, dicom, 128, 4);
        assertEquals(Recognition.NO, recognise("image.csv", dicom));
    }

    @Test
    void refusesControlCharacters() {
        assertEquals(Recognition.NO, recognise("x.csv", "a,b\u0001\n1,2\n"));
    }

    @Test
    void acceptsLatin1Text() {
        byte[] latin1 = "nom;prénom\nDubois;Hélène\nMüller;François\nA;B\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(Recognition.BY_CONTENT, recognise("x.csv", latin1));
    }

    @Test
    void acceptsUtf8CutInTheMiddleOfACharacter() {
        StringBuilder sb = new StringBuilder("a,b\n");
        while (sb.length() < 1100) {
            sb.append("é,è\n");
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        assertEquals(Recognition.BY_CONTENT, recognise("x.csv", Arrays.copyOf(bytes, 1023)));
    }

    @Test
    void leavesTheBufferPositionAlone() {
        ByteBuffer head = ByteBuffer.wrap("a,b\n1,2\n3,4\n".getBytes(StandardCharsets.UTF_8));
        provider.recognise("x.csv", head);
        assertEquals(0, head.position());
    }
}
