package eu.hbp.mip.anonymiser.csv;

import eu.hbp.mip.anonymiser.api.Bucket;
import eu.hbp.mip.anonymiser.api.Outcome;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chooses the profile of an input file from its name and header row, or explains why
 * none fits. Column names are schema, not patient data, and may appear in reasons; a
 * header that shares no column with any profile is not echoed (it may be a data row).
 */
final class ProfileMatch {

    /** How many leading bytes hold the header row, at most. */
    static final int HEAD_BYTES = 1 << 20;
    private static final int MAX_LISTED = 12;
    private static final int MAX_NAME = 40;

    private ProfileMatch() {
    }

    /** The answer: a profile, or a rejection. */
    sealed interface Selection permits Choice, Refusal {
    }

    /** The chosen profile and the file's columns in file order. */
    record Choice(CsvProfile profile, List<String> header) implements Selection {
    }

    /** No profile may handle the file. */
    record Refusal(Outcome.Rejected rejected) implements Selection {
    }

    /** The first record of the file as one dialect reads it: its fields, or why there are none. */
    private record HeaderRead(List<String> fields, String problem) {
    }

    /**
     * @param profiles the loaded profiles
     * @param input the input file
     * @return the choice, or why there is none
     * @throws IOException if the file cannot be read
     */
    static Selection choose(List<CsvProfile> profiles, Path input) throws IOException {
        byte[] head;
        boolean whole;
        try (InputStream in = Files.newInputStream(input)) {
            head = in.readNBytes(HEAD_BYTES);
            whole = in.read() < 0;
        }
        if (head.length == 0 || blank(head)) {
            return reject("csv-malformed", "the file is empty: a CSV export needs at least a header row");
        }
        String fileName = input.getFileName().toString();
        Map<Dialect, HeaderRead> headers = new HashMap<>();
        List<Scored> scored = new ArrayList<>();
        for (CsvProfile p : profiles) {
            if (!p.admitsFile(fileName)) {
                continue;
            }
            HeaderRead h = headers.computeIfAbsent(p.dialect(), d -> firstRecord(head, whole, d));
            if (h.problem() != null) {
                scored.add(new Scored(p, null, List.of(), List.of(), h.problem()));
                continue;
            }
            List<String> header = h.fields();
            if (!p.dialect().header()) {
                List<String> cols = List.copyOf(p.columns().keySet());
                String problem = header.size() == cols.size() ? null
                        : "its first row has " + header.size() + " fields where the profile has " + cols.size() + " columns";
                scored.add(new Scored(p, cols, List.of(), List.of(), problem));
                continue;
            }
            Set<String> names = new LinkedHashSet<>(header);
            if (names.size() != header.size()) {
                scored.add(new Scored(p, header, List.of(), List.of(), "its header row names a column twice ("
                        + list(duplicates(header)) + ")"));
                continue;
            }
            List<String> missing = new ArrayList<>();
            for (String c : p.columns().keySet()) {
                if (!names.contains(c)) {
                    missing.add(c);
                }
            }
            List<String> extra = new ArrayList<>();
            for (String c : header) {
                if (!p.columns().containsKey(c)) {
                    extra.add(c);
                }
            }
            scored.add(new Scored(p, header, missing, extra, null));
        }
        if (scored.isEmpty()) {
            return reject("csv-no-profile", "no CSV profile admits the file name (every profile has a 'match:"
                    + " file-name:' that does not match); add a profile for this export to scripts/csv/");
        }
        List<Scored> fitting = scored.stream().filter(Scored::fits).toList();
        if (!fitting.isEmpty()) {
            List<Scored> best = best(fitting, fileName);
            if (best.size() > 1) {
                return reject("csv-ambiguous-profile", "profiles " + best.get(0).profile.label() + " and "
                        + best.get(1).profile.label() + " both fit this file; give them 'match: file-name:'"
                        + " patterns that tell their files apart");
            }
            Scored s = best.get(0);
            return new Choice(s.profile, s.header);
        }
        // nothing fits: explain with the closest profile
        Scored closest = null;
        for (Scored s : scored) {
            if (closest == null || s.closerThan(closest, fileName)) {
                closest = s;
            }
        }
        CsvProfile p = closest.profile;
        if (closest.problem != null) {
            // the closest profile is problem-free when any is: here the file's first row is unusable for all
            return reject("csv-malformed", (p.namesFile(fileName) ? "profile " : "closest profile ")
                    + p.label() + ": " + closest.problem);
        }
        int shared = p.columns().size() - closest.missing.size();
        if (shared == 0) {
            return reject("csv-no-profile", "no CSV profile fits: the header row shares no column with any profile"
                    + " (is the header row missing, the separator or encoding different, or is this a new"
                    + " export?); add a profile to scripts/csv/");
        }
        boolean near = p.namesFile(fileName) || shared * 2 >= p.columns().size();
        StringBuilder why = new StringBuilder(near ? "profile " : "no CSV profile fits; the closest is ")
                .append(p.label()).append(':');
        if (!closest.missing.isEmpty()) {
            why.append(" missing columns ").append(list(closest.missing)).append(';');
        }
        if (!closest.extra.isEmpty()) {
            why.append(" columns without a rule ").append(list(closest.extra)).append(';');
        }
        why.setLength(why.length() - 1);
        why.append(closest.missing.isEmpty()
                ? ". Add a rule for each new column to the profile (remove, if research does not need it)"
                : ". Fix the export, or update the profile if the schema changed");
        String code = !near ? "csv-no-profile" : closest.missing.isEmpty() ? "csv-unknown-column" : "csv-missing-column";
        return reject(code, why.toString());
    }

    private static List<Scored> best(List<Scored> fitting, String fileName) {
        List<Scored> best = new ArrayList<>();
        for (Scored s : fitting) {
            if (best.isEmpty()) {
                best.add(s);
                continue;
            }
            int c = s.compareFit(best.get(0), fileName);
            if (c < 0) {
                best.clear();
                best.add(s);
            } else if (c == 0) {
                best.add(s);
            }
        }
        return best;
    }

    /** A profile measured against the file. */
    private record Scored(CsvProfile profile, List<String> header, List<String> missing, List<String> extra,
                          String problem) {

        boolean fits() {
            return problem == null && missing.isEmpty() && (extra.isEmpty() || profile.removeUnknown());
        }

        /** Negative when this fits better: named by the file-name test first, then fewer extra columns. */
        int compareFit(Scored other, String fileName) {
            int named = Boolean.compare(other.profile.namesFile(fileName), profile.namesFile(fileName));
            return named != 0 ? named : Integer.compare(extra.size(), other.extra.size());
        }

        boolean closerThan(Scored other, String fileName) {
            int named = Boolean.compare(profile.namesFile(fileName), other.profile.namesFile(fileName));
            if (named != 0) {
                return named > 0;
            }
            if ((problem == null) != (other.problem == null)) {
                return problem == null;
            }
            return score() > other.score();
        }

        /** The share of columns in common (Jaccard). */
        double score() {
            int shared = profile.columns().size() - missing.size();
            int union = profile.columns().size() + extra.size();
            return union == 0 ? 0 : (double) shared / union;
        }
    }

    /** @return the stripped fields of the first record, or why there are none */
    private static HeaderRead firstRecord(byte[] head, boolean whole, Dialect dialect) {
        int offset = 0;
        Charset charset = dialect.charset();
        if (head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            offset = 3;
            charset = StandardCharsets.UTF_8;
        }
        String text;
        try {
            text = charset.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(head, offset, head.length - offset)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return new HeaderRead(null, "its first bytes cannot be decoded as " + charset.name());
        }
        try (CSVParser parser = dialect.format().parse(new StringReader(text))) {
            Iterator<CSVRecord> it = parser.iterator();
            if (!it.hasNext()) {
                return new HeaderRead(null, "the file has no header row");
            }
            CSVRecord first = it.next();
            if (!whole) {
                boolean complete;
                try {
                    complete = it.hasNext();
                } catch (UncheckedIOException e) {
                    complete = true;
                }
                if (!complete) {
                    return new HeaderRead(null, "the header row is longer than " + (HEAD_BYTES >> 20) + " MiB or never ends"
                            + " (an unbalanced quote?)");
                }
            }
            List<String> fields = new ArrayList<>(first.size());
            for (String f : first) {
                fields.add(f.strip());
            }
            return new HeaderRead(fields, null);
        } catch (IOException | UncheckedIOException e) {
            return new HeaderRead(null, "its header row is malformed (an unbalanced quote, or a character after a closing quote)");
        }
    }

    private static boolean blank(byte[] head) {
        for (byte b : head) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private static List<String> duplicates(List<String> header) {
        Set<String> seen = new HashSet<>();
        Set<String> dup = new LinkedHashSet<>();
        for (String h : header) {
            if (!seen.add(h)) {
                dup.add(h);
            }
        }
        return List.copyOf(dup);
    }

    /** Column names for a reason: quoted, shortened, at most {@value #MAX_LISTED}. */
    static String list(List<String> names) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < names.size() && i < MAX_LISTED; i++) {
            String n = names.get(i);
            if (i > 0) {
                sb.append(", ");
            }
            sb.append('\'').append(n.length() > MAX_NAME ? n.substring(0, MAX_NAME) + "..." : n).append('\'');
        }
        if (names.size() > MAX_LISTED) {
            sb.append(", and ").append(names.size() - MAX_LISTED).append(" more");
        }
        return sb.append(']').toString();
    }

    private static Refusal reject(String code, String reason) {
        return new Refusal(new Outcome.Rejected(code, reason, CsvAnonymiserProvider.BUCKET));
    }
}
