package eu.hbp.mip.anonymiser.dicom.profile;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which images the burned-in text check (OCR) reads, from the profile key {@code ocr}: the
 * Modality (0008,0060) values it reads, and whether it reads every SECONDARY image (ImageType
 * (0008,0008) value 2) whatever its modality. Default: {@link #DEFAULT_MODALITIES} and every
 * SECONDARY image; ORIGINAL MR and CT images are not read. Immutable.
 *
 * @param modalities the modalities read, upper case
 * @param secondary whether every SECONDARY image is read
 */
public record OcrPolicy(Set<String> modalities, boolean secondary) {

    /** The modalities whose devices are known to burn text into the pixels. */
    public static final Set<String> DEFAULT_MODALITIES = Set.of("US", "SC", "XA", "OT", "DX", "CR", "ES");

    public OcrPolicy {
        modalities = Set.copyOf(modalities);
    }

    /** @return the default policy */
    public static OcrPolicy defaults() {
        return new OcrPolicy(DEFAULT_MODALITIES, true);
    }

    static OcrPolicy of(ProfileFile.Ocr ocr) {
        if (ocr == null) {
            return defaults();
        }
        Set<String> m = new TreeSet<>();
        for (String s : ocr.modalities() == null ? DEFAULT_MODALITIES : ocr.modalities()) {
            m.add(s.strip().toUpperCase(Locale.ROOT));
        }
        return new OcrPolicy(m, ocr.secondary() == null || ocr.secondary());
    }

    /** @return whether the check reads no image at all */
    public boolean off() {
        return modalities.isEmpty() && !secondary;
    }

    /**
     * @param modality the image's Modality, or empty
     * @param imageType the image's ImageType values
     * @return whether the check reads this image
     */
    public boolean applies(String modality, List<String> imageType) {
        return modalities.contains(modality.strip().toUpperCase(Locale.ROOT))
                || (secondary && imageType.size() >= 2 && imageType.get(1).strip().equalsIgnoreCase("SECONDARY"));
    }
}
