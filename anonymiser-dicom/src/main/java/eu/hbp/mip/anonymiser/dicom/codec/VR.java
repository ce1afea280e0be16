package eu.hbp.mip.anonymiser.dicom.codec;

/**
 * The DICOM value representations (PS3.5 6.2), with the facts the codec needs: the
 * two-letter code, whether an explicit VR header uses the long form (2 reserved bytes and a
 * 4-byte length), the padding byte of an odd-length value, and the kind of value.
 */
public enum VR {
    AE(Kind.STRING), AS(Kind.STRING), AT(Kind.BINARY), CS(Kind.STRING), DA(Kind.STRING),
    DS(Kind.STRING), DT(Kind.STRING), FD(Kind.BINARY), FL(Kind.BINARY), IS(Kind.STRING),
    LO(Kind.TEXT), LT(Kind.TEXT), OB(Kind.BULK), OD(Kind.BULK), OF(Kind.BULK), OL(Kind.BULK),
    OV(Kind.BULK), OW(Kind.BULK), PN(Kind.TEXT), SH(Kind.TEXT), SL(Kind.BINARY),
    SQ(Kind.SEQUENCE), SS(Kind.BINARY), ST(Kind.TEXT), SV(Kind.BINARY), TM(Kind.STRING),
    UC(Kind.TEXT), UI(Kind.STRING), UL(Kind.BINARY), UN(Kind.BULK), UR(Kind.STRING),
    US(Kind.BINARY), UT(Kind.TEXT), UV(Kind.BINARY);

    /** What a value of a VR holds. */
    public enum Kind {
        /** Text in the default repertoire (ASCII): codes, numbers as text, dates, UIDs. */
        STRING,
        /** Text subject to the Specific Character Set: names, descriptions (SH, LO, ST, LT, PN, UC, UT). */
        TEXT,
        /** Fixed-size binary numbers (US, SS, UL, SL, FL, FD, AT, SV, UV). */
        BINARY,
        /** Byte or word streams that may be large (OB, OW, OF, OD, OL, OV, UN). */
        BULK,
        /** A sequence of items. */
        SEQUENCE
    }

    private final Kind kind;

    VR(Kind kind) {
        this.kind = kind;
    }

    /** The kind of value. */
    public Kind kind() {
        return kind;
    }

    /** {@code true} for the VRs of text values (STRING or TEXT kinds). */
    public boolean isString() {
        return kind == Kind.STRING || kind == Kind.TEXT;
    }

    /**
     * {@code true} when an explicit VR header of this VR has 2 reserved bytes and a 4-byte
     * length (OB, OD, OF, OL, OV, OW, SQ, SV, UC, UN, UR, UT, UV); otherwise a 2-byte length.
     */
    public boolean hasLongLength() {
        return switch (this) {
            case OB, OD, OF, OL, OV, OW, SQ, SV, UC, UN, UR, UT, UV -> true;
            default -> false;
        };
    }

    /** The byte that pads a value to even length: a space for text (except UI), else 0. */
    public byte paddingByte() {
        return isString() && this != UI ? (byte) ' ' : 0;
    }

    /** The size in bytes of one binary number of this VR, or 1 for other VRs. */
    public int unitSize() {
        return switch (this) {
            case US, SS, OW -> 2;
            case UL, SL, FL, AT, OF, OL -> 4;
            case FD, SV, UV, OD, OV -> 8;
            default -> 1;
        };
    }

    /** The 16-bit code as it appears in an explicit VR header (first letter in the high byte). */
    public int code() {
        String n = name();
        return n.charAt(0) << 8 | n.charAt(1);
    }

    /** The VR of a 16-bit header code (first letter in the high byte), or {@code null} if unknown. */
    public static VR ofCode(int code) {
        int a = (code >>> 8) & 0xFF;
        int b = code & 0xFF;
        if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z') {
            return null;
        }
        return switch ((char) a + "" + (char) b) {
            case "AE" -> AE; case "AS" -> AS; case "AT" -> AT; case "CS" -> CS; case "DA" -> DA;
            case "DS" -> DS; case "DT" -> DT; case "FD" -> FD; case "FL" -> FL; case "IS" -> IS;
            case "LO" -> LO; case "LT" -> LT; case "OB" -> OB; case "OD" -> OD; case "OF" -> OF;
            case "OL" -> OL; case "OV" -> OV; case "OW" -> OW; case "PN" -> PN; case "SH" -> SH;
            case "SL" -> SL; case "SQ" -> SQ; case "SS" -> SS; case "ST" -> ST; case "SV" -> SV;
            case "TM" -> TM; case "UC" -> UC; case "UI" -> UI; case "UL" -> UL; case "UN" -> UN;
            case "UR" -> UR; case "US" -> US; case "UT" -> UT; case "UV" -> UV;
            default -> null;
        };
    }
}
