package eu.hbp.mip.anonymiser.csv;

import java.util.Locale;

/** The rules a profile column may have, by the name profiles and outcome counts use. */
enum RuleKind {
    KEEP, REMOVE, PSEUDONYMISE, DATE, BIRTHDATE, REPLACE, GENERALISE, SCRUB;

    /** @return the rule's name in profiles and counts, such as {@code pseudonymise} */
    String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param key a rule name from a profile
     * @return the rule, or null if there is none by that name
     */
    static RuleKind of(String key) {
        for (RuleKind kind : values()) {
            if (kind.key().equals(key)) {
                return kind;
            }
        }
        return null;
    }
}
