package eu.hbp.mip.anonymiser.nifti;

import eu.hbp.mip.anonymiser.api.ProfileException;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.core.dates.DateReduction;
import eu.hbp.mip.anonymiser.core.profile.ProfileFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The one loaded, validated NIfTI profile of a site: where a file's patient (and visit) are
 * found, what becomes of the header's text fields and extensions, and the rule of each key of
 * the JSON sidecars. Immutable and thread-safe.
 *
 * @param name the profile's name
 * @param file the YAML file it was loaded from
 * @param fileName the file-name pattern, with a group {@code patient} and optionally
 *        {@code visit}, matched against the name without its extension; or null
 * @param patientKey the sidecar key of the patient ID, or null
 * @param visitKey the sidecar key of the visit ID, or null
 * @param header what becomes of each text field: absent or null clears it
 * @param keptExtensions the extension codes kept; every other one is removed
 * @param removeUnknown whether sidecar keys without a rule are removed (else the sidecar is rejected)
 * @param keys the rule of each sidecar key
 */
record NiftiProfile(String name, Path file, Pattern fileName, String patientKey, String visitKey,
                    Map<NiftiHeader.Text, HeaderRule> header, Set<Integer> keptExtensions,
                    boolean removeUnknown, Map<String, KeyRule> keys) {

    /** The rule of one header text field: keep it, or set it ({@code value} null clears it). */
    record HeaderRule(boolean keep, String value) {
    }

    /** Extension codes that always carry identifying data and can never be kept. */
    static final Set<Integer> NEVER_KEPT = Set.of(2, 4);

    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7E]*");

    NiftiProfile {
        header = Collections.unmodifiableMap(new EnumMap<>(header));
        keptExtensions = Set.copyOf(keptExtensions);
        keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    }

    /**
     * Loads and validates one profile file.
     *
     * @param files the strict YAML binder
     * @param file the profile
     * @param store the pseudonym store its rules use
     * @return the compiled profile
     * @throws ProfileException naming the file, the line and the fix
     */
    static NiftiProfile load(ProfileFiles files, Path file, PseudonymStore store) {
        ProfileSpec spec = files.load(file, ProfileSpec.class);
        if (spec == null) {
            throw new ProfileException("profile " + file + ": the file is empty; see docs/nifti.md for the format");
        }
        return new Compiler(file).compile(spec, store);
    }

    /** Validates a bound spec, reporting with the line of the key at fault. */
    private static final class Compiler {
        private final Path file;
        private final List<String> lines;

        Compiler(Path file) {
            this.file = file;
            List<String> read;
            try {
                read = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                read = List.of();
            }
            this.lines = read;
        }

        NiftiProfile compile(ProfileSpec spec, PseudonymStore store) {
            if (spec.name == null || !SAFE_NAME.matcher(spec.name).matches()) {
                throw error("name", "'name' is required: 1 to 64 letters, digits, '_', '.' or '-' (such as dcm2niix-bids)");
            }
            ProfileSpec.SubjectSpec subject = spec.subject == null ? new ProfileSpec.SubjectSpec() : spec.subject;
            Pattern fileName = null;
            if (subject.fileName != null) {
                String regex = subject.fileName.startsWith("regex:") ? subject.fileName.substring(6) : subject.fileName;
                try {
                    fileName = Pattern.compile(regex);
                } catch (PatternSyntaxException e) {
                    throw error("file-name", "'file-name' is not a valid regular expression (" + e.getDescription()
                            + " at index " + e.getIndex() + ")");
                }
                if (!regex.contains("(?<patient>")) {
                    throw error("file-name", "'file-name' must hold a group (?<patient>...) that captures the patient"
                            + " ID in the file name (without its extension), and may hold (?<visit>...)");
                }
            }
            if (fileName == null && subject.patientKey == null) {
                throw error("subject", "'subject:' must say where the patient ID is: 'file-name:' (a pattern with a"
                        + " group (?<patient>...), needed for images) and/or 'patient-key:' (a sidecar key)");
            }
            Map<NiftiHeader.Text, HeaderRule> header = new EnumMap<>(NiftiHeader.Text.class);
            if (spec.header != null) {
                for (Map.Entry<String, ProfileSpec.FieldSpec> e : spec.header.entrySet()) {
                    NiftiHeader.Text text = NiftiHeader.Text.of(e.getKey());
                    if (text == null) {
                        throw error(e.getKey(), "header field '" + e.getKey() + "' is not a text field; expected one"
                                + " of descrip, aux_file, intent_name, db_name");
                    }
                    header.put(text, headerRule(e.getKey(), e.getValue(), text));
                }
            }
            Set<Integer> kept = new TreeSet<>();
            if (spec.extensions != null && spec.extensions.keep != null) {
                for (Integer code : spec.extensions.keep) {
                    if (code == null || code < 0) {
                        throw error("keep", "extensions: keep: lists extension codes (ecode), whole numbers from 0");
                    }
                    if (NEVER_KEPT.contains(code)) {
                        throw error("keep", "extension code " + code + " (" + (code == 2 ? "DICOM" : "AFNI")
                                + ") carries identifying data and cannot be kept; remove it from extensions: keep:");
                    }
                    kept.add(code);
                }
            }
            ProfileSpec.SidecarSpec sidecar = spec.sidecar == null ? new ProfileSpec.SidecarSpec() : spec.sidecar;
            boolean removeUnknown;
            if (sidecar.unknownKeys == null || sidecar.unknownKeys.equals("remove")) {
                removeUnknown = true;
            } else if (sidecar.unknownKeys.equals("reject")) {
                removeUnknown = false;
            } else {
                throw error("unknown-keys", "'unknown-keys' must be 'remove' (the default: keys without a rule are"
                        + " dropped and counted) or 'reject' (a sidecar with such a key fails)");
            }
            Map<String, KeyRule> keys = new LinkedHashMap<>();
            if (sidecar.keys != null) {
                for (Map.Entry<String, ProfileSpec.KeySpec> e : sidecar.keys.entrySet()) {
                    keys.put(e.getKey(), keyRule(e.getKey(), e.getValue(), store));
                }
            }
            checkSubjectKey("patient-key", subject.patientKey, PseudonymStore.PATIENT, keys);
            checkSubjectKey("visit-key", subject.visitKey, "visit", keys);
            return new NiftiProfile(spec.name, file, fileName, subject.patientKey, subject.visitKey, header, kept,
                    removeUnknown, keys);
        }

        private void checkSubjectKey(String what, String key, String domain, Map<String, KeyRule> keys) {
            if (key == null) {
                return;
            }
            KeyRule rule = keys.get(key);
            boolean ok = rule instanceof KeyRule.Remove
                    || rule instanceof KeyRule.Pseudonymise p && p.domain().equals(domain);
            if (!ok) {
                throw error(what, "the " + what + " '" + key + "' must have a sidecar rule: 'remove', or"
                        + " 'pseudonymise' with domain: " + domain);
            }
        }

        private HeaderRule headerRule(String field, ProfileSpec.FieldSpec spec, NiftiHeader.Text text) {
            if (spec.set != null) {
                if (spec.rule != null && !spec.rule.equals("set")) {
                    throw error(field, "header field '" + field + "': give either a rule (clear, keep) or set:");
                }
                if (!PRINTABLE.matcher(spec.set).matches() || spec.set.length() >= text.maxLength()) {
                    throw error(field, "header field '" + field + "': set: must be printable ASCII of at most "
                            + (text.maxLength() - 1) + " characters");
                }
                return new HeaderRule(false, spec.set);
            }
            if ("clear".equals(spec.rule)) {
                return new HeaderRule(false, null);
            }
            if ("keep".equals(spec.rule)) {
                return new HeaderRule(true, null);
            }
            throw error(field, "header field '" + field + "': the rule must be clear, keep, or {set: <text>}");
        }

        private KeyRule keyRule(String key, ProfileSpec.KeySpec spec, PseudonymStore store) {
            String w = "sidecar key '" + key + "'";
            if (spec.rule == null) {
                throw error(key, w + ": 'rule' is required (keep, remove, pseudonymise, date, birthdate, replace)");
            }
            boolean hasDomain = spec.domain != null;
            boolean hasReduce = spec.reduce != null;
            boolean hasValue = spec.value != null;
            switch (spec.rule) {
                case "keep", "remove" -> {
                    if (hasDomain || hasReduce || hasValue) {
                        throw error(key, w + ": rule " + spec.rule + " takes no parameters");
                    }
                    return spec.rule.equals("keep") ? new KeyRule.Keep() : new KeyRule.Remove();
                }
                case "pseudonymise" -> {
                    if (!hasDomain || !DOMAIN.matcher(spec.domain).matches()) {
                        throw error(key, w + ": rule pseudonymise needs domain: (lower-case letters, digits, '_' or"
                                + " '-'; patient for the patient ID, shared with CSV and DICOM)");
                    }
                    if (hasReduce || hasValue) {
                        throw error(key, w + ": rule pseudonymise takes only domain:");
                    }
                    return new KeyRule.Pseudonymise(spec.domain, store);
                }
                case "date", "birthdate" -> {
                    if (hasDomain || hasValue) {
                        throw error(key, w + ": rule " + spec.rule + " takes only reduce:");
                    }
                    DateReduction reduction = spec.rule.equals("birthdate") ? DateReduction.YEAR : DateReduction.MONTH;
                    if (hasReduce) {
                        if (spec.reduce.equals("year")) {
                            reduction = DateReduction.YEAR;
                        } else if (spec.reduce.equals("month") && spec.rule.equals("date")) {
                            reduction = DateReduction.MONTH;
                        } else {
                            throw error(key, w + ": reduce: must be 'month' or 'year' for a date, 'year' for a"
                                    + " birthdate (birth dates are reduced to the year)");
                        }
                    }
                    return new KeyRule.DateRule(spec.rule, reduction);
                }
                case "replace" -> {
                    if (!hasValue || hasDomain || hasReduce) {
                        throw error(key, w + ": rule replace needs value: (the constant text) and nothing else");
                    }
                    return new KeyRule.Replace(spec.value);
                }
                default -> throw error(key, w + ": unknown rule '" + spec.rule + "'; expected keep, remove,"
                        + " pseudonymise, date, birthdate or replace");
            }
        }

        private ProfileException error(String key, String what) {
            int line = 0;
            Pattern p = Pattern.compile("^\\s*(?:-\\s*)?(?:" + Pattern.quote(key) + "|'" + Pattern.quote(key)
                    + "'|\"" + Pattern.quote(key) + "\")\\s*:");
            for (int i = 0; i < lines.size(); i++) {
                if (p.matcher(lines.get(i)).find()) {
                    line = i + 1;
                    break;
                }
            }
            return new ProfileException("profile " + file + (line > 0 ? ":" + line : "") + ": " + what
                    + " (see docs/nifti.md)");
        }
    }
}
