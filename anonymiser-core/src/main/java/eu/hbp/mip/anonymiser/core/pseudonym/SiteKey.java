package eu.hbp.mip.anonymiser.core.pseudonym;

import eu.hbp.mip.anonymiser.api.StoreException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
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
 * <p>The file {@value #FILE_NAME} holds the 32 raw bytes. A key file that group or
 * others may read or write, or of the wrong size, is refused with a one-line
 * {@link StoreException} saying what to fix. Creation is safe when several
 * processes start at once on an empty {@code db/}: the key is written to a private
 * temporary file and published with an atomic link, so every process ends up with
 * the same key. Immutable and thread-safe.
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
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

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
        try {
            return new SiteKey(b);
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    /**
     * Loads {@code db/site.key}, creating it (owner read/write only) when absent,
     * and the {@code db/} folder (owner only) when it does not exist yet.
     * Refuses a key file that group or others can read or write, or of the wrong size.
     *
     * @param db the database folder
     * @return the key
     * @throws StoreException with one line saying what to fix
     */
    public static SiteKey loadOrCreate(Path db) {
        prepareFolder(db);
        Path file = db.resolve(FILE_NAME);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            SiteKey key = generate();
            try {
                if (publish(db, file, key.bytes)) {
                    return key;
                }
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
        byte[] b = null;
        try {
            PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (view != null) {
                Set<PosixFilePermission> perms = view.readAttributes().permissions();
                Set<PosixFilePermission> extra = EnumSet.copyOf(perms);
                extra.removeAll(OWNER_ONLY_DIR);
                if (!extra.isEmpty()) {
                    throw new StoreException("site key " + file + " has permissions "
                            + PosixFilePermissions.toString(perms) + ": others may read it; run 'chmod 600 "
                            + file + "' and check who has copied it");
                }
            }
            if (Files.size(file) != SIZE) {
                throw new StoreException("site key " + file + " has " + Files.size(file) + " bytes, expected " + SIZE
                        + " (256 bits): restore the original key file from backup, or, for a new site with no"
                        + " pseudonyms yet, delete it to generate a new one");
            }
            b = Files.readAllBytes(file);
            return of(b);
        } catch (NoSuchFileException e) {
            throw new StoreException("site key " + file + " does not exist: restore it from backup, or use"
                    + " SiteKey.loadOrCreate to generate one for a new site", e);
        } catch (AccessDeniedException e) {
            throw new StoreException("cannot read the site key " + file + " (access denied): run the anonymiser as"
                    + " the user who owns it", e);
        } catch (IOException e) {
            throw new StoreException("cannot read the site key " + file + " (" + e.getClass().getSimpleName()
                    + "): check that it is a regular file owned by this user", e);
        } finally {
            if (b != null) {
                Arrays.fill(b, (byte) 0);
            }
        }
    }

    /** Makes sure {@code db} is a usable folder, creating it owner-only when absent. */
    static void prepareFolder(Path db) {
        if (!Files.isDirectory(db) && !Files.exists(db, LinkOption.NOFOLLOW_LINKS)) {
            Path parent = db.toAbsolutePath().getParent();
            try {
                if (parent != null) {
                    Files.createDirectories(parent);
                }
            } catch (IOException e) {
                throw new StoreException("cannot create the pseudonym database folder " + db + " ("
                        + e.getClass().getSimpleName() + "): create it, or make its parent a writable directory", e);
            }
            try {
                Files.createDirectory(db, ownerOnly(db, OWNER_ONLY_DIR));
            } catch (FileAlreadyExistsException raced) {
                // created meanwhile by another thread or process: checked below
            } catch (IOException e) {
                throw new StoreException("cannot create the pseudonym database folder " + db + " ("
                        + e.getClass().getSimpleName() + "): create it, or make its parent a writable directory", e);
            }
        }
        if (!Files.isDirectory(db)) {
            throw new StoreException("pseudonym database folder " + db + " is not a directory: point the db"
                    + " folder at a directory (or move this file away)");
        }
        if (!Files.isReadable(db) || !Files.isWritable(db) || !Files.isExecutable(db)) {
            throw new StoreException("pseudonym database folder " + db + " is not readable and writable by this"
                    + " user: run the anonymiser as its owner, or 'chmod 700 " + db + "'");
        }
    }

    /** @return an owner-only permission attribute where the file system is POSIX, else none */
    static FileAttribute<?>[] ownerOnly(Path where, Set<PosixFilePermission> perms) {
        if (where.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(perms)};
        }
        return new FileAttribute<?>[0];
    }

    /**
     * Writes the key to a private temporary file and links it into place, never
     * replacing a key another process published meanwhile.
     *
     * @return whether our key was published (false: another process's key is there)
     */
    private static boolean publish(Path db, Path file, byte[] key) throws IOException {
        Path tmp = Files.createTempFile(db, "." + FILE_NAME + ".", ".tmp", ownerOnly(db, OWNER_ONLY));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(key);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.createLink(file, tmp);
                return true;
            } catch (FileAlreadyExistsException raced) {
                return false;
            }
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
