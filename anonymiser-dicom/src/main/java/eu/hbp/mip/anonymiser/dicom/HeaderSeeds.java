package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.dicom.codec.DataSet;
import eu.hbp.mip.anonymiser.dicom.codec.Element;
import eu.hbp.mip.anonymiser.dicom.codec.VR;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The patient values of one file, read from its header before anonymisation, as the search
 * patterns of the {@link FreeTextNet}. Each pattern carries the name of its rule, which is
 * what reasons and counts name (never the value).
 *
 * <p>Rules:
 * <ul>
 *   <li>{@code patient-name}: the parts (runs of 3 or more letters) of PatientName,
 *       OtherPatientNames and PatientBirthName; case-insensitive, on word boundaries; searched in
 *       every text value, PN included;</li>
 *   <li>{@code person-name}: the parts of every other person name (any PN element, at any
 *       depth: mother's birth name, physicians, operators...); searched in every text value but
 *       PN (a PN a profile keeps is a person the site chose to keep);</li>
 *   <li>{@code patient-id}, {@code other-patient-id}, {@code accession-number}: PatientID,
 *       OtherPatientIDs and the PatientID of OtherPatientIDsSequence items, AccessionNumber (at
 *       any depth); case-insensitive; an identifier of 5 characters or more is found anywhere
 *       (also inside a longer token such as {@code MRN778899}), a shorter one (2 to 4
 *       characters) on word boundaries only; single characters are not searched;</li>
 *   <li>{@code birth-date}: PatientBirthDate written {@code yyyyMMdd}, {@code yyyy-MM-dd},
 *       {@code yyyy/MM/dd}, {@code yyyy.MM.dd}, {@code dd/MM/yyyy}, {@code dd.MM.yyyy},
 *       {@code dd-MM-yyyy}, {@code MM/dd/yyyy} and the same without leading zeros, not inside a
 *       longer number.</li>
 * </ul>
 * Immutable once built; one instance per file.
 */
final class HeaderSeeds {

    static final String PATIENT_NAME = "patient-name";
    static final String PERSON_NAME = "person-name";
    static final String PATIENT_ID = "patient-id";
    static final String OTHER_PATIENT_ID = "other-patient-id";
    static final String ACCESSION_NUMBER = "accession-number";
    static final String BIRTH_DATE = "birth-date";

    /** Name parts too common in names' prefixes and suffixes to be worth a search. */
    private static final Set<String> HONORIFICS = Set.of("mrs", "miss", "prof", "phd");
    private static final Pattern NOT_LETTER = Pattern.compile("[^\\p{L}]+");
    private static final List<String> DATE_FORMATS = List.of("yyyyMMdd", "yyyy-MM-dd", "yyyy/MM/dd", "yyyy.MM.dd",
            "dd/MM/yyyy", "dd.MM.yyyy", "dd-MM-yyyy", "MM/dd/yyyy", "d/M/yyyy", "d.M.yyyy", "M/d/yyyy");

    private static final int PATIENT_NAME_TAG = 0x00100010;
    private static final int OTHER_PATIENT_NAMES = 0x00101001;
    private static final int PATIENT_BIRTH_NAME = 0x00101005;
    private static final int OTHER_PATIENT_IDS = 0x00101000;
    private static final int OTHER_PATIENT_IDS_SEQUENCE = 0x00101002;
    private static final int ACCESSION_NUMBER_TAG = 0x00080050;
    private static final int BIRTH_DATE_TAG = 0x00100030;

    /**
     * One search pattern.
     *
     * @param rule the rule's name, for reasons and counts
     * @param pattern the pattern
     * @param inPersonNames whether it is searched in PN values too
     */
    record Seed(String rule, Pattern pattern, boolean inPersonNames) {
    }

    private final List<Seed> seeds;

    private HeaderSeeds(List<Seed> seeds) {
        this.seeds = List.copyOf(seeds);
    }

    /** @return the patterns, longest value first (so that a longer name is replaced whole) */
    List<Seed> seeds() {
        return seeds;
    }

    /**
     * Reads the seeds from a data set that has not been anonymised yet.
     *
     * @param ds the input's data set
     * @return the seeds, possibly none
     */
    static HeaderSeeds of(DataSet ds) {
        Map<String, String[]> values = new LinkedHashMap<>();   // lower-case value -> {rule, kind}
        for (int tag : new int[] {PATIENT_NAME_TAG, OTHER_PATIENT_NAMES, PATIENT_BIRTH_NAME}) {
            for (String v : ds.strings(tag)) {
                nameParts(v, PATIENT_NAME, values);
            }
        }
        for (String v : ds.strings(DicomAnonymiser.PATIENT_ID)) {
            identifier(v, PATIENT_ID, values);
        }
        for (String v : ds.strings(OTHER_PATIENT_IDS)) {
            identifier(v, OTHER_PATIENT_ID, values);
        }
        for (DataSet item : ds.items(OTHER_PATIENT_IDS_SEQUENCE)) {
            for (String v : item.strings(DicomAnonymiser.PATIENT_ID)) {
                identifier(v, OTHER_PATIENT_ID, values);
            }
        }
        List<String> accession = new ArrayList<>();
        ds.forEachDeep((holder, e) -> {
            if (e.vr() == VR.PN) {
                for (String v : holder.strings(e.tag())) {
                    nameParts(v, PERSON_NAME, values);
                }
            } else if (e.tag() == ACCESSION_NUMBER_TAG) {
                accession.addAll(holder.strings(e.tag()));
            }
        });
        for (String v : accession) {
            identifier(v, ACCESSION_NUMBER, values);
        }
        List<Map.Entry<String, String[]>> ordered = new ArrayList<>(values.entrySet());
        ordered.sort(Comparator.comparingInt((Map.Entry<String, String[]> e) -> e.getKey().length()).reversed());
        List<Seed> seeds = new ArrayList<>();
        for (Map.Entry<String, String[]> e : ordered) {
            String rule = e.getValue()[0];
            String quoted = Pattern.quote(e.getKey());
            String regex = switch (e.getValue()[1]) {
                case "name", "short-id" -> "(?<![\\p{L}\\p{N}])" + quoted + "(?![\\p{L}\\p{N}])";
                default -> quoted;
            };
            seeds.add(new Seed(rule, Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE),
                    !rule.equals(PERSON_NAME)));
        }
        birthDate(ds, seeds);
        return new HeaderSeeds(seeds);
    }

    private static void nameParts(String name, String rule, Map<String, String[]> values) {
        for (String part : NOT_LETTER.split(name)) {
            String p = part.toLowerCase(Locale.ROOT);
            if (p.codePointCount(0, p.length()) >= 3 && !HONORIFICS.contains(p)) {
                String[] before = values.get(p);
                // a patient's own name part stays a patient-name rule, whoever else bears it
                if (before == null || rule.equals(PATIENT_NAME)) {
                    values.put(p, new String[] {rule, "name"});
                }
            }
        }
    }

    private static void identifier(String id, String rule, Map<String, String[]> values) {
        String v = id.strip().toLowerCase(Locale.ROOT);
        if (v.length() < 2) {
            return;
        }
        values.putIfAbsent(v, new String[] {rule, v.length() >= 5 ? "id" : "short-id"});
    }

    private static void birthDate(DataSet ds, List<Seed> seeds) {
        String v = ds.string(BIRTH_DATE_TAG).orElse("").replace(".", "");
        if (v.length() != 8 || !v.chars().allMatch(Character::isDigit)) {
            return;
        }
        LocalDate date;
        try {
            date = LocalDate.parse(v, DateTimeFormatter.BASIC_ISO_DATE);
        } catch (DateTimeException e) {
            return;
        }
        List<String> forms = new ArrayList<>();
        for (String f : DATE_FORMATS) {
            String s = date.format(DateTimeFormatter.ofPattern(f, Locale.ROOT));
            if (!forms.contains(s)) {
                forms.add(s);
            }
        }
        for (String s : forms) {
            seeds.add(new Seed(BIRTH_DATE, Pattern.compile("(?<!\\d)" + Pattern.quote(s) + "(?!\\d)"), true));
        }
    }

    /** @return whether an element holds text the net searches */
    static boolean searched(Element e) {
        return switch (e.vr()) {
            case LO, SH, UR, UC, LT, ST, UT, PN -> true;
            default -> false;
        };
    }
}
