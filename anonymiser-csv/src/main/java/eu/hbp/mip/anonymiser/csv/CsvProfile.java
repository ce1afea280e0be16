package eu.hbp.mip.anonymiser.csv;

import eu.hbp.mip.anonymiser.api.ProfileException;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.core.dates.DateReduction;
import eu.hbp.mip.anonymiser.core.profile.ProfileFiles;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One loaded, validated CSV profile: the schema of one kind of EHR export and the rule
 * of each of its columns. Immutable and thread-safe.
 *
 * @param name the profile's name, used in rejection reasons
 * @param file the YAML file it was loaded from
 * @param table the table name used in output names
 * @param fileName a test of the input file name, or null when any name may match
 * @param dialect how its files are written
 * @param patient the patient column, or null when the table has none
 * @param removeUnknown whether columns without a rule are removed ({@code unknown-columns: remove})
 *        instead of failing the file
 * @param columns the rule of each column, in profile order
 * @param columnLines the line of each column's rule in {@code file} (absent when not known)
 */
record CsvProfile(String name, Path file, String table, Predicate<String> fileName, Dialect dialect,
                  String patient, boolean removeUnknown, Map<String, CellRule> columns,
                  Map<String, Integer> columnLines) {

    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final Pattern TWO_DIGIT_YEAR = Pattern.compile("(?<![yu])[yu]{2}(?![yu])");
    private static final LocalDateTime SAMPLE = LocalDateTime.of(2001, 2, 3, 4, 5, 6);
    private static final String DEFAULT_MARKER = "[REMOVED]";

    CsvProfile {
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        columnLines = Map.copyOf(columnLines);
    }

    /** @return whether the profile names the input file (it has a file-name test and it passes) */
    boolean namesFile(String inputName) {
        return fileName != null && fileName.test(inputName);
    }

    /** @return whether a file of this name may be this profile's */
    boolean admitsFile(String inputName) {
        return fileName == null || fileName.test(inputName);
    }

    /** @return "'name' (file.yaml)", for reasons */
    String label() {
        return "'" + name + "' (" + file.getFileName() + ")";
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
    static CsvProfile load(ProfileFiles files, Path file, PseudonymStore store) {
        ProfileSpec spec = files.load(file, ProfileSpec.class);
        if (spec == null) {
            throw new ProfileException("profile " + file + ": the file is empty; see docs/csv-profiles.md for the format");
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
                read = Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException e) {
                read = List.of();
            }
            this.lines = read;
        }

        CsvProfile compile(ProfileSpec spec, PseudonymStore store) {
            if (spec.name == null || !SAFE_NAME.matcher(spec.name).matches()) {
                throw error(line("name", 0), "'name' is required: 1 to 64 letters, digits, '_', '.' or '-'"
                        + " (such as ehr-visits)");
            }
            String table = spec.table == null ? spec.name : spec.table;
            if (!SAFE_NAME.matcher(table).matches()) {
                throw error(line("table", 0), "'table' must be 1 to 64 letters, digits, '_', '.' or '-';"
                        + " it names the output file <table>.csv");
            }
            Predicate<String> fileName = spec.match == null ? null : fileName(spec.match.fileName);
            Dialect dialect = dialect(spec.dialect);
            if (!dialect.header() && fileName == null) {
                throw error(line("header", 0), "a profile for files without a header row must set match: file-name:,"
                        + " since such files cannot be recognised by their header");
            }
            boolean removeUnknown;
            if (spec.unknownColumns == null || spec.unknownColumns.equals("reject")) {
                removeUnknown = false;
            } else if (spec.unknownColumns.equals("remove")) {
                removeUnknown = true;
            } else {
                throw error(line("unknown-columns", 0), "'unknown-columns' must be 'reject' (the default: a column"
                        + " without a rule fails the file) or 'remove' (such columns are dropped and counted)");
            }
            if (spec.columns == null || spec.columns.isEmpty()) {
                throw error(line("columns", 0), "'columns' is required: one entry per column of the file,"
                        + " 'column_name: rule' (keep, remove, pseudonymise, date, birthdate, replace,"
                        + " generalise, scrub)");
            }
            int columnsLine = line("columns", 0);
            Map<String, CellRule> rules = new LinkedHashMap<>();
            Map<String, Integer> ruleLines = new LinkedHashMap<>();
            for (Map.Entry<String, ProfileSpec.ColumnSpec> e : spec.columns.entrySet()) {
                String column = e.getKey();
                int at = line(column, columnsLine);
                if (column.isBlank()) {
                    throw error(at, "a column name is empty; name each column as in the file's header row");
                }
                rules.put(column, rule(column, e.getValue(), at, store));
                if (at > 0) {
                    ruleLines.put(column, at);
                }
            }
            if (spec.patient != null) {
                CellRule p = rules.get(spec.patient);
                if (p == null) {
                    throw error(line("patient", 0), "the patient column '" + spec.patient + "' is not one of the"
                            + " profile's columns; name the column that holds the hospital's patient ID");
                }
                if (!(p instanceof CellRule.Pseudonymise ps) || !ps.domain().equals(PseudonymStore.PATIENT)) {
                    throw error(line(spec.patient, columnsLine), "the patient column '" + spec.patient
                            + "' must have rule pseudonymise with domain: patient");
                }
            }
            for (Map.Entry<String, CellRule> e : rules.entrySet()) {
                if (e.getValue() instanceof CellRule.DateRule d && d.shift() && spec.patient == null) {
                    throw error(line(e.getKey(), columnsLine), "column '" + e.getKey() + "': shift: true needs the"
                            + " profile's 'patient:' column (the shift is per patient)");
                }
            }
            return new CsvProfile(spec.name, file, table, fileName, dialect, spec.patient, removeUnknown, rules,
                    ruleLines);
        }

        private Predicate<String> fileName(String pattern) {
            if (pattern == null) {
                return null;
            }
            int at = line("file-name", 0);
            try {
                String regex = pattern.startsWith("regex:") ? pattern.substring(6) : globToRegex(
                        pattern.startsWith("glob:") ? pattern.substring(5) : pattern);
                Pattern p = Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
                return name -> p.matcher(name).matches();
            } catch (PatternSyntaxException e) {
                throw error(at, "'file-name' is not a valid regular expression (" + e.getDescription()
                        + " at index " + e.getIndex() + "); write glob:*visits*.csv or regex:.*visits.*\\.csv");
            }
        }

        private Dialect dialect(ProfileSpec.DialectSpec spec) {
            ProfileSpec.DialectSpec d = spec == null ? new ProfileSpec.DialectSpec() : spec;
            char separator = ',';
            if (d.separator != null) {
                String s = d.separator.equals("tab") || d.separator.equals("\\t") ? "\t" : d.separator;
                if (s.length() != 1 || s.charAt(0) == '\n' || s.charAt(0) == '\r' || s.charAt(0) == '"') {
                    throw error(line("separator", 0), "'separator' must be one character such as ',' or ';'"
                            + " (write tab for a tab)");
                }
                separator = s.charAt(0);
            }
            Character quote = '"';
            if (d.quote != null) {
                if (d.quote.isEmpty() || d.quote.equals("none")) {
                    quote = null;
                } else if (d.quote.length() == 1 && d.quote.charAt(0) != separator) {
                    quote = d.quote.charAt(0);
                } else {
                    throw error(line("quote", 0), "'quote' must be one character other than the separator,"
                            + " such as '\"', or none");
                }
            }
            Charset charset = java.nio.charset.StandardCharsets.UTF_8;
            if (d.encoding != null) {
                try {
                    charset = Charset.forName(d.encoding);
                } catch (UnsupportedCharsetException | IllegalCharsetNameException e) {
                    throw error(line("encoding", 0), "unknown encoding '" + d.encoding + "'; use a Java charset"
                            + " name such as UTF-8, ISO-8859-1 or windows-1252");
                }
            }
            if (d.nullMarkers != null && d.nullMarkers.contains(null)) {
                throw error(line("null-markers", 0), "'null-markers' lists strings only; write \"\" for an empty cell");
            }
            Set<String> nulls = d.nullMarkers == null ? Set.of("") : new LinkedHashSet<>(d.nullMarkers);
            return new Dialect(separator, quote, charset, nulls, d.header == null || d.header);
        }

        private CellRule rule(String column, ProfileSpec.ColumnSpec spec, int at, PseudonymStore store) {
            String where = "column '" + column + "'";
            if (spec == null || spec.rule == null) {
                throw error(at, where + " has no rule; add 'rule:' (keep, remove, pseudonymise, date, birthdate,"
                        + " replace, generalise, scrub)");
            }
            RuleKind kind = RuleKind.of(spec.rule);
            if (kind == null) {
                throw error(at, where + ": unknown rule '" + spec.rule + "'; expected one of keep, remove,"
                        + " pseudonymise, date, birthdate, replace, generalise, scrub");
            }
            Set<String> allowed = switch (kind) {
                case KEEP, REMOVE -> Set.of();
                case PSEUDONYMISE -> Set.of("domain");
                case DATE -> Set.of("pattern", "output", "reduce", "shift");
                case BIRTHDATE -> Set.of("pattern", "output");
                case REPLACE -> Set.of("value");
                case GENERALISE -> Set.of("step", "above", "above-label", "buckets", "labels");
                case SCRUB -> Set.of("detect", "patterns", "identifiers", "marker");
            };
            for (String key : spec.parameters().keySet()) {
                if (!allowed.contains(key)) {
                    throw error(line(key, at), where + ": '" + key + "' does not apply to rule " + kind.key()
                            + (allowed.isEmpty() ? ", which takes no parameters" : "; it takes " + allowed));
                }
            }
            String w = where + ", rule " + kind.key();
            return switch (kind) {
                case KEEP -> new CellRule.Keep();
                case REMOVE -> new CellRule.Remove();
                case PSEUDONYMISE -> {
                    if (spec.domain == null || !DOMAIN.matcher(spec.domain).matches()) {
                        throw error(line("domain", at), w + " needs 'domain:' of 1 to 64 characters a-z, 0-9, '_', '-'"
                                + " (patient for patient IDs, shared with DICOM PatientID; visit, accession, ...)");
                    }
                    yield new CellRule.Pseudonymise(spec.domain, store);
                }
                case DATE, BIRTHDATE -> dateRule(kind, spec, at, w);
                case REPLACE -> {
                    if (spec.value == null) {
                        throw error(at, w + " needs 'value:', the constant written instead");
                    }
                    yield new CellRule.Replace(spec.value);
                }
                case GENERALISE -> generalise(spec, at, w);
                case SCRUB -> scrub(spec, at, w);
            };
        }

        private CellRule dateRule(RuleKind kind, ProfileSpec.ColumnSpec spec, int at, String w) {
            if (spec.pattern == null) {
                throw error(at, w + " needs 'pattern:', the input date pattern (such as dd/MM/yyyy or yyyy-MM-dd)");
            }
            int pAt = line("pattern", at);
            boolean birth = kind == RuleKind.BIRTHDATE;
            DateTimeFormatter input = formatter(spec.pattern, pAt, w, birth);
            if (TWO_DIGIT_YEAR.matcher(unquoted(spec.pattern)).find()) {
                throw error(pAt, w + ": pattern '" + spec.pattern + "' has a two-digit year, which is ambiguous;"
                        + " use yyyy");
            }
            boolean withTime;
            try {
                input.format(SAMPLE.toLocalDate());
                withTime = false;
            } catch (java.time.DateTimeException e) {
                withTime = true;
            }
            try {
                String text = input.format(SAMPLE);
                if (withTime) {
                    input.parse(text, LocalDateTime::from);
                } else {
                    input.parse(text, LocalDate::from);
                }
            } catch (java.time.DateTimeException e) {
                throw error(pAt, w + ": pattern '" + spec.pattern + "' must give a full date"
                        + (birth ? " or at least a year" : " (year, month and day)")
                        + " and no time zone; such as dd/MM/yyyy or yyyy-MM-dd HH:mm");
            }
            DateReduction reduction;
            boolean shift = spec.shift != null && spec.shift;
            if (birth) {
                reduction = DateReduction.YEAR;
            } else if (spec.reduce == null) {
                reduction = shift ? null : DateReduction.MONTH;
            } else if (spec.reduce.equals("month")) {
                reduction = DateReduction.MONTH;
            } else if (spec.reduce.equals("year")) {
                reduction = DateReduction.YEAR;
            } else if (spec.reduce.equals("none") && shift) {
                reduction = null;
            } else {
                throw error(line("reduce", at), w + ": 'reduce' must be month or year (or none, with shift: true)");
            }
            boolean outputTime = withTime && reduction == null;
            String outPattern = spec.output != null ? spec.output
                    : birth ? "yyyy" : outputTime ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd";
            int oAt = spec.output == null ? at : line("output", at);
            DateTimeFormatter output;
            try {
                output = DateTimeFormatter.ofPattern(outPattern, Locale.ROOT);
                output.format(outputTime ? SAMPLE : SAMPLE.toLocalDate());
            } catch (IllegalArgumentException | java.time.DateTimeException e) {
                throw error(oAt, w + ": output pattern '" + outPattern + "' is not valid for a "
                        + (outputTime ? "date and time" : "date (reduced dates have no time)")
                        + "; such as yyyy-MM-dd");
            }
            return new CellRule.DateRule(kind, spec.pattern, input, withTime, reduction, shift, output,
                    withTime ? null : FixedDateFormat.of(spec.pattern, !birth),
                    outputTime ? null : FixedDateFormat.of(outPattern, false));
        }

        private DateTimeFormatter formatter(String pattern, int at, String w, boolean partial) {
            try {
                DateTimeFormatterBuilder b = new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(pattern)
                        .parseDefaulting(ChronoField.ERA, 1);
                if (partial) {
                    b.parseDefaulting(ChronoField.MONTH_OF_YEAR, 1).parseDefaulting(ChronoField.DAY_OF_MONTH, 1);
                }
                return b.toFormatter(Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
            } catch (IllegalArgumentException e) {
                throw error(at, w + ": '" + pattern + "' is not a valid date pattern (" + e.getMessage()
                        + "); see java.time.format.DateTimeFormatter, such as dd/MM/yyyy");
            }
        }

        private CellRule generalise(ProfileSpec.ColumnSpec spec, int at, String w) {
            if (spec.step == null && spec.above == null && spec.buckets == null) {
                throw error(at, w + " needs 'step:' (round down to a multiple), 'buckets:' (boundaries), and/or"
                        + " 'above:' with 'above-label:' (such as above: 89, above-label: \"90+\")");
            }
            if (spec.step != null && spec.buckets != null) {
                throw error(line("buckets", at), w + ": use either 'step' or 'buckets', not both");
            }
            if (spec.step != null && spec.step.signum() <= 0) {
                throw error(line("step", at), w + ": 'step' must be greater than zero");
            }
            if ((spec.above == null) != (spec.aboveLabel == null)) {
                throw error(at, w + ": 'above' and 'above-label' go together (such as above: 89, above-label: \"90+\")");
            }
            List<String> labels = null;
            if (spec.buckets != null) {
                List<BigDecimal> b = spec.buckets;
                int bAt = line("buckets", at);
                if (b.isEmpty() || b.contains(null)) {
                    throw error(bAt, w + ": 'buckets' lists numbers, such as [18, 40, 65]");
                }
                for (int i = 1; i < b.size(); i++) {
                    if (b.get(i).compareTo(b.get(i - 1)) <= 0) {
                        throw error(bAt, w + ": 'buckets' must be in increasing order");
                    }
                }
                if (spec.labels != null) {
                    if (spec.labels.size() != b.size() + 1 || spec.labels.contains(null)) {
                        throw error(line("labels", at), w + ": 'labels' needs " + (b.size() + 1) + " labels, one per"
                                + " bucket (below the first boundary, between each pair, from the last one)");
                    }
                    labels = List.copyOf(spec.labels);
                } else {
                    labels = new ArrayList<>();
                    labels.add("<" + b.get(0).toPlainString());
                    for (int i = 1; i < b.size(); i++) {
                        labels.add("[" + b.get(i - 1).toPlainString() + "," + b.get(i).toPlainString() + ")");
                    }
                    labels.add(">=" + b.get(b.size() - 1).toPlainString());
                    labels = List.copyOf(labels);
                }
            } else if (spec.labels != null) {
                throw error(line("labels", at), w + ": 'labels' needs 'buckets'");
            }
            return new CellRule.Generalise(spec.step, spec.above, spec.aboveLabel,
                    spec.buckets == null ? null : List.copyOf(spec.buckets), labels);
        }

        private CellRule scrub(ProfileSpec.ColumnSpec spec, int at, String w) {
            List<Pattern> detectors = new ArrayList<>();
            List<String> names = spec.detect == null ? Scrubber.BUILT_IN_ORDER : spec.detect;
            for (String name : names) {
                Pattern p = name == null ? null : Scrubber.BUILT_IN.get(name);
                if (p == null) {
                    throw error(line("detect", at), w + ": 'detect' lists built-in detectors among "
                            + Scrubber.BUILT_IN_ORDER + " (unknown: '" + name + "')");
                }
                detectors.add(p);
            }
            if (spec.patterns != null) {
                int pAt = line("patterns", at);
                for (int i = 0; i < spec.patterns.size(); i++) {
                    String regex = spec.patterns.get(i);
                    try {
                        if (regex == null || regex.isEmpty()) {
                            throw new PatternSyntaxException("empty pattern", String.valueOf(regex), 0);
                        }
                        detectors.add(Pattern.compile(regex, Pattern.UNICODE_CASE));
                    } catch (PatternSyntaxException e) {
                        throw error(pAt + 1 + i, w + ": pattern " + (i + 1) + " is not a valid regular expression ("
                                + e.getDescription() + " at index " + e.getIndex() + "); check escaping: in YAML"
                                + " single quotes, write '\\d{6}'");
                    }
                }
            }
            String marker = spec.marker == null ? DEFAULT_MARKER : spec.marker;
            return new CellRule.Scrub(new Scrubber(spec.identifiers == null || spec.identifiers,
                    List.copyOf(detectors), marker));
        }

        /** @return the 1-based line of the first key {@code key} at or after line {@code from}, else {@code from} */
        private int line(String key, int from) {
            Pattern p = Pattern.compile("^\\s*(?:-\\s*)?(?:" + Pattern.quote(key) + "|'" + Pattern.quote(key) + "'|\""
                    + Pattern.quote(key) + "\")\\s*:");
            for (int i = Math.max(from - 1, 0); i < lines.size(); i++) {
                String l = lines.get(i);
                // flow maps ({rule: date, pattern: ...}) hold several keys on one line
                if (p.matcher(l).find() || l.contains(" " + key + ":") || l.contains("{" + key + ":")) {
                    return i + 1;
                }
            }
            return from;
        }

        private ProfileException error(int line, String what) {
            return new ProfileException("profile " + file + (line > 0 ? ":" + line : "") + ": " + what);
        }

        private static String unquoted(String pattern) {
            return pattern.replaceAll("'[^']*'", "");
        }

        private static String globToRegex(String glob) {
            StringBuilder re = new StringBuilder();
            for (char c : glob.toCharArray()) {
                switch (c) {
                    case '*' -> re.append(".*");
                    case '?' -> re.append('.');
                    default -> re.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return re.toString();
        }
    }
}
