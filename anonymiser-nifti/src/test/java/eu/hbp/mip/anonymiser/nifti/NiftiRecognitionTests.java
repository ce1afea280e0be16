package eu.hbp.mip.anonymiser.nifti;

import eu.hbp.mip.anonymiser.api.AnonymiserRegistry;
import eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider;
import eu.hbp.mip.anonymiser.api.spi.Recognition;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the provider claims, and that ServiceLoader finds it. */
class NiftiRecognitionTests {

    private final NiftiAnonymiserProvider provider = new NiftiAnonymiserProvider();

    private Recognition recognise(String name, byte[] bytes) {
        return provider.recognise(name, ByteBuffer.wrap(Arrays.copyOf(bytes,
                Math.min(bytes.length, AnonymiserProvider.SNIFF_BYTES))));
    }

    @Test
    void recognisesEveryVersionAndByteOrderByContentEvenGzip() {
        for (int v : new int[] {1, 2}) {
            for (ByteOrder o : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
                NiftiWriter w = new NiftiWriter().version(v).order(o).phiExtensions();
                assertEquals(Recognition.BY_CONTENT, recognise("scan.bin", w.bytes()));
                assertEquals(Recognition.BY_CONTENT, recognise("scan.bin", w.gzipped()));
                assertEquals(Recognition.BY_CONTENT, recognise("scan.hdr", new NiftiWriter().version(v).order(o)
                        .pair().bytes()));
            }
        }
    }

    @Test
    void claimsBrokenImagesAndPairDataByNameAndSidecarsByContent() {
        assertEquals(Recognition.BY_NAME, recognise("x.nii", new byte[] {1, 2, 3}));
        assertEquals(Recognition.BY_NAME, recognise("x.nii.gz", new byte[] {0x1f, (byte) 0x8b, 3}));
        assertEquals(Recognition.BY_NAME, recognise("x.img", new byte[] {1, 2, 3}));
        assertEquals(Recognition.BY_CONTENT, recognise("x.json", "\n  {\"a\": 1}".getBytes()));
        assertEquals(Recognition.NO, recognise("x.json", "[1]".getBytes()));
        assertEquals(Recognition.NO, recognise("x.csv", "a,b\n1,2\n".getBytes()));
        assertEquals(Recognition.NO, recognise(".nii", new byte[] {1}));
    }

    @Test
    void serviceLoaderFindsTheProvider() {
        AnonymiserRegistry registry = AnonymiserRegistry.discover();
        AnonymiserProvider p = registry.provider("nifti").orElseThrow();
        assertEquals("NIFTI", p.outputRoot());
        assertEquals("nifti", p.bucket().folder());
        assertTrue(p.options().contains(NiftiAnonymiserProvider.MAX_IMAGE_BYTES));
        assertTrue(p.sampleProfiles().containsKey("dcm2niix-bids.yaml"));
    }
}
