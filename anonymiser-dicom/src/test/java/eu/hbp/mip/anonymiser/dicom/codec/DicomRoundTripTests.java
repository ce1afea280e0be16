package eu.hbp.mip.anonymiser.dicom.codec;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unchanged round trips of every fixture, checked by DCMTK's dcmdump. */
class DicomRoundTripTests {

    @TempDir
    Path tmp;

    static List<Path> fixtures() throws IOException {
        return Dcmtk.fixtures();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void unchangedRoundTripDumpsTheSameDataSet(Path fixture) throws Exception {
        Path out = tmp.resolve("out.dcm");
        try (DicomFile file = DicomReader.read(fixture)) {
            new DicomWriter().write(file, out);
        }
        String before = Dcmtk.dump(fixture);
        String after = Dcmtk.dump(out);
        assertEquals(Dcmtk.dataSetPart(before), Dcmtk.dataSetPart(after), "data set of " + fixture);
        if (before.contains("(0002,0010)")) {
            assertEquals(Dcmtk.metaPart(before), Dcmtk.metaPart(after), "meta group of " + fixture);
        }
        assertTrue(after.contains("(0002,0012) UI [" + DicomWriter.IMPLEMENTATION_CLASS_UID + "]"), after);
        assertTrue(after.contains("(0002,0013) SH [" + DicomWriter.IMPLEMENTATION_VERSION_NAME + "]"), after);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void writtenFileReadsBackWithTheSameElements(Path fixture) throws Exception {
        Path out = tmp.resolve("out.dcm");
        try (DicomFile file = DicomReader.read(fixture)) {
            new DicomWriter().write(file, out);
            try (DicomFile again = DicomReader.read(out)) {
                assertEquals(file.transferSyntax(), again.transferSyntax());
                assertEquals(tags(file.dataSet()), tags(again.dataSet()));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("definedLengthExplicitLittleEndian")
    void explicitLittleEndianWithDefinedLengthsIsByteIdentical(String name) throws Exception {
        Path fixture = Dcmtk.fixture(name);
        Path out = tmp.resolve("out.dcm");
        try (DicomFile file = DicomReader.read(fixture)) {
            new DicomWriter().write(file, out);
        }
        byte[] in = Files.readAllBytes(fixture);
        byte[] written = Files.readAllBytes(out);
        // The meta group differs only in the implementation class UID and version name (the
        // writer's own); everything after it must be the same bytes.
        assertArrayEquals(Arrays.copyOfRange(in, dataSetStart(in), in.length),
                Arrays.copyOfRange(written, dataSetStart(written), written.length));
    }

    static List<String> definedLengthExplicitLittleEndian() {
        return List.of("ct-explicit-le.dcm", "mf-explicit-le.dcm");
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void writtenFilesPassDciodvfyWithoutNewErrors(Path fixture) throws Exception {
        Path out = tmp.resolve("out.dcm");
        try (DicomFile file = DicomReader.read(fixture)) {
            new DicomWriter().write(file, out);
        }
        Dcmtk.Run before = Dcmtk.run("dicom3tools", "dciodvfy", fixture.toString());
        Dcmtk.Run after = Dcmtk.run("dicom3tools", "dciodvfy", out.toString());
        List<String> added = new java.util.ArrayList<>(errors(after.err() + after.out()));
        added.removeAll(errors(before.err() + before.out()));
        assertEquals(List.of(), added, "dciodvfy errors on the written " + fixture.getFileName());
    }

    private static List<String> errors(String report) {
        return report.lines().filter(l -> l.startsWith("Error")).sorted().toList();
    }

    private static int dataSetStart(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        return 132 + 12 + b.getInt(132 + 8);
    }

    private static List<String> tags(DataSet ds) {
        List<String> out = new java.util.ArrayList<>();
        ds.forEachDeep((owner, e) -> out.add(Tag.toString(e.tag()) + " " + e.vr()));
        return out;
    }
}
