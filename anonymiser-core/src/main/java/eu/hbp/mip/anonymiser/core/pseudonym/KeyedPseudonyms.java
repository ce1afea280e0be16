package eu.hbp.mip.anonymiser.core.pseudonym;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pure, keyed generator behind every pseudonym: no storage, no I/O.
 *
 * <p>Formats:
 * <ul>
 *   <li>pseudonym: the optional site prefix, then 16 characters of Crockford
 *       base32 ({@code 0-9 A-H J K M N P-T V-Z}) encoding the first 80 bits of
 *       {@code HMAC-SHA-256(siteKey, domain ‖ 0x00 ‖ value)} (UTF-8);</li>
 *   <li>UID: {@code 2.25.} and the decimal form of the first 128 bits of
 *       {@code HMAC-SHA-256(siteKey, "#uid" ‖ 0x00 ‖ uid)} (PS3.5 B.2), at most 44
 *       characters;</li>
 *   <li>day shift: from {@code HMAC-SHA-256(siteKey, "#shift/" domain ‖ 0x00 ‖ value)},
 *       uniformly in [-{@value #MAX_SHIFT_DAYS}, -1] ∪ [1, {@value #MAX_SHIFT_DAYS}]
 *       (never zero, so a shifted date never equals the original).</li>
 * </ul>
 * Domains are lower-case names ({@code [a-z0-9_-]+}); the {@code #}-prefixed
 * internal domains cannot be reached from a profile, so a UID never collides with
 * a pseudonym input. Values must be well-formed Unicode (an unpaired surrogate is
 * refused with an {@link IllegalArgumentException}, as UTF-8 could not encode it
 * injectively). Messages never include the value. Thread-safe: each thread gets
 * its own {@link Mac}.
 *
 * <pre>{@code
 * KeyedPseudonyms keyed = new KeyedPseudonyms(SiteKey.loadOrCreate(db), "");
 * String p = keyed.pseudonym("patient", "HOSP-000123");   // e.g. "7K3QX0M2V9D1ZR4T"
 * }</pre>
 */
public final class KeyedPseudonyms {

    /** The bound of the per-subject date shift, in days. */
    public static final int MAX_SHIFT_DAYS = 365;
    /** Characters of a pseudonym after the prefix (80 bits of base32). */
    public static final int LENGTH = 16;

    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9]{0,16}-?");

    private final SecretKeySpec key;
    private final String prefix;
    private final ThreadLocal<Mac> macs;

    /**
     * @param key the site key
     * @param prefix an optional site prefix, such as {@code "CHUV-"}; letters and digits,
     *        at most 16, optionally ending with {@code -}; empty for none
     */
    public KeyedPseudonyms(SiteKey key, String prefix) {
        Objects.requireNonNull(key, "key");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("pseudonym prefix must be at most 16 letters or digits,"
                    + " optionally followed by '-'");
        }
        byte[] raw = key.bytes();
        this.key = new SecretKeySpec(raw, "HmacSHA256");
        java.util.Arrays.fill(raw, (byte) 0);
        this.prefix = prefix;
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** @return the site prefix, possibly empty */
    public String prefix() {
        return prefix;
    }

    /**
     * @param domain the identifier domain ({@code [a-z0-9_-]{1,64}})
     * @param value the original identifier
     * @return its pseudonym: the prefix and 16 Crockford base32 characters
     */
    public String pseudonym(String domain, String value) {
        checkDomain(domain);
        checkWellFormed(domain, value);
        return encode(prefix, hmac(domain, value));
    }

    /**
     * A fingerprint of the key: the encoding of a keyed hash of a fixed internal
     * input. It reveals nothing of the key; a store records it to refuse being
     * opened later with another key.
     *
     * @return 16 Crockford base32 characters
     */
    String keyCheck() {
        return encode("", hmac("#key-check", "mip-anonymiser"));
    }

    private static String encode(String prefix, byte[] h) {
        StringBuilder sb = new StringBuilder(prefix.length() + LENGTH).append(prefix);
        // 80 bits = 16 groups of 5 bits, read from the first 10 bytes
        long hi = 0;
        for (int i = 0; i < 5; i++) {
            hi = (hi << 8) | (h[i] & 0xFF);
        }
        long lo = 0;
        for (int i = 5; i < 10; i++) {
            lo = (lo << 8) | (h[i] & 0xFF);
        }
        for (int shift = 35; shift >= 0; shift -= 5) {
            sb.append(CROCKFORD[(int) ((hi >>> shift) & 31)]);
        }
        for (int shift = 35; shift >= 0; shift -= 5) {
            sb.append(CROCKFORD[(int) ((lo >>> shift) & 31)]);
        }
        return sb.toString();
    }

    /**
     * @param uid the original DICOM UID
     * @return {@code 2.25.} followed by the decimal of a 128-bit keyed hash of it
     */
    public String uid(String uid) {
        Objects.requireNonNull(uid, "uid");
        checkWellFormed(null, uid);
        byte[] h = hmac("#uid", uid);
        byte[] first128 = java.util.Arrays.copyOf(h, 16);
        return "2.25." + new BigInteger(1, first128);
    }

    /**
     * @param domain the subject domain
     * @param value the original subject identifier
     * @return a shift in days within ±{@value #MAX_SHIFT_DAYS}, never zero
     */
    public int dayShift(String domain, String value) {
        checkDomain(domain);
        checkWellFormed(domain, value);
        byte[] h = hmac("#shift/" + domain, value);
        long n = ((h[0] & 0xFFL) << 24) | ((h[1] & 0xFFL) << 16) | ((h[2] & 0xFFL) << 8) | (h[3] & 0xFFL);
        int magnitude = (int) (n % (2L * MAX_SHIFT_DAYS));   // 0 .. 729
        return magnitude < MAX_SHIFT_DAYS ? -(magnitude + 1) : magnitude - MAX_SHIFT_DAYS + 1;
    }

    private byte[] hmac(String domain, String value) {
        Mac mac = macs.get();
        mac.update(domain.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * UTF-8 encoding replaces an unpaired surrogate with '?', which would give two
     * different strings one pseudonym; such strings are refused instead.
     *
     * @param domain the value's domain, or null for a UID
     */
    private static void checkWellFormed(String domain, String value) {
        Objects.requireNonNull(value, "value");
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                } else {
                    String what = domain == null ? "the UID" : "the value in domain " + domain;
                    throw new IllegalArgumentException(what + " is not well-formed Unicode (unpaired surrogate"
                            + " at character " + i + "); decode the input with its declared character set");
                }
            }
        }
    }

    private static void checkDomain(String domain) {
        if (!isDomain(domain)) {
            throw new IllegalArgumentException("pseudonym domain must be 1 to 64 characters of a-z, 0-9, '_' or '-'");
        }
    }

    /** @return whether {@code domain} matches {@code [a-z0-9_-]{1,64}} (a loop: this is on every call) */
    static boolean isDomain(String domain) {
        if (domain == null || domain.isEmpty() || domain.length() > 64) {
            return false;
        }
        for (int i = 0; i < domain.length(); i++) {
            char c = domain.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this Java runtime", e);
        }
    }

    /** Shows nothing of the key. */
    @Override
    public String toString() {
        return "KeyedPseudonyms[prefix=" + prefix + "]";
    }
}
