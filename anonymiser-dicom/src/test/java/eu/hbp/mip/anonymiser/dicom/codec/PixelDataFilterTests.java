package eu.hbp.mip.anonymiser.dicom.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The frame-by-frame pixel hook of the writer. */
class PixelDataFilterTests {

    @TempDir
    Path tmp;

    @Test
    void blanksARegionOfEveryFrame() throws Exception {
        Path out = tmp.resolve("blanked.dcm");
        List<Integer> frames = new ArrayList<>();
        try (DicomFile file = DicomReader.read(Dcmtk.fixture("mf-explicit-le.dcm"))) {
            new DicomWriter().withPixelDataFilter((format, frame, pixels) -> {
                frames.add(frame);
                assertEquals(32 * 32, pixels.remaining());
                for (int row = 0; row < 4; row++) {
                    for (int col = 0; col < format.columns(); col++) {
                        pixels.put(row * format.columns() + col, (byte) 0);
                    }
                }
            }).write(file, out);
        }
        assertEquals(List.of(0, 1, 2), frames);
        try (DicomFile again = DicomReader.read(out)) {
            Value.Bulk px = (Value.Bulk) again.dataSet().get(Tag.PIXEL_DATA).orElseThrow().value();
            ByteBuffer all = ByteBuffer.allocate((int) px.length());
            try (FileChannel ch = FileChannel.open(out)) {
                ch.read(all, px.offset());
            }
            for (int f = 0; f < 3; f++) {
                assertEquals(0, all.get(f * 1024 + 5));
                assertEquals(0, all.get(f * 1024 + 3 * 32 + 31));
                assertEquals((byte) ((f * 80 + 4 * 2 + 1) % 256), all.get(f * 1024 + 4 * 32 + 1));
            }
        }
        Dcmtk.dump(out);
    }

    @Test
    void givesSixteenBitFramesInTheFileByteOrder() throws Exception {
        for (String name : List.of("ct-explicit-le.dcm", "ct-explicit-be.dcm")) {
            Path out = tmp.resolve("px-" + name);
            List<PixelFormat> formats = new ArrayList<>();
            try (DicomFile file = DicomReader.read(Dcmtk.fixture(name))) {
                new DicomWriter().withPixelDataFilter((format, frame, pixels) -> {
                    formats.add(format);
                    assertEquals(format.order(), pixels.order());
                    assertEquals(65, pixels.getShort(2 * (1 * 64 + 1)) & 0xFFFF);
                    pixels.putShort(0, (short) 4095);
                }).write(file, out);
            }
            assertEquals(1, formats.size());
            PixelFormat f = formats.get(0);
            assertEquals(64 * 64 * 2, f.frameLength());
            assertEquals(name.contains("be") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN, f.order());
            assertTrue(Dcmtk.dump(out).contains("(7fe0,0010) OW 0fff\\0001"), name);
        }
    }

    @Test
    void refusesToFilterEncapsulatedPixelData() throws Exception {
        try (DicomFile file = DicomReader.read(Dcmtk.fixture("ct-rle.dcm"))) {
            DicomWriter writer = new DicomWriter().withPixelDataFilter((format, frame, pixels) -> { });
            DicomFormatException e = assertThrows(DicomFormatException.class,
                    () -> writer.write(file, tmp.resolve("x.dcm")));
            assertTrue(e.getMessage().contains("(7FE0,0010)"), e.getMessage());
        }
    }
}
