package eu.hbp.mip.anonymiser.core.pseudonym;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Invariants of the pure keyed generator: pseudonyms, UIDs and day shifts. */
class KeyedPseudonymsProperties {

    private static final Pattern CROCKFORD16 = Pattern.compile("[0-9A-HJKMNP-TV-Z]{16}");
    private static final Pattern UID = Pattern.compile("2\\.25\\.(0|[1-9][0-9]*)");
    private static final Pattern DICOM_UID = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");

    @Provide
    Arbitrary<String> domains() {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789_-").ofMinLength(1).ofMaxLength(64);
    }

    @Provide
    Arbitrary<String> values() {
        // any well-formed Unicode, including NUL, controls and supplementary characters
        return Arbitraries.strings().all().ofMaxLength(40)
                .filter(KeyedPseudonymsProperties::wellFormed)
                .injectDuplicates(0.05);
    }

    @Provide
    Arbitrary<byte[]> keys() {
        return Arbitraries.bytes().array(byte[].class).ofSize(SiteKey.SIZE);
    }

    @Property(tries = 300)
    void sameKeyAndInputGiveTheSamePseudonymInEveryInstance(@ForAll("keys") byte[] key,
            @ForAll("domains") String domain, @ForAll("values") String value) {
        String a = new KeyedPseudonyms(SiteKey.of(key), "").pseudonym(domain, value);
        String b = new KeyedPseudonyms(SiteKey.of(key.clone()), "").pseudonym(domain, value);
        assertEquals(a, b);
        assertTrue(CROCKFORD16.matcher(a).matches(), a);
    }

    @Property(tries = 200)
    void prefixIsPrependedAndChangesNothingElse(@ForAll("keys") byte[] key, @ForAll("values") String value) {
        String plain = new KeyedPseudonyms(SiteKey.of(key), "").pseudonym("patient", value);
        assertEquals("CHUV-" + plain, new KeyedPseudonyms(SiteKey.of(key), "CHUV-").pseudonym("patient", value));
    }

    @Property(tries = 300)
    void differentKeysGiveDifferentPseudonyms(@ForAll("keys") byte[] k1, @ForAll("keys") byte[] k2,
            @ForAll("values") String value) {
        net.jqwik.api.Assume.that(!java.util.Arrays.equals(k1, k2));
        assertNotEquals(new KeyedPseudonyms(SiteKey.of(k1), "").pseudonym("patient", value),
                new KeyedPseudonyms(SiteKey.of(k2), "").pseudonym("patient", value));
    }

    @Example
    void differentKeysGiveUnrelatedPseudonyms() {
        KeyedPseudonyms a = new KeyedPseudonyms(SiteKey.generate(), "");
        KeyedPseudonyms b = new KeyedPseudonyms(SiteKey.generate(), "");
        int n = 20_000;
        long sameChars = 0;
        for (int i = 0; i < n; i++) {
            String pa = a.pseudonym("patient", "P" + i);
            String pb = b.pseudonym("patient", "P" + i);
            for (int c = 0; c < KeyedPseudonyms.LENGTH; c++) {
                if (pa.charAt(c) == pb.charAt(c)) {
                    sameChars++;
                }
            }
        }
        // unrelated: each position agrees by chance, 1 in 32 (mean 10,000, sd about 98)
        double rate = sameChars / (double) (n * KeyedPseudonyms.LENGTH);
        assertTrue(rate > 0.028 && rate < 0.0345, "positions agreeing: " + rate);
    }

    @Example
    void injectiveOverAHundredThousandRandomValues() {
        KeyedPseudonyms keyed = new KeyedPseudonyms(SiteKey.generate(), "");
        Random random = new Random(42);
        Set<String> values = new HashSet<>();
        Set<String> pseudonyms = new HashSet<>();
        while (values.size() < 100_000) {
            String v = Long.toString(random.nextLong() & Long.MAX_VALUE, 36 - random.nextInt(26));
            if (values.add(v)) {
                assertTrue(pseudonyms.add(keyed.pseudonym("patient", v)), "two values share a pseudonym");
            }
        }
    }

    @Example
    void injectiveOverAHundredThousandSequentialHospitalIds() {
        KeyedPseudonyms keyed = new KeyedPseudonyms(SiteKey.generate(), "");
        Set<String> pseudonyms = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            assertTrue(pseudonyms.add(keyed.pseudonym("patient", String.format("HOSP-%06d", i))));
        }
    }

    @Property(tries = 300)
    void domainsSeparateEqualValues(@ForAll("keys") byte[] key, @ForAll("values") String value) {
        KeyedPseudonyms keyed = new KeyedPseudonyms(SiteKey.of(key), "");
        assertNotEquals(keyed.pseudonym("patient", value), keyed.pseudonym("visit", value));
    }

    @Provide
    Arbitrary<String> uids() {
        Arbitrary<String> component = Arbitraries.oneOf(Arbitraries.just("0"),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(12).filter(s -> s.charAt(0) != '0'));
        return component.list().ofMinSize(2).ofMaxSize(12).map(l -> String.join(".", l))
                .filter(s -> s.length() <= 64);
    }

    @Property(tries = 500)
    void uidIsAlwaysAValidDicomUid(@ForAll("keys") byte[] key, @ForAll("uids") String uid) {
        String out = new KeyedPseudonyms(SiteKey.of(key), "").uid(uid);
        assertTrue(out.length() <= 64, out);
        assertTrue(UID.matcher(out).matches(), out);
        assertTrue(DICOM_UID.matcher(out).matches(), out);
        assertEquals(out, new KeyedPseudonyms(SiteKey.of(key), "").uid(uid), "deterministic");
    }

    @Property(tries = 200)
    void uidOfAnyStringIsValid(@ForAll("keys") byte[] key, @ForAll("values") String junk) {
        String out = new KeyedPseudonyms(SiteKey.of(key), "").uid(junk);
        assertTrue(out.length() <= 64 && UID.matcher(out).matches(), out);
    }

    @Example
    void distinctUidsStayDistinct() {
        KeyedPseudonyms keyed = new KeyedPseudonyms(SiteKey.generate(), "");
        Set<String> out = new HashSet<>();
        for (int i = 0; i < 50_000; i++) {
            assertTrue(out.add(keyed.uid("1.2.840.10008.5.1.4.1.1." + i)));
        }
    }

    @Property(tries = 1000)
    void dayShiftIsWithinBoundsAndNeverZero(@ForAll("keys") byte[] key, @ForAll("values") String subject) {
        int shift = new KeyedPseudonyms(SiteKey.of(key), "").dayShift("patient", subject);
        assertTrue(shift != 0 && Math.abs(shift) <= KeyedPseudonyms.MAX_SHIFT_DAYS, "shift " + shift);
        assertEquals(shift, new KeyedPseudonyms(SiteKey.of(key), "").dayShift("patient", subject));
    }

    @Example
    void dayShiftsCoverTheWholeRangeOnBothSides() {
        KeyedPseudonyms keyed = new KeyedPseudonyms(SiteKey.generate(), "");
        int min = 0;
        int max = 0;
        int negative = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            int s = keyed.dayShift("patient", "P" + i);
            min = Math.min(min, s);
            max = Math.max(max, s);
            negative += s < 0 ? 1 : 0;
        }
        assertEquals(-KeyedPseudonyms.MAX_SHIFT_DAYS, min);
        assertEquals(KeyedPseudonyms.MAX_SHIFT_DAYS, max);
        assertTrue(Math.abs(negative - n / 2) < 500, "negative shifts: " + negative);
    }

    @Property(tries = 100)
    void unpairedSurrogatesAreRefusedWithoutEchoingTheValue(@ForAll @IntRange(min = 0xD800, max = 0xDFFF) int c) {
        KeyedPseudonyms keyed = new KeyedPseudonyms(SiteKey.generate(), "");
        String value = "HOSP-SECRET" + (char) c;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> keyed.pseudonym("patient", value));
        assertTrue(e.getMessage().contains("not well-formed Unicode") && !e.getMessage().contains("HOSP-SECRET"));
    }

    @Example
    void toStringHidesTheKey() {
        assertEquals("KeyedPseudonyms[prefix=X-]", new KeyedPseudonyms(SiteKey.generate(), "X-").toString());
        assertEquals("SiteKey[256 bits, hidden]", SiteKey.generate().toString());
    }

    static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
