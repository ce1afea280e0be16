package eu.hbp.mip.anonymiser.dicom.profile;

import eu.hbp.mip.anonymiser.core.dates.DateReduction;

import java.util.Objects;

/**
 * What to do with one data element, as decided by a {@link DicomProfile}.
 *
 * @param kind the action
 * @param domain the pseudonym domain ({@link Kind#PSEUDONYMISE} only), else null
 * @param reduce the date reduction ({@link Kind#DATE} only, unless shifting), else null
 * @param shift whether dates are shifted by the patient's day shift ({@link Kind#DATE} only)
 * @param value the replacement ({@link Kind#REPLACE} only), else null
 * @param byName whether a rule of the profile names the element's exact tag (or keyword),
 *        which exempts it from the free-text safety net
 */
public record ElementAction(Kind kind, String domain, DateReduction reduce, boolean shift, String value,
                            boolean byName) {

    /** The actions. */
    public enum Kind {
        /** Keep as is; a sequence is kept and its items de-identified by the same profile. */
        KEEP,
        /** Remove the element. */
        REMOVE,
        /** Replace with a zero-length value (a sequence with no items). */
        EMPTY,
        /** Replace with a dummy value consistent with the VR. */
        DUMMY,
        /** Replace with the pseudonym of the value in a domain, fitted to the VR's length. */
        PSEUDONYMISE,
        /** Replace every UID with its keyed remapping. */
        UID,
        /** Reduce (year, month) or shift a date. */
        DATE,
        /** Replace with a fixed value. */
        REPLACE;

        /** @return the name used in profiles and in outcome counts */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ElementAction {
        Objects.requireNonNull(kind, "kind");
    }

    /** @return a simple action of that kind */
    public static ElementAction of(Kind kind) {
        return new ElementAction(kind, null, null, false, null, false);
    }

    /** @return this action marked as naming its element exactly */
    ElementAction named() {
        return new ElementAction(kind, domain, reduce, shift, value, true);
    }
}
