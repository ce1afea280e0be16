package eu.hbp.mip.anonymiser.core.pseudonym;

import eu.hbp.mip.anonymiser.api.StoreException;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * The site secret: 256 random bits that key every pseudonym, UID and date shift.
 * Whoever holds it can recompute pseudonyms, so it lives in {@code db/} with
 * owner-only permissions and is never logged, printed or committed; its
 * {@link #toString()} shows nothing of it.
 *
 * <p>The file {@value #FILE_NAME} holds the 32 raw bytes. Immutable and thread-safe.
 *
 * <pre>{@code
 * SiteKey key = SiteKey.loadOrCreate(layout.db());
 * }</pre>
 */
public final class SiteKey {

    /** The key file's name in the {@code db/} folder. */
    public static final String FILE_NAME = "site.key";
    /** The key size in bytes (256 bits). */
    public static final int SIZE = 32;

    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final byte[] bytes;

    private SiteKey(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    /**
     * A key from raw bytes, for tests and for services that keep the key elsewhere.
     *
     * @param bytes exactly {@value #SIZE} bytes
     * @return the key
     * @throws StoreException if the size is wrong
     */
    public static SiteKey of(byte[] bytes) {
        if (bytes.length != SIZE) {
            throw new StoreException("site key has " + bytes.length + " bytes, expected " + SIZE
                    + " (256 bits); restore the original key file or, for a new site, remove it to generate one");
        }
        return new SiteKey(bytes);
    }

    /** @return a fresh random key from {@link SecureRandom} */
    public static SiteKey generate() {
        byte[] b = new byte[SIZE];
        new SecureRandom().nextBytes(b);
        return new SiteKey(b);
    }

    /**
     * Loads {@code db/site.key}, creating it (owner read/write only) when absent.
     * Refuses a key file that group or others can read or write, or of the wrong size.
     *
     * @param db the database folder
     * @return the key
     * @throws StoreException with one line saying what to fix
     */
    public static SiteKey loadOrCreate(Path db) {
        Path file = db.resolve(FILE_NAME);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            SiteKey key = generate();
            try {
                Files.createDirectories(db);
                write(file, key.bytes);
                return key;
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: load theirs
            } catch (IOException e) {
                throw new StoreException("cannot create the site key " + file + " (" + e.getClass().getSimpleName()
                        + "): make the folder " + db + " writable by this user", e);
            }
        }
        return load(file);
    }

    /**
     * Loads an existing key file, checking its permissions and size.
     *
     * @param file the key file
     * @return the key
     * @throws StoreException with one line saying what to fix
     */
    public static SiteKey load(Path file) {
        try {
            PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (view != null) {
                Set<PosixFilePermission> perms = view.readAttributes().permissions();
                Set<PosixFilePermission> extra = EnumSet.copyOf(perms);
                extra.removeAll(OWNER_ONLY);
                extra.remove(PosixFilePermission.OWNER_EXECUTE);
                if (!extra.isEmpty()) {
                    throw new StoreException("site key " + file + " has permissions "
                            + PosixFilePermissions.toString(perms) + ": others may read it; run 'chmod 600 "
                            + file + "' and check who has copied it");
                }
            }
            byte[] b = Files.readAllBytes(file);
            try {
                return of(b);
            } finally {
                Arrays.fill(b, (byte) 0);
            }
        } catch (IOException e) {
            throw new StoreException("cannot read the site key " + file + " (" + e.getClass().getSimpleName()
                    + "): check that it exists and that this user owns it", e);
        }
    }

    private static void write(Path file, byte[] key) throws IOException {
        Path tmp = file.resolveSibling("." + FILE_NAME + ".tmp");
        Files.deleteIfExists(tmp);
        try (var ch = Files.newByteChannel(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(OWNER_ONLY))) {
            ch.write(java.nio.ByteBuffer.wrap(key));
        }
        try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        // Publish without overwriting a key another process may have created meanwhile.
        try {
            Files.createLink(file, tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** @return a copy of the raw key bytes, for building a MAC; callers must not keep or log it */
    byte[] bytes() {
        return bytes.clone();
    }

    /** Shows nothing of the key. */
    @Override
    public String toString() {
        return "SiteKey[256 bits, hidden]";
    }
}
