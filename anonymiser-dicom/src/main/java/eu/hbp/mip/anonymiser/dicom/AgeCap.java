package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.dicom.codec.DataSet;
import eu.hbp.mip.anonymiser.dicom.codec.Element;
import eu.hbp.mip.anonymiser.dicom.codec.VR;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Ages of 90 and over, as HIPAA Safe Harbor asks: after the profile, every age (VR AS, at any
 * depth) of 90 years or more ({@code 090Y} to {@code 999Y}; three digits of months, weeks or
 * days never reach 90 years) is written {@code 090Y}, and a PatientBirthDate the profile kept (whole, reduced or
 * shifted) is never earlier than January 1st of the study year minus 90: an older birth date
 * becomes {@code <study year - 90>0101}. The study year is that of the input's StudyDate, else
 * SeriesDate, AcquisitionDate or ContentDate, else the export year (the output's dates may be
 * dummies). Stateless.
 */
final class AgeCap {

    static final String CAPPED = "090Y";
    private static final int BIRTH_DATE = 0x00100030;
    private static final int[] STUDY_DATES = {0x00080020, 0x00080021, 0x00080022, 0x00080023};

    private AgeCap() {
    }

    /** The year of the first study-like date of a data set that has one. */
    static OptionalInt studyYear(DataSet ds) {
        for (int tag : STUDY_DATES) {
            String v = ds.string(tag).orElse("").replace(".", "");
            if (v.length() >= 4 && v.substring(0, 4).chars().allMatch(Character::isDigit)) {
                return OptionalInt.of(Integer.parseInt(v.substring(0, 4)));
            }
        }
        return OptionalInt.empty();
    }

    /**
     * Caps ages and the birth year in an anonymised data set.
     *
     * @param ds the anonymised data set, edited in place
     * @param studyYear the input's study year (see the class comment)
     * @return how many elements were changed
     */
    static long apply(DataSet ds, int studyYear) {
        List<DataSet> holders = new ArrayList<>();
        List<Element> ages = new ArrayList<>();
        ds.forEachDeep((holder, e) -> {
            if (e.vr() == VR.AS) {
                holders.add(holder);
                ages.add(e);
            }
        });
        long changed = 0;
        for (int i = 0; i < ages.size(); i++) {
            List<String> values = holders.get(i).strings(ages.get(i).tag());
            List<String> out = new ArrayList<>();
            boolean capped = false;
            for (String v : values) {
                if (ninetyOrMore(v)) {
                    out.add(CAPPED);
                    capped = true;
                } else {
                    out.add(v);
                }
            }
            if (capped) {
                holders.get(i).putString(ages.get(i).tag(), VR.AS, out.toArray(String[]::new));
                changed++;
            }
        }
        String birth = ds.string(BIRTH_DATE).orElse("").replace(".", "");
        if (birth.length() >= 4 && birth.substring(0, 4).chars().allMatch(Character::isDigit)) {
            int floor = studyYear - 90;
            if (Integer.parseInt(birth.substring(0, 4)) < floor) {
                ds.putString(BIRTH_DATE, VR.DA, String.format("%04d0101", floor));
                changed++;
            }
        }
        return changed;
    }

    /** @return whether an AS value ({@code nnnD|W|M|Y}) is 90 years or more; false when it is not an age */
    static boolean ninetyOrMore(String age) {
        if (age.length() != 4 || !age.substring(0, 3).chars().allMatch(Character::isDigit)) {
            return false;
        }
        return age.charAt(3) == 'Y' && Integer.parseInt(age.substring(0, 3)) >= 90;
    }
}
