package eu.hbp.mip.anonymiser.spark;

import eu.hbp.mip.anonymiser.api.StoreException;
import eu.hbp.mip.anonymiser.core.pseudonym.SiteKey;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * The site key on an executor: read from a key file (a mounted secret, owner-only) or from the
 * environment variable {@value JobSpec#KEY_ENV}, and placed in a task's private {@code db/}
 * folder, where the pseudonym store expects it. Never logged; its messages name the file or the
 * variable, never the key.
 */
final class SiteSecret {

    private SiteSecret() {
    }

    /**
     * Writes the key into {@code db/site.key} (owner read/write only) and returns it.
     *
     * @param keyFile the key file, or null for the environment
     * @param env the environment to read {@value JobSpec#KEY_ENV} from
     * @param db a private folder of the task
     */
    static SiteKey install(String keyFile, Map<String, String> env, Path db) throws IOException {
        byte[] raw = null;
        try {
            if (keyFile != null) {
                SiteKey.load(Path.of(keyFile)); // checks the permissions and the size
                raw = Files.readAllBytes(Path.of(keyFile));
            } else {
                String text = env.get(JobSpec.KEY_ENV);
                if (text == null || text.isBlank()) {
                    throw new StoreException("no site key on this executor: give --key-file (a file present on"
                            + " every executor, for example a mounted secret), or set " + JobSpec.KEY_ENV
                            + " (base64 of the 32 key bytes) with spark.executorEnv or a secret");
                }
                try {
                    raw = Base64.getDecoder().decode(text.strip());
                } catch (IllegalArgumentException e) {
                    throw new StoreException(JobSpec.KEY_ENV + " is not base64: set it to 'base64 -w0 site.key'");
                }
            }
            SiteKey key = SiteKey.of(raw);
            Files.createDirectories(db);
            Path file = db.resolve(SiteKey.FILE_NAME);
            try (FileChannel ch = FileChannel.open(file,
                    java.util.EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                ByteBuffer b = ByteBuffer.wrap(raw);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
            return key;
        } finally {
            if (raw != null) {
                Arrays.fill(raw, (byte) 0);
            }
        }
    }
}
