package eu.hbp.mip.anonymiser.csv;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.Bucket;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.OutputSink;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;

import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Anonymises CSV EHR exports under strict per-schema profiles, streaming: one row at a
 * time is held, whatever the file size. The output is UTF-8, RFC 4180 (CRLF line ends,
 * every text field quoted, generalised numbers bare), with a header row and the input's
 * column order minus removed columns, named {@code EHR/<yyyy>/<yyyyMMdd>/<table>.csv}
 * after the export date. Every patient pseudonym written is reported in
 * {@link Outcome.Anonymised#subjects()}; consent is not checked here but once, by the
 * pipeline, on those subjects.
 *
 * <p>Values are normalised ({@link Normalisation}: NFKC, format characters removed,
 * controls as spaces) before they are pseudonymised or scrubbed, so an invisible character
 * neither makes a second patient nor hides a name. A kept cell passes a free-text net: the
 * row's removed and pseudonymised values (and their words) of {@value #NET_MIN} characters
 * or more found in it as whole words, in any case, are replaced by {@value #NET_MARKER}
 * and counted ({@value #NET_COUNT}); a kept cell with none is released verbatim.
 *
 * <p>A file is rejected (never partly released) when no profile fits its name and
 * header, when a profile column is missing, a column has no rule, a row is malformed or
 * ragged, a cell holds a NUL character, or a value does not fit its rule (a pseudonymised
 * value longer than the store holds, 2,000 UTF-8 bytes, is refused before the store sees
 * it). A rejection names the row (1 is the first row after the header), the column and the
 * rule, never the value. A rejection found
 * after output was begun leaves a partial file in the sink, which the crash-safe mover
 * discards; a plain {@link OutputSink#into} sink keeps it.
 *
 * <p>Immutable and safe for use by many threads at once.
 */
final class CsvAnonymiser implements Anonymiser {

    /**
     * The output dialect: UTF-8 RFC 4180, CRLF, text quoted, numbers and empty cells bare.
     * {@link SubjectRemoval} reads outputs with it.
     */
    static final CSVFormat OUTPUT = CSVFormat.RFC4180.builder()
            .setQuoteMode(QuoteMode.NON_NUMERIC)
            .setRecordSeparator("\r\n")
            .get();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final int BUFFER = 1 << 16;
    private static final int MAX_NAME_TRIES = 1000;
    private static final String UNKNOWN_REMOVED = "remove-unknown";
    /** The free-text net: the shortest value it looks for, its marker and its count in the outcome. */
    static final int NET_MIN = 3;
    static final String NET_MARKER = "[REMOVED]";
    static final String NET_COUNT = "free-text-net";
    /**
     * Slots (a power of two) of each pseudonymised column's per-file cache: direct-mapped,
     * a new value takes its slot's place, so memory stays bounded and no entry is allocated.
     */
    private static final int CACHE_SLOTS = 1 << 16;

    private final List<CsvProfile> profiles;
    private final PseudonymStore store;
    private final Clock clock;

    /**
     * @param profiles the loaded profiles; at least one
     * @param store the pseudonym store, for per-patient date shifts
     * @param clock the clock of the export date in output names
     */
    CsvAnonymiser(List<CsvProfile> profiles, PseudonymStore store, Clock clock) {
        this.profiles = List.copyOf(profiles);
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Outcome anonymise(Path input, OutputSink output) throws IOException {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        ProfileMatch.Selection selection = ProfileMatch.choose(profiles, input);
        if (selection instanceof ProfileMatch.Refusal r) {
            return r.rejected();
        }
        ProfileMatch.Choice choice = (ProfileMatch.Choice) selection;
        return new Run(choice.profile(), choice.header()).stream(input, output);
    }

    @Override
    public boolean explain(Path input, Consumer<String> out, boolean showValues) throws IOException {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(out, "out");
        ProfileMatch.Selection selection = ProfileMatch.choose(profiles, input);
        if (selection instanceof ProfileMatch.Refusal r) {
            out.accept("no profile fits: it would be rejected (" + r.rejected().code() + "): " + r.rejected().reason());
            return true;
        }
        ProfileMatch.Choice choice = (ProfileMatch.Choice) selection;
        CsvProfile profile = choice.profile();
        out.accept("profile " + profile.label() + ", table " + profile.table() + ", patient column "
                + (profile.patient() == null ? "none" : "'" + profile.patient() + "'"));
        Run run = new Run(profile, choice.header());
        for (int i = 0; i < choice.header().size(); i++) {
            String column = choice.header().get(i);
            CellRule rule = profile.columns().get(column);
            if (rule == null) {
                out.accept("column " + (i + 1) + " '" + column + "': removed, it has no rule (unknown-columns: remove in "
                        + profile.file().getFileName() + ")");
                continue;
            }
            Integer line = profile.columnLines().get(column);
            out.accept("column " + (i + 1) + " '" + column + "': " + describe(rule) + " ("
                    + profile.file().getFileName() + (line == null ? "" : ":" + line) + ")");
        }
        Outcome.Rejected bad = run.check(input);
        for (int i = 0; i < choice.header().size(); i++) {
            if (run.netRows[i] > 0) {
                out.accept("free-text net: column '" + choice.header().get(i) + "' holds identifiers of its row in "
                        + run.netRows[i] + " row(s)" + (bad == null ? "" : " before row " + run.row)
                        + "; they would be replaced by " + NET_MARKER);
            }
        }
        if (bad == null) {
            out.accept("all " + run.row + " rows pass: the file would be anonymised");
        } else {
            out.accept("it would be rejected (" + bad.code() + "): " + bad.reason()
                    + (showValues && run.failedValue != null ? "; the value: " + run.failedValue : ""));
        }
        return true;
    }

    /** @return a rule as the profile states it, without any value of the file */
    private static String describe(CellRule rule) {
        if (rule instanceof CellRule.Pseudonymise p) {
            return "pseudonymise, domain " + p.domain();
        }
        if (rule instanceof CellRule.DateRule d) {
            return d.kind().key() + ", pattern " + d.pattern() + (d.shift() ? ", shifted by the patient's day shift"
                    : "") + (d.reduction() == null ? "" : ", reduced: " + d.reduction().name().toLowerCase(Locale.ROOT));
        }
        if (rule instanceof CellRule.Replace r) {
            return "replace with '" + r.value() + "'";
        }
        if (rule instanceof CellRule.Generalise g) {
            return "generalise" + (g.step() == null ? "" : ", step " + g.step())
                    + (g.above() == null ? "" : ", above " + g.above() + " '" + g.aboveLabel() + "'")
                    + (g.buckets() == null ? "" : ", buckets " + g.buckets());
        }
        return rule.kind() == RuleKind.KEEP ? "keep (then the row's free-text net)" : rule.kind().key();
    }

    /** One anonymisation: the column plan and the counters; never shared between threads. */
    private final class Run implements Row {
        private final CsvProfile profile;
        private final List<String> header;
        private final CellRule[] rules;          // by file column; null for an unknown column removed
        private final String[][] cachedValues;   // by file column, for pseudonymise: originals
        private final String[][] cachedPseudonyms; // and their pseudonyms, slot by slot
        private final boolean[] dropped;         // by file column
        private final int[] identifierColumns;   // pseudonymised and removed columns, for scrub
        private final int patientColumn;
        private final Set<String> nullMarkers;
        private final boolean emptyIsNull;
        private final int longestMarker;
        private final long[] counts = new long[RuleKind.values().length];
        private long unknownRemoved;
        private long scrubMarkers;
        private long netMarkers;
        private final Set<String> subjects = new HashSet<>();

        private CSVRecord record;
        private IdentifierMatcher identifiers;
        private boolean shiftKnown;
        private int shift;
        private String shiftPatient;
        private long row;
        private boolean dry = true;
        private String failedValue;              // the cell a rule refused, for explain --show-values
        private final long[] netRows;            // by file column, kept cells the net changed

        Run(CsvProfile profile, List<String> header) {
            this.profile = profile;
            this.header = header;
            int n = header.size();
            this.rules = new CellRule[n];
            this.dropped = new boolean[n];
            this.cachedValues = new String[n][];
            this.cachedPseudonyms = new String[n][];
            this.netRows = new long[n];
            List<Integer> ids = new ArrayList<>();
            int patient = -1;
            for (int i = 0; i < n; i++) {
                CellRule rule = profile.columns().get(header.get(i));
                rules[i] = rule;
                if (rule instanceof CellRule.Pseudonymise) {
                    cachedValues[i] = new String[CACHE_SLOTS];
                    cachedPseudonyms[i] = new String[CACHE_SLOTS];
                }
                dropped[i] = rule == null || rule.kind() == RuleKind.REMOVE;
                if (rule == null || rule.kind() == RuleKind.REMOVE || rule.kind() == RuleKind.PSEUDONYMISE) {
                    ids.add(i);
                }
                if (header.get(i).equals(profile.patient())) {
                    patient = i;
                }
            }
            this.identifierColumns = ids.stream().mapToInt(Integer::intValue).toArray();
            this.patientColumn = patient;
            this.nullMarkers = profile.dialect().nullMarkers();
            this.emptyIsNull = nullMarkers.contains("");
            this.longestMarker = nullMarkers.stream().mapToInt(String::length).max().orElse(0);
        }

        Outcome stream(Path input, OutputSink output) throws IOException {
            Dialect dialect = profile.dialect();
            int width = header.size();
            dry = false;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(input), BUFFER);
                 Reader reader = reader(in, dialect.charset());
                 CSVParser parser = dialect.format().parse(reader)) {
                Iterator<CSVRecord> it = parser.iterator();
                if (dialect.header()) {
                    CSVRecord first = next(it, parser);
                    if (first == null || !header.equals(stripped(first))) {
                        return malformed("the header row reads differently from its first bytes; check the"
                                + " encoding declared in profile " + profile.label());
                    }
                }
                String name;
                WritableByteChannel channel;
                LocalDate exported = LocalDate.now(clock);
                String base = "EHR/" + exported.getYear() + "/" + DAY.format(exported) + "/" + profile.table();
                int attempt = 1;
                while (true) {
                    name = attempt == 1 ? base + ".csv" : base + "-" + attempt + ".csv";
                    try {
                        channel = output.create(name);
                        break;
                    } catch (FileAlreadyExistsException e) {
                        if (++attempt > MAX_NAME_TRIES) {
                            throw e;
                        }
                    }
                }
                try (Writer w = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel),
                        StandardCharsets.UTF_8), BUFFER);
                     CSVPrinter printer = new CSVPrinter(w, OUTPUT)) {
                    for (int i = 0; i < width; i++) {
                        if (!dropped[i]) {
                            printer.print(header.get(i));
                        }
                    }
                    printer.println();
                    Outcome.Rejected bad = rows(it, parser, printer);
                    if (bad != null) {
                        return bad;
                    }
                }
                return new Outcome.Anonymised(List.of(name), counts(), subjects);
            } catch (MalformedRow e) {
                return e.rejected;
            }
        }

        /**
         * The dry run of {@link #stream}: every row read and every rule checked, nothing written,
         * no pseudonym created or looked up and no day shift computed.
         *
         * @return why the file would be rejected, or null if it would pass
         */
        Outcome.Rejected check(Path input) throws IOException {
            Dialect dialect = profile.dialect();
            try (InputStream in = new BufferedInputStream(Files.newInputStream(input), BUFFER);
                 Reader reader = reader(in, dialect.charset());
                 CSVParser parser = dialect.format().parse(reader)) {
                Iterator<CSVRecord> it = parser.iterator();
                if (dialect.header()) {
                    CSVRecord first = next(it, parser);
                    if (first == null || !header.equals(stripped(first))) {
                        return malformed("the header row reads differently from its first bytes; check the"
                                + " encoding declared in profile " + profile.label());
                    }
                }
                return rows(it, parser, null);
            } catch (MalformedRow e) {
                return e.rejected;
            }
        }

        /** @param printer where rows go, or null for a dry run */
        private Outcome.Rejected rows(Iterator<CSVRecord> it, CSVParser parser, CSVPrinter printer)
                throws IOException {
            int width = header.size();
            while (true) {
                CSVRecord rec;
                try {
                    rec = next(it, parser);
                } catch (MalformedRow e) {
                    return e.rejected;
                }
                if (rec == null) {
                    return null;
                }
                row++;
                if (rec.size() != width) {
                    return malformed("row " + row + " has " + rec.size() + " fields where the header has " + width
                            + " (a ragged row, or a separator inside an unquoted value)");
                }
                Outcome.Rejected bad = row(rec, printer);
                if (bad != null) {
                    return bad;
                }
            }
        }

        private Outcome.Rejected row(CSVRecord rec, CSVPrinter printer) throws IOException {
            record = rec;
            identifiers = null;
            shiftKnown = false;
            for (int i = 0; i < rules.length; i++) {
                if (rec.get(i).indexOf('\0') >= 0) {
                    return new Outcome.Rejected("csv-bad-value", "row " + row + ", column '" + header.get(i)
                            + "': the cell holds a NUL character (U+0000), which no rule accepts; is the export"
                            + " UTF-16, or its encoding other than declared in profile " + profile.label() + "?",
                            CsvAnonymiserProvider.BUCKET);
                }
            }
            for (int i = 0; i < rules.length; i++) {
                CellRule rule = rules[i];
                String raw = rec.get(i);
                boolean isNull = isNull(raw);
                if (rule == null) {
                    if (!isNull) {
                        unknownRemoved++;
                    }
                    continue;
                }
                Object out;
                if (isNull) {
                    out = rule.applyToNull(this);
                    if (rule.kind() == RuleKind.REPLACE) {
                        counts[RuleKind.REPLACE.ordinal()]++;
                    }
                } else {
                    counts[rule.kind().ordinal()]++;
                    if (dropped[i]) {
                        continue;
                    }
                    try {
                        if (dry && rule instanceof CellRule.Pseudonymise p) {
                            p.identifier(raw);
                            continue;
                        }
                        out = cachedValues[i] != null ? pseudonym(i, raw) : rule.apply(raw, this);
                    } catch (BadValueException e) {
                        failedValue = raw;
                        return new Outcome.Rejected("csv-bad-value", "row " + row + ", column '" + header.get(i)
                                + "', rule " + rule.kind().key() + ": " + e.getMessage(), CsvAnonymiserProvider.BUCKET);
                    }
                }
                if (dropped[i]) {
                    continue;
                }
                if (rule.kind() == RuleKind.KEEP && out instanceof String kept && kept.length() >= NET_MIN) {
                    out = net(kept);
                    if (out != kept) {
                        netRows[i]++;
                    }
                }
                if (printer == null) {
                    continue;
                }
                if (i == patientColumn && out != null) {
                    subjects.add((String) out);
                }
                printer.print(out);
            }
            if (printer != null) {
                printer.println();
            }
            return null;
        }

        private static int slot(String raw) {
            return (raw.hashCode() * 0x9E3779B9) >>> (Integer.SIZE - Integer.numberOfTrailingZeros(CACHE_SLOTS));
        }

        /**
         * The free-text net of a kept cell: the row's removed and pseudonymised values (and their
         * words) of {@value #NET_MIN} characters or more, found as whole words, case-insensitively,
         * in the normalised cell, are each replaced by {@value #NET_MARKER}.
         *
         * @return the cell as it was when nothing is found, else its normalised text with markers
         */
        private String net(String kept) {
            IdentifierMatcher ids = identifiers();
            if (ids.isEmpty()) {
                return kept;
            }
            if (Normalisation.isPlain(kept)) {
                BitSet mask = ids.mask(kept, null, NET_MIN, null);
                if (mask == null) {
                    return kept;
                }
                netMarkers += Scrubber.markers(mask);
                return Scrubber.masked(kept, mask, NET_MARKER);
            }
            Normalisation.Text text = Normalisation.text(kept);
            BitSet mask = ids.mask(text.view(), text.inWord(), NET_MIN, null);
            if (mask == null) {
                return kept;
            }
            netMarkers += Scrubber.markers(mask);
            return Scrubber.masked(text.text(), mask, NET_MARKER);
        }

        /** The pseudonym of a cell, through the column's bounded per-file cache. */
        private String pseudonym(int column, String raw) throws BadValueException {
            String[] values = cachedValues[column];
            int slot = slot(raw);
            if (raw.equals(values[slot])) {
                return cachedPseudonyms[column][slot];
            }
            String p = (String) ((CellRule.Pseudonymise) rules[column]).apply(raw, this);
            if (p != null) {
                values[slot] = raw;
                cachedPseudonyms[column][slot] = p;
            }
            return p;
        }

        private boolean isNull(String raw) {
            if (raw.isEmpty()) {
                return emptyIsNull;
            }
            return raw.length() <= longestMarker && nullMarkers.contains(raw);
        }

        @Override
        public int patientShift() throws BadValueException {
            if (!shiftKnown) {
                String raw = record.get(patientColumn);
                String patient = isNull(raw) ? "" : Normalisation.identifier(raw).strip();
                if (patient.isEmpty()) {
                    throw new BadValueException("the patient column '" + profile.patient()
                            + "' is empty in this row, so its dates cannot be shifted");
                }
                if (dry) {
                    return 0;
                }
                if (!patient.equals(shiftPatient)) {
                    shift = store.dayShift(PseudonymStore.PATIENT, patient);
                    shiftPatient = patient;
                }
                shiftKnown = true;
            }
            return shift;
        }

        @Override
        public IdentifierMatcher identifiers() {
            if (identifiers == null) {
                List<String> tokens = new ArrayList<>();
                for (int i : identifierColumns) {
                    String raw = record.get(i);
                    if (!isNull(raw)) {
                        Scrubber.tokens(raw, tokens);
                    }
                }
                identifiers = new IdentifierMatcher(tokens);
            }
            return identifiers;
        }

        @Override
        public void scrubbed(int markers) {
            scrubMarkers += markers;
        }

        private Map<String, Long> counts() {
            Map<String, Long> out = new LinkedHashMap<>();
            out.put("rows", row);
            for (RuleKind kind : RuleKind.values()) {
                if (counts[kind.ordinal()] > 0) {
                    out.put(kind.key(), counts[kind.ordinal()]);
                }
            }
            if (unknownRemoved > 0) {
                out.put(UNKNOWN_REMOVED, unknownRemoved);
            }
            if (scrubMarkers > 0) {
                out.put("scrub-markers", scrubMarkers);
            }
            if (netMarkers > 0) {
                out.put(NET_COUNT, netMarkers);
            }
            return out;
        }

        /** @return the next record, or null at the end */
        private CSVRecord next(Iterator<CSVRecord> it, CSVParser parser) throws IOException {
            try {
                return it.hasNext() ? it.next() : null;
            } catch (UncheckedIOException e) {
                IOException cause = e.getCause();
                long line = parser.getCurrentLineNumber();
                if (cause instanceof CSVException) {
                    throw new MalformedRow(malformed("row " + (row + 1) + " (near line " + line + ") is malformed:"
                            + " a quote is not closed, or a character follows a closing quote; quote fields that"
                            + " hold the separator, quotes or line breaks"));
                }
                if (cause instanceof CharacterCodingException) {
                    throw new MalformedRow(malformed("row " + (row + 1) + " (near line " + line + ") has bytes that"
                            + " are not valid " + profile.dialect().charset().name() + "; set 'encoding:' in profile "
                            + profile.label() + " to the export's encoding"));
                }
                throw cause;
            }
        }

        private Outcome.Rejected malformed(String reason) {
            return new Outcome.Rejected("csv-malformed", reason, CsvAnonymiserProvider.BUCKET);
        }
    }

    private static List<String> stripped(CSVRecord rec) {
        List<String> fields = new ArrayList<>(rec.size());
        for (String f : rec) {
            fields.add(f.strip());
        }
        return fields;
    }

    /** Carries a malformed-input rejection out of the record iterator. */
    private static final class MalformedRow extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient Outcome.Rejected rejected;

        MalformedRow(Outcome.Rejected rejected) {
            super(rejected.reason(), null);
            this.rejected = rejected;
        }
    }

    /** A strict decoder, past a UTF-8 byte-order mark (which makes the file UTF-8 whatever was declared). */
    private static Reader reader(InputStream in, Charset declared) throws IOException {
        in.mark(3);
        byte[] bom = in.readNBytes(3);
        Charset charset = declared;
        if (bom.length == 3 && (bom[0] & 0xFF) == 0xEF && (bom[1] & 0xFF) == 0xBB && (bom[2] & 0xFF) == 0xBF) {
            charset = StandardCharsets.UTF_8;
        } else {
            in.reset();
        }
        return new InputStreamReader(in, charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
    }
}
