package eu.hbp.mip.anonymiser.nifti;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.Bucket;
import eu.hbp.mip.anonymiser.api.FormatException;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.OutputSink;
import eu.hbp.mip.anonymiser.api.PseudonymStore;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Anonymises the files of a NIfTI scan under the site's one profile, each file on its own
 * (the pipeline hands over one file at a time): a single-file image ({@code .nii},
 * {@code .nii.gz}), the header of a pair ({@code .hdr}) or its image data ({@code .img}), and
 * the JSON sidecar ({@code .json}). The files of one scan meet again in the output because
 * their names are derived from the same things: the patient, the visit and the file name
 * without its extension, pseudonymised in the {@code nifti-scan} domain as the scan research
 * ID. Outputs: {@code NIFTI/<yyyy>/<yyyyMMdd>/<scan>/<scan>.nii[.gz]} (or {@code .hdr},
 * {@code .img}) and {@code <scan>.json} beside, after the export date.
 *
 * <p>Images are streamed: the header and extensions (at most {@value #MAX_HEADER_REGION}
 * bytes) are held, the image data is copied through undecoded, byte for byte, and exactly
 * as many bytes as {@code dim} and {@code bitpix} describe are read (bytes after them are
 * dropped and counted), so a gzip bomb inflates no further than that, and never past the
 * hard bound. A gzip input gives a gzip output. A sidecar is held whole, up to
 * {@value #MAX_SIDECAR} bytes.
 *
 * <p>Every failure of the file is an {@link Outcome.Rejected} whose reason names the field,
 * key or byte offset and what was expected, never a value. Immutable and thread-safe.
 */
final class NiftiAnonymiser implements Anonymiser {

    /** The most bytes of header extensions (between the header and vox_offset) held in memory. */
    static final int MAX_HEADER_REGION = 16 << 20;
    /** The largest sidecar accepted. */
    static final int MAX_SIDECAR = 16 << 20;
    /** The domain of scan research IDs. */
    static final String SCAN_DOMAIN = "nifti-scan";
    /** The domain of visit IDs, shared with CSV. */
    static final String VISIT_DOMAIN = "visit";

    private static final int BUFFER = 1 << 16;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT);
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final String[] SUFFIXES = {".nii.gz", ".nii", ".hdr.gz", ".hdr", ".img.gz", ".img", ".json"};

    private final NiftiProfile profile;
    private final PseudonymStore store;
    private final Clock clock;
    private final long maxImageBytes;
    private final Bucket bucket;
    private final ObjectMapper json;

    /**
     * @param profile the site's profile
     * @param store the pseudonym store
     * @param clock the clock of the export date
     * @param maxImageBytes the hard bound of one image's data
     * @param bucket the quarantine bucket of rejections
     */
    NiftiAnonymiser(NiftiProfile profile, PseudonymStore store, Clock clock, long maxImageBytes, Bucket bucket) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxImageBytes = maxImageBytes;
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(64).maxStringLength(1 << 20).maxNumberLength(100).build())
                .build();
        this.json = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .build();
    }

    /** The original identifiers of a file's subject; never logged, never in a reason. */
    private record Subject(String patient, String visit) {
    }

    @Override
    public Outcome anonymise(Path input, OutputSink output) throws IOException {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        String fileName = input.getFileName().toString();
        String lower = fileName.toLowerCase(Locale.ROOT);
        String stem = stem(fileName);
        try {
            if (lower.endsWith(".json")) {
                return sidecar(input, stem, output);
            }
            boolean gzip = isGzip(input);
            if (lower.endsWith(".img") || lower.endsWith(".img.gz")) {
                return pairData(input, stem, gzip, output);
            }
            return image(input, stem, gzip, output);
        } catch (FormatException e) {
            return rejected("nifti-malformed", "the file breaks the NIfTI format: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ naming

    /** @return the file name without its NIfTI, pair or sidecar extension */
    static String stem(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        for (String s : SUFFIXES) {
            if (lower.endsWith(s) && lower.length() > s.length()) {
                return fileName.substring(0, fileName.length() - s.length());
            }
        }
        return fileName;
    }

    /** @return the subject from the file name, or null when the profile's pattern does not give one */
    private Subject fromFileName(String stem) {
        if (profile.fileName() == null) {
            return null;
        }
        Matcher m = profile.fileName().matcher(stem);
        if (!m.matches() || m.group("patient") == null || m.group("patient").isBlank()) {
            return null;
        }
        String visit = null;
        if (m.pattern().pattern().contains("(?<visit>") && m.group("visit") != null && !m.group("visit").isBlank()) {
            visit = m.group("visit").strip();
        }
        return new Subject(m.group("patient").strip(), visit);
    }

    private Outcome.Rejected noPatient() {
        return rejected("nifti-no-patient", profile.fileName() == null
                ? "profile '" + profile.name() + "' (" + profile.file().getFileName() + ") takes the patient only"
                + " from sidecar key '" + profile.patientKey() + "', and an image is processed apart from its"
                + " sidecar; add subject: file-name: with a group (?<patient>...) matching the file names"
                : "the file name (without its extension) does not match the subject file-name pattern of profile '"
                + profile.name() + "' (" + profile.file().getFileName() + "), or its patient group is empty;"
                + " rename the file or fix the pattern");
    }

    /** @return {@code NIFTI/<yyyy>/<yyyyMMdd>/<scan>/<scan>}, the name of a scan's outputs without extension */
    private String base(Subject subject, String stem) {
        String scan = store.pseudonym(SCAN_DOMAIN, subject.patient() + "/"
                + (subject.visit() == null ? "" : subject.visit()) + "/" + stem);
        if (subject.visit() != null) {
            store.pseudonym(VISIT_DOMAIN, subject.visit());
        }
        LocalDate day = LocalDate.now(clock);
        return "NIFTI/" + day.getYear() + "/" + DAY.format(day) + "/" + scan + "/" + scan;
    }

    private Outcome.Rejected rejected(String code, String reason) {
        return new Outcome.Rejected(code, reason, bucket);
    }

    // ------------------------------------------------------------------ images

    private static boolean isGzip(Path input) throws IOException {
        try (InputStream in = Files.newInputStream(input)) {
            byte[] magic = in.readNBytes(2);
            return magic.length == 2 && (magic[0] & 0xFF) == 0x1F && (magic[1] & 0xFF) == 0x8B;
        }
    }

    /** Reads an image file, plain (by position) or gzip (as a stream), mapping a broken stream to a format error. */
    private static final class Source implements AutoCloseable {
        private final FileChannel channel;
        private final InputStream stream;
        private long position;

        Source(Path input, boolean gzip) throws IOException {
            FileChannel ch = FileChannel.open(input, StandardOpenOption.READ);
            if (gzip) {
                InputStream s;
                try {
                    s = new GZIPInputStream(new BufferedInputStream(Channels.newInputStream(ch), BUFFER), BUFFER);
                } catch (ZipException | EOFException e) {
                    ch.close();
                    throw new FormatException(0, "the gzip header at byte 0 is broken; expected a gzip stream");
                }
                this.stream = s;
                this.channel = null;
            } else {
                this.channel = ch;
                this.stream = null;
            }
        }

        /** @return the plain file's size, or -1 for gzip */
        long size() throws IOException {
            return channel == null ? -1 : channel.size();
        }

        /** @return how many bytes were read into {@code b[off..off+len)}; fewer at the end of the data */
        int read(byte[] b, int off, int len) throws IOException {
            int n = 0;
            while (n < len) {
                int r = channel != null
                        ? channel.read(ByteBuffer.wrap(b, off + n, len - n), position)
                        : gzRead(b, off + n, len - n);
                if (r < 0) {
                    break;
                }
                n += r;
                position += r;
            }
            return n;
        }

        private int gzRead(byte[] b, int off, int len) throws IOException {
            try {
                return stream.read(b, off, len);
            } catch (EOFException e) {
                throw new FormatException(-1, "the gzip stream ends early, at inflated byte " + position
                        + " (the file is truncated)");
            } catch (ZipException e) {
                throw new FormatException(-1, "the gzip stream is corrupt near inflated byte " + position);
            }
        }

        /** Copies exactly {@code count} bytes to {@code out}; fewer means the data ended. */
        long copy(long count, WritableByteChannel out, OutputStream gzOut) throws IOException {
            long done = 0;
            if (channel != null && gzOut == null) {
                while (done < count) {
                    long t = channel.transferTo(position, count - done, out);
                    if (t <= 0) {
                        if (position >= channel.size()) {
                            break;
                        }
                        continue;
                    }
                    done += t;
                    position += t;
                }
                return done;
            }
            byte[] buf = new byte[BUFFER];
            while (done < count) {
                int want = (int) Math.min(buf.length, count - done);
                int r = read(buf, 0, want);
                if (r == 0) {
                    break;
                }
                if (gzOut != null) {
                    gzOut.write(buf, 0, r);
                } else {
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, r);
                    while (bb.hasRemaining()) {
                        out.write(bb);
                    }
                }
                done += r;
                if (r < want) {
                    break;
                }
            }
            return done;
        }

        /** @return whether any byte follows (reads at most one more) */
        boolean more() throws IOException {
            if (channel != null) {
                return position < channel.size();
            }
            return gzRead(new byte[1], 0, 1) > 0;
        }

        @Override
        public void close() throws IOException {
            if (stream != null) {
                stream.close();
            } else {
                channel.close();
            }
        }
    }

    private Outcome image(Path input, String stem, boolean gzip, OutputSink output) throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        try (Source in = new Source(input, gzip)) {
            byte[] first = new byte[NiftiHeader.SIZE_2];
            int n = in.read(first, 0, 4);
            int size = n < 4 ? 0 : NiftiHeader.sizeOf(ByteBuffer.wrap(first, 0, 4));
            if (size > 0) {
                n += in.read(first, 4, size - 4);
            }
            NiftiHeader header = NiftiHeader.parse(first, n, maxImageBytes);
            long fileSize = in.size();
            long regionEnd;
            if (header.pair()) {
                regionEnd = fileSize >= 0 ? fileSize : -1; // a .hdr: extensions run to the end of the file
            } else {
                regionEnd = header.voxOffset();
                if (fileSize >= 0 && regionEnd > fileSize) {
                    return rejected("nifti-malformed", "the file breaks the NIfTI format: vox_offset (byte "
                            + (header.version() == 1 ? 108 : 168) + ") points to byte " + regionEnd
                            + ", past the end of the file at byte " + fileSize);
                }
            }
            if (regionEnd >= 0 && regionEnd - header.size() > MAX_HEADER_REGION) {
                return rejected("nifti-malformed", "the file breaks the NIfTI format: " + (header.pair()
                        ? "the .hdr file runs past the " : "vox_offset leaves more than the ")
                        + MAX_HEADER_REGION + " bytes allowed for header extensions");
            }
            int want = regionEnd >= 0 ? (int) (regionEnd - header.size()) : MAX_HEADER_REGION + 1;
            byte[] region = new byte[Math.min(want, BUFFER)];
            int got = 0;
            while (got < want) {
                if (got == region.length) {
                    region = Arrays.copyOf(region, (int) Math.min(2L * region.length, want));
                }
                int asked = region.length - got;
                int r = in.read(region, got, asked);
                got += r;
                if (r < asked) {
                    break;
                }
            }
            if (header.pair() && got > MAX_HEADER_REGION) {
                return rejected("nifti-malformed", "the file breaks the NIfTI format: the .hdr file runs past the "
                        + MAX_HEADER_REGION + " bytes allowed for header extensions");
            }
            if (!header.pair() && got < want) {
                return rejected("nifti-malformed", "the file breaks the NIfTI format: vox_offset (byte "
                        + (header.version() == 1 ? 108 : 168) + ") points to byte " + header.voxOffset()
                        + ", past the end of the " + (gzip ? "inflated data" : "file") + " at byte "
                        + (header.size() + got));
            }
            List<byte[]> kept = extensions(header, region, got, counts);
            Subject subject = fromFileName(stem);
            if (subject == null) {
                return noPatient();
            }
            if (!header.pair()) {
                long available = fileSize < 0 ? Long.MAX_VALUE : fileSize - header.voxOffset();
                if (available < header.dataBytes()) {
                    return truncated(header, header.voxOffset() + available);
                }
            }
            editText(header, counts);
            int keptBytes = 0;
            for (byte[] e : kept) {
                keptBytes += e.length;
            }
            if (!header.pair()) {
                header.setVoxOffset(header.size() + 4L + keptBytes);
            }
            String name = base(subject, stem) + (header.pair() ? ".hdr" : ".nii") + (gzip ? ".gz" : "");
            try (WritableByteChannel ch = output.create(name)) {
                GZIPOutputStream gzOut = gzip ? new GZIPOutputStream(Channels.newOutputStream(ch), BUFFER) : null;
                ByteBuffer head = ByteBuffer.allocate(header.size() + 4 + keptBytes);
                head.put(header.bytes()).put(new byte[] {(byte) (kept.isEmpty() ? 0 : 1), 0, 0, 0});
                kept.forEach(head::put);
                head.flip();
                if (gzOut != null) {
                    gzOut.write(head.array(), 0, head.limit());
                } else {
                    while (head.hasRemaining()) {
                        ch.write(head);
                    }
                }
                if (!header.pair()) {
                    long copied = in.copy(header.dataBytes(), ch, gzOut);
                    if (copied < header.dataBytes()) {
                        return truncated(header, header.voxOffset() + copied);
                    }
                    if (in.more()) {
                        counts.merge("trailing-bytes-removed", 1L, Long::sum);
                    }
                }
                if (gzOut != null) {
                    gzOut.finish();
                    gzOut.flush();
                }
            }
            counts.merge("image-copied", 1L, Long::sum);
            return new Outcome.Anonymised(List.of(name), counts,
                    Set.of(store.pseudonym(PseudonymStore.PATIENT, subject.patient())));
        }
    }

    private Outcome.Rejected truncated(NiftiHeader header, long end) {
        return rejected("nifti-malformed", "the file breaks the NIfTI format: the image data ends at byte " + end
                + ", but dim and bitpix need " + header.dataBytes() + " bytes from vox_offset " + header.voxOffset()
                + " (the file is truncated)");
    }

    /** Parses the extensions after the header; returns the kept ones, padded to a multiple of 16. */
    private List<byte[]> extensions(NiftiHeader header, byte[] region, int length, Map<String, Long> counts) {
        List<byte[]> kept = new ArrayList<>();
        if (length < 4 || region[0] == 0) {
            return kept;
        }
        ByteBuffer b = ByteBuffer.wrap(region, 0, length).order(header.order());
        int pos = 4;
        while (pos + 8 <= length) {
            int esize = b.getInt(pos);
            int ecode = b.getInt(pos + 4);
            long at = header.size() + (long) pos;
            if (esize == 0 && ecode == 0) {
                break; // zero padding up to vox_offset
            }
            if (esize < 8 || (long) pos + esize > length) {
                throw new FormatException(at, "extension at byte " + at + ": esize must be at least 8 and the"
                        + " extension must end by " + (header.pair() ? "the end of the file" : "vox_offset")
                        + " (byte " + (header.size() + (long) length) + ")");
            }
            if (profile.keptExtensions().contains(ecode)) {
                int padded = (esize + 15) / 16 * 16;
                byte[] e = new byte[padded];
                System.arraycopy(region, pos, e, 0, esize);
                ByteBuffer.wrap(e).order(header.order()).putInt(0, padded);
                kept.add(e);
                counts.merge("extension-keep", 1L, Long::sum);
            } else {
                counts.merge("extension-remove", 1L, Long::sum);
            }
            pos += esize;
        }
        return kept;
    }

    private void editText(NiftiHeader header, Map<String, Long> counts) {
        for (NiftiHeader.Text text : NiftiHeader.Text.values()) {
            if (!header.has(text)) {
                continue;
            }
            NiftiProfile.HeaderRule rule = profile.header().get(text);
            if (rule != null && rule.keep()) {
                counts.merge("header-keep", 1L, Long::sum);
                continue;
            }
            String value = rule == null ? null : rule.value();
            if (value != null) {
                header.setText(text, value);
                counts.merge("header-set", 1L, Long::sum);
            } else if (header.isSet(text)) {
                header.setText(text, null);
                counts.merge("header-clear", 1L, Long::sum);
            }
        }
        header.clearUnused();
    }

    /** The image data of a .hdr/.img pair: no header to read, copied through byte for byte. */
    private Outcome pairData(Path input, String stem, boolean gzip, OutputSink output) throws IOException {
        Subject subject = fromFileName(stem);
        if (subject == null) {
            return noPatient();
        }
        String name = base(subject, stem) + ".img" + (gzip ? ".gz" : "");
        try (FileChannel in = FileChannel.open(input, StandardOpenOption.READ);
             WritableByteChannel ch = output.create(name)) {
            long size = in.size();
            long pos = 0;
            while (pos < size) {
                long t = in.transferTo(pos, size - pos, ch);
                if (t <= 0) {
                    break;
                }
                pos += t;
            }
        }
        return new Outcome.Anonymised(List.of(name), Map.of("image-copied", 1L),
                Set.of(store.pseudonym(PseudonymStore.PATIENT, subject.patient())));
    }

    // ------------------------------------------------------------------ sidecars

    private String keyLabel(String key) {
        return PLAIN_KEY.matcher(key).matches() ? "'" + key + "'" : "of " + key.length() + " characters";
    }

    private Outcome sidecar(Path input, String stem, OutputSink output) throws IOException {
        long size = Files.size(input);
        if (size > MAX_SIDECAR) {
            return rejected("nifti-sidecar-too-large", "the JSON sidecar has " + size + " bytes; at most "
                    + MAX_SIDECAR + " are accepted");
        }
        JsonNode root;
        try (JsonParser parser = json.createParser(Files.readAllBytes(input))) {
            root = json.readTree(parser);
            if (root != null && parser.nextToken() != null) {
                throw new FormatException(-1, "trailing");
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            return rejected("nifti-sidecar-not-json", "the JSON sidecar is not valid JSON"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                    + "; expected one JSON object with unique keys (a BIDS/dcm2niix sidecar)");
        } catch (FormatException e) {
            return rejected("nifti-sidecar-not-json", "the JSON sidecar holds more than one JSON value;"
                    + " expected one JSON object (a BIDS/dcm2niix sidecar)");
        }
        if (!(root instanceof ObjectNode object)) {
            return rejected("nifti-sidecar-not-json", "the JSON sidecar is not a JSON object; expected one JSON"
                    + " object of keys (a BIDS/dcm2niix sidecar)");
        }
        String where = " of profile '" + profile.name() + "' (" + profile.file().getFileName() + ")";
        Subject fromName = fromFileName(stem);
        String patient = null;
        String visit = null;
        try {
            if (profile.patientKey() != null && object.hasNonNull(profile.patientKey())) {
                patient = KeyRule.Pseudonymise.identifier(object.get(profile.patientKey()));
            }
            if (profile.visitKey() != null && object.hasNonNull(profile.visitKey())) {
                visit = KeyRule.Pseudonymise.identifier(object.get(profile.visitKey()));
            }
        } catch (KeyRule.BadValue e) {
            return rejected("nifti-sidecar-bad-value", "the sidecar's patient or visit key" + where
                    + " does not hold " + e.getMessage());
        }
        if (patient != null && !patient.isEmpty()) {
            if (fromName != null && !fromName.patient().equals(patient)) {
                return rejected("nifti-patient-mismatch", "the sidecar key '" + profile.patientKey() + "' and"
                        + " the file name give two different patients" + where + "; the image and its sidecar"
                        + " must name one patient");
            }
            if (visit == null || visit.isEmpty()) {
                visit = fromName == null ? null : fromName.visit();
            }
        } else if (fromName != null) {
            patient = fromName.patient();
            visit = visit == null || visit.isEmpty() ? fromName.visit() : visit;
        } else {
            return rejected("nifti-no-patient", "the sidecar has no patient ID" + (profile.patientKey() == null
                    ? "" : " under key '" + profile.patientKey() + "'") + " and its file name does not match the"
                    + " subject file-name pattern" + where);
        }
        Subject subject = new Subject(patient, visit == null || visit.isEmpty() ? null : visit);
        ObjectNode out = json.createObjectNode();
        Map<String, Long> counts = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            KeyRule rule = profile.keys().get(e.getKey());
            if (rule == null) {
                if (!profile.removeUnknown()) {
                    return rejected("nifti-sidecar-unknown-key", "sidecar key " + keyLabel(e.getKey())
                            + " has no rule" + where + ", which rejects unknown keys; add a rule for it"
                            + " (keep, remove, ...) or set unknown-keys: remove");
                }
                counts.merge("remove-unknown", 1L, Long::sum);
                continue;
            }
            JsonNode value;
            try {
                value = e.getValue().isNull() ? (rule instanceof KeyRule.Remove ? null : e.getValue())
                        : rule.apply(e.getValue());
            } catch (KeyRule.BadValue bad) {
                return rejected("nifti-sidecar-bad-value", "sidecar key " + keyLabel(e.getKey()) + " (rule "
                        + rule.kind() + where + "): expected " + bad.getMessage());
            }
            counts.merge(rule.kind(), 1L, Long::sum);
            if (value != null) {
                out.set(e.getKey(), value);
            }
        }
        String name = base(subject, stem) + ".json";
        byte[] bytes = json.writeValueAsBytes(out);
        try (WritableByteChannel ch = output.create(name)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
        return new Outcome.Anonymised(List.of(name), counts,
                Set.of(store.pseudonym(PseudonymStore.PATIENT, subject.patient())));
    }
}
