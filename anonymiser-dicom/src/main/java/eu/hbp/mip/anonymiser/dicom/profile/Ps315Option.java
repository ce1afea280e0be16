package eu.hbp.mip.anonymiser.dicom.profile;

import java.util.Locale;
import java.util.Optional;

/**
 * The options of the Basic Application Level Confidentiality Profile (PS3.15 E.3), each
 * with its column in Table E.1-1 and its code in CID 7050 (De-identification Method).
 * A profile selects them by {@link #option() name} (such as {@code retain-uids}), by
 * {@link #column() column} ({@code rtnUIDsOpt}) or by the standard's title without spaces
 * ({@code RetainUIDsOption}).
 */
public enum Ps315Option {
    /** Retain Safe Private Option: private elements the profile lists as safe are kept. */
    RETAIN_SAFE_PRIVATE("retain-safe-private", "rtnSafePrivOpt", "113111", "Retain Safe Private Option"),
    /** Retain UIDs Option. */
    RETAIN_UIDS("retain-uids", "rtnUIDsOpt", "113110", "Retain UIDs Option"),
    /** Retain Device Identity Option. */
    RETAIN_DEVICE_IDENTITY("retain-device-identity", "rtnDevIdOpt", "113109", "Retain Device Identity Option"),
    /** Retain Institution Identity Option. */
    RETAIN_INSTITUTION_IDENTITY("retain-institution-identity", "rtnInstIdOpt", "113112",
            "Retain Institution Identity Option"),
    /** Retain Patient Characteristics Option. */
    RETAIN_PATIENT_CHARACTERISTICS("retain-patient-characteristics", "rtnPatCharsOpt", "113108",
            "Retain Patient Characteristics Option"),
    /** Retain Longitudinal Temporal Information with Full Dates Option. */
    RETAIN_LONGITUDINAL_FULL_DATES("retain-longitudinal-full-dates", "rtnLongFullDatesOpt", "113106",
            "Retain Longitudinal Temporal Information Full Dates Option"),
    /** Retain Longitudinal Temporal Information with Modified Dates Option. */
    RETAIN_LONGITUDINAL_MODIFIED_DATES("retain-longitudinal-modified-dates", "rtnLongModifDatesOpt", "113107",
            "Retain Longitudinal Temporal Information Modified Dates Option"),
    /** Clean Descriptors Option. */
    CLEAN_DESCRIPTORS("clean-descriptors", "cleanDescOpt", "113105", "Clean Descriptors Option"),
    /** Clean Structured Content Option. */
    CLEAN_STRUCTURED_CONTENT("clean-structured-content", "cleanStructContOpt", "113104",
            "Clean Structured Content Option"),
    /** Clean Graphics Option. */
    CLEAN_GRAPHICS("clean-graphics", "cleanGraphOpt", "113103", "Clean Graphics Option");

    private final String option;
    private final String column;
    private final String code;
    private final String meaning;

    Ps315Option(String option, String column, String code, String meaning) {
        this.option = option;
        this.column = column;
        this.code = code;
        this.meaning = meaning;
    }

    /** @return the name used in profiles, such as {@code retain-uids} */
    public String option() {
        return option;
    }

    /** @return the column of Table E.1-1, such as {@code rtnUIDsOpt} */
    public String column() {
        return column;
    }

    /** @return the CID 7050 code value (scheme {@code DCM}) */
    public String code() {
        return code;
    }

    /** @return the CID 7050 code meaning */
    public String meaning() {
        return meaning;
    }

    /**
     * @param name an option name, column name or title without spaces (case-insensitive)
     * @return the option, if the name is one
     */
    public static Optional<Ps315Option> byName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Ps315Option o : values()) {
            if (o.option.equals(n) || o.column.toLowerCase(Locale.ROOT).equals(n)
                    || o.meaning.replace(" ", "").toLowerCase(Locale.ROOT).equals(n)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }
}
