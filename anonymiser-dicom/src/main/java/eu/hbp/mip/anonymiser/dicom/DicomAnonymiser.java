package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.Bucket;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.OutputSink;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.dicom.codec.DataSet;
import eu.hbp.mip.anonymiser.dicom.codec.DicomFile;
import eu.hbp.mip.anonymiser.dicom.codec.DicomFormatException;
import eu.hbp.mip.anonymiser.dicom.codec.DicomReader;
import eu.hbp.mip.anonymiser.dicom.codec.DicomWriter;
import eu.hbp.mip.anonymiser.dicom.codec.ReadLimits;
import eu.hbp.mip.anonymiser.dicom.codec.Tag;
import eu.hbp.mip.anonymiser.dicom.codec.VR;
import eu.hbp.mip.anonymiser.dicom.codec.Value;
import eu.hbp.mip.anonymiser.dicom.profile.DicomProfile;
import eu.hbp.mip.anonymiser.dicom.profile.PixelRule;
import eu.hbp.mip.anonymiser.dicom.profile.Ps315Option;
import eu.hbp.mip.anonymiser.dicom.profile.Ps315Table;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The DICOM anonymiser: reads one file with the codec, applies the safety gates, de-identifies
 * the data set by its {@link DicomProfile}, writes the de-identification record, blanks pixel
 * regions when a pixel rule applies, and writes one output named by {@link OutputNames}.
 *
 * <p>After the profile, the header-seeded free-text net ({@link FreeTextNet}) searches every kept
 * text value for the file's own patient values read before anonymisation ({@link HeaderSeeds}):
 * hits are replaced by a marker and counted ({@code free-text-net}), or the file is rejected
 * ({@code dicom-phi-in-text}) when the profile says {@code free-text: reject}.
 *
 * <p>Ages of 90 and over are written {@code 090Y} and a kept birth year is never earlier than the
 * study year minus 90 ({@link AgeCap}, HIPAA Safe Harbor), counted {@code age-90-cap}.
 *
 * <p>The burned-in text check ({@link BurnedInTextCheck}, OCR with Tesseract) reads, frame by
 * frame, the images the profile's {@code ocr} policy names (by default US, SC, XA, OT, DX, CR, ES
 * and every SECONDARY image) when their pixels can be decoded: words inside the rectangles of
 * the pixel rule that blanks the image are blanked with it ({@code ocr-text-blanked}); any other
 * word rejects the file ({@code dicom-burned-in-text}) with the boxes' coordinates, never the
 * text. An image it cannot decode (compressed, palette, 32-bit) is counted {@code ocr-not-decodable}.
 *
 * <p>Rejection codes (bucket {@code dicom}): {@code dicom-malformed}, {@code dicom-missing-patient-id},
 * {@code consent-withdrawn}, {@code dicom-secondary-image}, {@code dicom-burned-in-annotation},
 * {@code dicom-unknown-device}, {@code dicom-compressed-pixels}, {@code dicom-burned-in-text}, {@code dicom-phi-in-text}. Reasons
 * name tags and rules, never values. Thread-safe: all state is per call.
 */
final class DicomAnonymiser implements Anonymiser {

    static final int PATIENT_ID = 0x00100020;
    static final int IMAGE_TYPE = 0x00080008;
    static final int STUDY_UID = 0x0020000D;
    static final int SERIES_UID = 0x0020000E;
    static final int SERIES_NUMBER = 0x00200011;
    static final int INSTANCE_NUMBER = 0x00200013;
    static final int IMAGE_POSITION = 0x00200032;
    static final int IMAGE_ORIENTATION = 0x00200037;
    static final int MANUFACTURER = 0x00080070;
    static final int MODALITY = 0x00080060;
    static final int MODEL = 0x00081090;
    static final int BURNED_IN = 0x00280301;
    static final int PATIENT_IDENTITY_REMOVED = 0x00120062;
    static final int DEIDENTIFICATION_METHOD = 0x00120063;
    static final int DEIDENTIFICATION_METHOD_CODES = 0x00120064;

    /** The run option that admits images other than the profile's admitted image types. */
    static final String ADMIT_SECONDARY = "dicom.admit-secondary";

    private final DicomProfile profile;
    private final Ps315Table table;
    private final AnonymiserContext context;
    private final ReadLimits limits = ReadLimits.defaults();
    private final BurnedInTextCheck ocr;

    /**
     * @param ocr the burned-in text check, or null when the run or the profile switches it off
     */
    DicomAnonymiser(DicomProfile profile, Ps315Table table, AnonymiserContext context, BurnedInTextCheck ocr) {
        this.profile = profile;
        this.table = table;
        this.context = context;
        this.ocr = ocr;
    }

    @Override
    public Outcome anonymise(Path input, OutputSink output) throws IOException {
        DicomFile file;
        try {
            file = DicomReader.read(input, limits);
        } catch (DicomFormatException e) {
            return reject("dicom-malformed", "not a DICOM file this anonymiser can read: " + e.getMessage());
        }
        try (file) {
            return anonymise(file, output);
        }
    }

    private Outcome anonymise(DicomFile file, OutputSink output) throws IOException {
        DataSet ds = file.dataSet();
        PseudonymStore store = context.store();
        String patientId = ds.string(PATIENT_ID).orElse("");
        if (patientId.isEmpty()) {
            return reject("dicom-missing-patient-id", "PatientID (0010,0020) is absent or empty;"
                    + " every released image must be linked to a patient");
        }
        List<String> imageType = ds.strings(IMAGE_TYPE);
        String type = imageType.size() >= 2 ? imageType.get(0) + "\\" + imageType.get(1) : String.join("\\", imageType);
        if (!profile.admitImageTypes().contains(type) && !context.flag(ADMIT_SECONDARY)) {
            return reject("dicom-secondary-image", "ImageType (0008,0008) is " + (type.isEmpty() ? "absent" : type)
                    + ", profile '" + profile.name() + "' admits " + profile.admitImageTypes()
                    + "; run the explicit second step with option " + ADMIT_SECONDARY + "=true to admit it");
        }
        PixelRule rule = null;
        boolean hasPixels = ds.contains(Tag.PIXEL_DATA);
        if (profile.pixelBlanking() && hasPixels) {
            String manufacturer = ds.string(MANUFACTURER).orElse("");
            String model = ds.string(MODEL).orElse("");
            int rows = intOf(ds, Tag.ROWS);
            int cols = intOf(ds, Tag.COLUMNS);
            for (PixelRule r : profile.pixelRules()) {
                if (r.matches(manufacturer, model, rows, cols)) {
                    rule = r;
                    break;
                }
            }
            if (rule == null) {
                HeaderSeeds patientValues = HeaderSeeds.of(ds);
                return reject("dicom-unknown-device", "no pixel rule of profile '" + profile.name()
                        + "' matches this device: Manufacturer (0008,0070) " + deviceFact(manufacturer, patientValues)
                        + ", ManufacturerModelName (0008,1090) " + deviceFact(model, patientValues)
                        + ", Rows x Columns (0028,0010)x(0028,0011) " + rows + "x" + cols
                        + "; add a rule for it to the pixel rules, such as {name: <device>, manufacturer: "
                        + yamlRegex(manufacturer, patientValues) + ", model: " + yamlRegex(model, patientValues)
                        + ", rows: " + rows + ", columns: " + cols + ", rectangles: [{x: .., y: .., width: .., height: ..}]}"
                        + " listing the regions where this device burns in text (rectangles: [] if it burns in none)");
            }
        }
        if ("YES".equals(ds.string(BURNED_IN).orElse("")) && (rule == null || rule.rectangles().isEmpty())) {
            return reject("dicom-burned-in-annotation", "BurnedInAnnotation (0028,0301) is YES and "
                    + (rule != null ? "pixel rule '" + rule.name() + "' blanks no region"
                    : "the pixel profile of '" + profile.name() + "' is off")
                    + "; switch pixel.blank on with a rule listing the regions to blank for this device");
        }
        boolean blank = rule != null && !rule.rectangles().isEmpty();
        if (blank && ds.get(Tag.PIXEL_DATA).map(e -> e.value() instanceof Value.Fragments).orElse(false)) {
            return reject("dicom-compressed-pixels", "pixel rule '" + rule.name() + "' must blank regions but the"
                    + " pixel data (7FE0,0010) is compressed (transfer syntax " + file.transferSyntax().uid()
                    + "); decompress it first (dcmdjpeg)");
        }

        long ocrCovered = 0;
        boolean ocrSkipped = false;
        if (ocr != null && hasPixels && profile.ocr().applies(ds.string(MODALITY).orElse(""), imageType)) {
            BurnedInTextCheck.Result found = ocr.check(file, blank ? rule : null);
            if (!found.uncovered().isEmpty()) {
                HeaderSeeds patientValues = HeaderSeeds.of(ds);
                List<String> boxes = found.uncovered();
                String listed = String.join("; ", boxes.subList(0, Math.min(10, boxes.size())))
                        + (boxes.size() > 10 ? "; and " + (boxes.size() - 10) + " more" : "");
                return reject("dicom-burned-in-text", "OCR finds text burned into the pixels "
                        + (blank ? "outside the regions pixel rule '" + rule.name() + "' blanks"
                        : "and no pixel rule of profile '" + profile.name() + "' blanks this image")
                        + ": " + listed + " (pixels from the top-left corner); device: Manufacturer (0008,0070) "
                        + deviceFact(ds.string(MANUFACTURER).orElse(""), patientValues)
                        + ", ManufacturerModelName (0008,1090) " + deviceFact(ds.string(MODEL).orElse(""), patientValues)
                        + ", Rows x Columns " + intOf(ds, Tag.ROWS) + "x" + intOf(ds, Tag.COLUMNS)
                        + "; add rectangles covering these boxes to a pixel rule for this device (pixel: {blank: true})"
                        + " or check the image by hand");
            }
            ocrCovered = found.covered();
            ocrSkipped = !found.decodable();
        }

        String studyUid = ds.string(STUDY_UID).orElse("");
        String name = OutputNames.name(LocalDate.ofInstant(context.clock().instant(), ZoneOffset.UTC), store,
                patientId, studyUid, ds.string(SERIES_NUMBER).orElse(""), ds.string(SERIES_UID).orElse(""),
                ds.string(INSTANCE_NUMBER).orElse(""), ds.strings(IMAGE_POSITION), ds.strings(IMAGE_ORIENTATION),
                ds.string(Tag.SOP_INSTANCE_UID).orElse(""));
        String subject = store.pseudonym(PseudonymStore.PATIENT, patientId);

        HeaderSeeds seeds = HeaderSeeds.of(ds);
        int studyYear = AgeCap.studyYear(ds).orElse(LocalDate.ofInstant(context.clock().instant(), ZoneOffset.UTC).getYear());
        ElementEditor editor = new ElementEditor(profile, store, patientId);
        editor.apply(ds);
        long agesCapped = AgeCap.apply(ds, studyYear);
        FreeTextNet net = new FreeTextNet(seeds);
        if (profile.freeText() == DicomProfile.FreeText.REJECT) {
            Set<FreeTextNet.Finding> findings = net.findings(ds);
            if (!findings.isEmpty()) {
                return reject("dicom-phi-in-text", "free-text net of profile '" + profile.name()
                        + "' (free-text: reject): kept text holds a patient value of this file's header in "
                        + describe(findings) + "; remove or empty these elements in the profile,"
                        + " or set free-text: replace to replace the hits with " + FreeTextNet.MARKER);
            }
        } else {
            net.replace(ds);
        }
        writeRecord(ds, blank);
        cleanMeta(file.meta());

        DicomWriter writer = blank ? new DicomWriter().withPixelDataFilter(new PixelBlanker(rule)) : new DicomWriter();
        try (WritableByteChannel channel = output.create(name)) {
            writer.write(file, channel);
        }
        Map<String, Long> counts = new LinkedHashMap<>(editor.counts());
        if (blank) {
            counts.put("pixel-blank", 1L);
        }
        if (ocrCovered > 0) {
            counts.put("ocr-text-blanked", ocrCovered);
        }
        if (ocrSkipped) {
            counts.put("ocr-not-decodable", 1L);
        }
        if (agesCapped > 0) {
            counts.put("age-90-cap", agesCapped);
        }
        if (net.hits() > 0) {
            counts.put("free-text-net", net.hits());
        }
        return new Outcome.Anonymised(List.of(name), counts, Set.of(subject));
    }

    /**
     * The dry run: the gates that would reject the file, one line per element with its action and
     * rule, where the free-text net would fire (by element) and whether the burned-in text check
     * would read the image (OCR is not run). Reads the file into memory and edits only that copy,
     * with a store that looks pseudonyms up and creates none ({@link DryRunStore}).
     *
     * @throws DicomFormatException if the file is not DICOM this anonymiser can read
     */
    @Override
    public boolean explain(Path input, Consumer<String> out, boolean showValues) throws IOException {
        try (DicomFile file = DicomReader.read(input, limits)) {
            DataSet ds = file.dataSet();
            out.accept("profile '" + profile.name() + "'" + (profile.ps315() ? ", base " + DicomProfile.BASE_PS315
                    + (profile.options().isEmpty() ? "" : " with options " + profile.options()) : "")
                    + ", transfer syntax " + file.transferSyntax().uid());
            List<String> gates = gates(file);
            for (String g : gates) {
                out.accept("gate " + g);
            }
            out.accept(ds.size() + " elements at the top level; each with its action and [the rule that decides it]:");
            DicomExplain.elements(profile, ds, "  ", out, showValues);

            String patientId = ds.string(PATIENT_ID).orElse("");
            HeaderSeeds seeds = HeaderSeeds.of(ds);
            int studyYear = AgeCap.studyYear(ds).orElse(LocalDate.ofInstant(context.clock().instant(),
                    ZoneOffset.UTC).getYear());
            new ElementEditor(profile, new DryRunStore(context.store()), patientId).apply(ds);
            long capped = AgeCap.apply(ds, studyYear);
            if (capped > 0) {
                out.accept("age cap: " + capped + " age or birth date would be capped at 90 years (age-90-cap)");
            }
            Set<FreeTextNet.Finding> findings = new FreeTextNet(seeds).findings(ds);
            if (findings.isEmpty()) {
                out.accept("free-text net: no kept text holds a patient value of this file's header");
            } else {
                boolean reject = profile.freeText() == DicomProfile.FreeText.REJECT;
                out.accept("free-text net (free-text: " + profile.freeText().name().toLowerCase(java.util.Locale.ROOT)
                        + ") would " + (reject ? "reject the file (dicom-phi-in-text)" : "replace hits with "
                        + FreeTextNet.MARKER) + " in: " + describe(findings));
            }
            boolean hasPixels = file.dataSet().contains(Tag.PIXEL_DATA);
            String modality = ds.string(MODALITY).orElse("");
            if (!hasPixels) {
                out.accept("burned-in text check: no pixel data");
            } else if (ocr == null) {
                out.accept("burned-in text check: off (the ocr policy of profile '" + profile.name()
                        + "' reads no image, or option dicom.ocr=off)");
            } else if (profile.ocr().applies(modality, ds.strings(IMAGE_TYPE))) {
                out.accept("burned-in text check: would read this image (Modality (0008,0060) " + modality
                        + " or a SECONDARY ImageType is in the ocr policy); not run in explain");
            } else {
                out.accept("burned-in text check: would not read this image (Modality (0008,0060) "
                        + (modality.isEmpty() ? "absent" : modality) + " is not in the ocr policy)");
            }
            out.accept(gates.isEmpty() ? "no gate rejects the file: it would be anonymised"
                    : "it would be rejected (" + gates.get(0).substring(0, gates.get(0).indexOf(':')) + ")");
        }
        return true;
    }

    /** @return the gates that would reject the file, as "code: reason", in the order anonymise tries them */
    private List<String> gates(DicomFile file) {
        DataSet ds = file.dataSet();
        List<String> out = new ArrayList<>();
        if (ds.string(PATIENT_ID).orElse("").isEmpty()) {
            out.add("dicom-missing-patient-id: PatientID (0010,0020) is absent or empty");
        }
        List<String> imageType = ds.strings(IMAGE_TYPE);
        String type = imageType.size() >= 2 ? imageType.get(0) + "\\" + imageType.get(1) : String.join("\\", imageType);
        if (!profile.admitImageTypes().contains(type) && !context.flag(ADMIT_SECONDARY)) {
            out.add("dicom-secondary-image: ImageType (0008,0008) is " + (type.isEmpty() ? "absent" : type)
                    + ", profile '" + profile.name() + "' admits " + profile.admitImageTypes());
        }
        PixelRule rule = null;
        boolean hasPixels = ds.contains(Tag.PIXEL_DATA);
        if (profile.pixelBlanking() && hasPixels) {
            String manufacturer = ds.string(MANUFACTURER).orElse("");
            String model = ds.string(MODEL).orElse("");
            int rows = intOf(ds, Tag.ROWS);
            int cols = intOf(ds, Tag.COLUMNS);
            for (PixelRule r : profile.pixelRules()) {
                if (r.matches(manufacturer, model, rows, cols)) {
                    rule = r;
                    break;
                }
            }
            if (rule == null) {
                out.add("dicom-unknown-device: no pixel rule of profile '" + profile.name() + "' matches"
                        + " Manufacturer (0008,0070), ManufacturerModelName (0008,1090) and Rows x Columns "
                        + rows + "x" + cols);
            }
        }
        if ("YES".equals(ds.string(BURNED_IN).orElse("")) && (rule == null || rule.rectangles().isEmpty())) {
            out.add("dicom-burned-in-annotation: BurnedInAnnotation (0028,0301) is YES and "
                    + (rule != null ? "pixel rule '" + rule.name() + "' blanks no region" : "pixel blanking is off"));
        }
        boolean blank = rule != null && !rule.rectangles().isEmpty();
        if (blank && ds.get(Tag.PIXEL_DATA).map(e -> e.value() instanceof Value.Fragments).orElse(false)) {
            out.add("dicom-compressed-pixels: pixel rule '" + rule.name() + "' must blank regions but the pixel"
                    + " data is compressed");
        }
        return out;
    }

    /** PatientIdentityRemoved, DeidentificationMethod and its code sequence (CID 7050). */
    private void writeRecord(DataSet ds, boolean blanked) {
        ds.putString(PATIENT_IDENTITY_REMOVED, VR.CS, "YES");
        List<String[]> codes = new ArrayList<>();
        if (profile.meetsBasicProfile(table)) {
            codes.add(new String[] {"113100", "Basic Application Confidentiality Profile"});
        }
        if (blanked) {
            codes.add(new String[] {"113101", "Clean Pixel Data Option"});
        }
        for (Ps315Option o : profile.impliedOptions(table)) {
            codes.add(new String[] {o.code(), o.meaning()});
        }
        List<String> method = new ArrayList<>();
        method.add("MIP Anonymiser profile " + profile.name());
        for (String[] c : codes) {
            method.add(c[1].length() > 64 ? c[1].substring(0, 64) : c[1]);
        }
        ds.putString(DEIDENTIFICATION_METHOD, VR.LO, method.toArray(String[]::new));
        ds.remove(DEIDENTIFICATION_METHOD_CODES);
        for (String[] c : codes) {
            DataSet item = ds.addItem(DEIDENTIFICATION_METHOD_CODES);
            item.putString(0x00080100, VR.SH, c[0]);
            item.putString(0x00080102, VR.SH, "DCM");
            item.putString(0x00080104, VR.LO, c[1]);
        }
    }

    /** Drops the meta elements that may name a sending station; the writer fills in the rest. */
    private static void cleanMeta(DataSet meta) {
        meta.remove(0x00020016);   // SourceApplicationEntityTitle
        meta.remove(0x00020017);   // SendingApplicationEntityTitle
        meta.remove(0x00020018);   // ReceivingApplicationEntityTitle
        meta.remove(0x00020026);   // Source Presentation Address
        meta.remove(0x00020027);   // Sending Presentation Address
        meta.remove(0x00020028);   // Receiving Presentation Address
        meta.remove(0x00020100);   // PrivateInformationCreatorUID
        meta.remove(0x00020102);   // PrivateInformation
    }

    /**
     * A device fact (Manufacturer, model) for a reason: quoted, printable ASCII only, at most 64
     * characters; withheld when it holds one of the file's patient values (a mis-filled header).
     */
    static String deviceFact(String value, HeaderSeeds patientValues) {
        if (value.isEmpty()) {
            return "(absent)";
        }
        if (holdsPatientValue(value, patientValues)) {
            return "(withheld: it holds a patient value of this file)";
        }
        return "'" + printable(value) + "'";
    }

    private static String yamlRegex(String value, HeaderSeeds patientValues) {
        if (value.isEmpty() || holdsPatientValue(value, patientValues)) {
            return "'.*'";
        }
        StringBuilder sb = new StringBuilder("'");
        for (char c : printable(value).toCharArray()) {
            if ("\\.[]{}()*+?^$|".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c == '\'' ? "''" : String.valueOf(c));
        }
        return sb.append('\'').toString();
    }

    private static boolean holdsPatientValue(String value, HeaderSeeds patientValues) {
        for (HeaderSeeds.Seed seed : patientValues.seeds()) {
            if (seed.pattern().matcher(value).find()) {
                return true;
            }
        }
        return false;
    }

    private static String printable(String value) {
        StringBuilder sb = new StringBuilder();
        for (char c : value.toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return sb.length() <= 64 ? sb.toString() : sb.substring(0, 64);
    }

    private static String describe(Set<FreeTextNet.Finding> findings) {
        List<String> parts = new ArrayList<>();
        for (FreeTextNet.Finding f : findings) {
            if (parts.size() == 8) {
                parts.add("and " + (findings.size() - 8) + " more");
                break;
            }
            parts.add(f.toString());
        }
        return String.join(", ", parts);
    }

    private static int intOf(DataSet ds, int tag) {
        try {
            return ds.integer(tag).orElse(0);
        } catch (DicomFormatException e) {
            return 0;
        }
    }

    private static Outcome.Rejected reject(String code, String reason) {
        return new Outcome.Rejected(code, reason, DicomAnonymiserProvider.BUCKET);
    }
}
