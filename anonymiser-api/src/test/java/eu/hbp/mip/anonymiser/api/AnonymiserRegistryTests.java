package eu.hbp.mip.anonymiser.api;

import eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider;
import eu.hbp.mip.anonymiser.api.spi.Recognition;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnonymiserRegistryTests {

    /** A format recognised by a magic prefix, standing for a third format such as NIfTI. */
    private record MagicProvider(String name, String magic) implements AnonymiserProvider {
        @Override
        public Recognition recognise(String fileName, ByteBuffer head) {
            byte[] m = magic.getBytes(StandardCharsets.US_ASCII);
            if (head.remaining() < m.length) {
                return fileName.endsWith("." + name) ? Recognition.BY_NAME : Recognition.NO;
            }
            for (int i = 0; i < m.length; i++) {
                if (head.get(head.position() + i) != m[i]) {
                    return fileName.endsWith("." + name) ? Recognition.BY_NAME : Recognition.NO;
                }
            }
            return Recognition.BY_CONTENT;
        }

        @Override
        public Anonymiser create(AnonymiserContext context) {
            return (input, output) -> new Outcome.Rejected("test", "test provider", Bucket.UNKNOWN);
        }
    }

    private static final class OtherNifti implements AnonymiserProvider {
        @Override
        public String name() {
            return "nii";
        }

        @Override
        public Recognition recognise(String fileName, ByteBuffer head) {
            return Recognition.NO;
        }

        @Override
        public Anonymiser create(AnonymiserContext context) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void explicitRegistrationWithoutDiscovery() {
        AnonymiserProvider nii = new MagicProvider("nii", "n+1");
        AnonymiserRegistry registry = AnonymiserRegistry.builder().discovery(false).register(nii).build();
        assertEquals(1, registry.providers().size());
        assertSame(nii, registry.provider("nii").orElseThrow());
        assertTrue(registry.failures().isEmpty());
    }

    @Test
    void contentBeatsName() {
        AnonymiserProvider byName = new MagicProvider("bin", "ZZZZ");
        AnonymiserProvider byContent = new MagicProvider("nii", "n+1");
        AnonymiserRegistry registry = AnonymiserRegistry.builder().discovery(false)
                .register(byName).register(byContent).build();
        ByteBuffer head = ByteBuffer.wrap("n+1 data".getBytes(StandardCharsets.US_ASCII));
        assertSame(byContent, registry.recognise("scan.bin", head).orElseThrow());
        assertSame(byName, registry.recognise("scan.bin", ByteBuffer.wrap(new byte[] {1, 2})).orElseThrow());
        assertTrue(registry.recognise("scan.pdf", ByteBuffer.wrap(new byte[] {1, 2})).isEmpty());
    }

    @Test
    void refusesTwoProvidersWithOneNameNamingBoth() {
        ProviderException e = assertThrows(ProviderException.class, () -> AnonymiserRegistry.builder()
                .discovery(false).register(new MagicProvider("nii", "n+1")).register(new OtherNifti()).build());
        assertTrue(e.getMessage().contains(MagicProvider.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(OtherNifti.class.getName()), e.getMessage());
    }
}
