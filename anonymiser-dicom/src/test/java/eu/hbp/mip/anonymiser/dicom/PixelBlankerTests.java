package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.dicom.codec.PixelFormat;
import eu.hbp.mip.anonymiser.dicom.profile.PixelRule;
import eu.hbp.mip.anonymiser.dicom.profile.PixelRulesFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PixelBlankerTests {

    /** Blanks x 2..5, y 1..2 of a 8x4 image; checks every sample of every frame. */
    @ParameterizedTest
    @CsvSource({"8,1,0,1", "16,1,0,1", "32,1,0,1", "8,3,0,1", "8,3,1,1", "16,3,1,2", "16,1,0,3"})
    void blanksExactlyTheRectangleInEverySampleAndFrame(int bits, int samples, int planar, int frames) {
        int rows = 4;
        int cols = 8;
        int bps = bits / 8;
        PixelFormat format = new PixelFormat(rows, cols, samples, bits, bits, 0, planar,
                samples == 3 ? "RGB" : "MONOCHROME2", frames, ByteOrder.LITTLE_ENDIAN);
        PixelBlanker blanker = new PixelBlanker(new PixelRule("r", null, null, null, null,
                List.of(new PixelRulesFile.Rectangle(2, 1, 4, 2), new PixelRulesFile.Rectangle(7, 3, 100, 100))));
        for (int frame = 0; frame < frames; frame++) {
            ByteBuffer buf = ByteBuffer.allocate((int) format.frameLength()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < buf.limit(); i++) {
                buf.put(i, (byte) 0x7F);
            }
            blanker.filter(format, frame, buf);
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < cols; x++) {
                    boolean inside = (x >= 2 && x < 6 && y >= 1 && y < 3) || (x == 7 && y == 3);
                    for (int s = 0; s < samples; s++) {
                        int offset = planar == 1
                                ? (s * rows * cols + y * cols + x) * bps
                                : ((y * cols + x) * samples + s) * bps;
                        for (int b = 0; b < bps; b++) {
                            assertEquals(inside ? 0 : 0x7F, buf.get(offset + b),
                                    "x=" + x + " y=" + y + " sample=" + s + " frame=" + frame);
                        }
                    }
                }
            }
        }
    }
}
