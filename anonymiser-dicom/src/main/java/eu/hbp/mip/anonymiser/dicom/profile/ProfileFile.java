package eu.hbp.mip.anonymiser.dicom.profile;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * A DICOM tag profile as written in YAML ({@code scripts/dicom/<name>.yaml}), bound strictly
 * by {@code ProfileFiles} (unknown keys and wrong types fail with file:line:col); optional keys
 * may be left out, and {@link DicomProfile#compile} checks the rest. The format is documented in
 * {@code docs/dicom-profiles.md}. Bound by field so that optional keys may be absent; never
 * changed after binding.
 */
public final class ProfileFile {

    /** {@code none} or {@code ps3.15-basic}; absent means {@code none}. */
    @JsonProperty("base")
    private String base;
    /** PS3.15 options by name, only with {@code base: ps3.15-basic}. */
    @JsonProperty("options")
    private List<String> options;
    /** Whether an element no rule and no table names is removed. */
    @JsonProperty("remove-unspecified")
    private Boolean removeUnspecified;
    /** Whether private elements no rule keeps are removed. */
    @JsonProperty("remove-private-groups")
    private Boolean removePrivateGroups;
    /** Whether curve groups (50xx) no rule keeps are removed. */
    @JsonProperty("remove-curves")
    private Boolean removeCurves;
    /** Whether overlay groups (60xx) no rule keeps are removed. */
    @JsonProperty("remove-overlays")
    private Boolean removeOverlays;
    /** ImageType values (first two, joined with a backslash) admitted; absent means ORIGINAL\PRIMARY. */
    @JsonProperty("admit-image-types")
    private List<String> admitImageTypes;
    /** What the header-seeded free-text net does with a hit: replace (default) or reject. */
    @JsonProperty("free-text")
    private String freeText;
    /** The pixel profile; absent means off. */
    @JsonProperty("pixel")
    private Pixel pixel;
    /** Which images the burned-in text check (OCR) reads; absent means the defaults of {@link OcrPolicy}. */
    @JsonProperty("ocr")
    private Ocr ocr;
    /** The element rules. */
    @JsonProperty("rules")
    private List<Rule> rules;

    private ProfileFile() {
    }

    public String base() {
        return base;
    }

    public List<String> options() {
        return options;
    }

    public Boolean removeUnspecified() {
        return removeUnspecified;
    }

    public Boolean removePrivateGroups() {
        return removePrivateGroups;
    }

    public Boolean removeCurves() {
        return removeCurves;
    }

    public Boolean removeOverlays() {
        return removeOverlays;
    }

    public List<String> admitImageTypes() {
        return admitImageTypes;
    }

    public String freeText() {
        return freeText;
    }

    public Pixel pixel() {
        return pixel;
    }

    public List<Rule> rules() {
        return rules;
    }

    public Ocr ocr() {
        return ocr;
    }

    /** The burned-in text check's policy. */
    public static final class Ocr {
        /** The Modality values read; absent means {@link OcrPolicy#DEFAULT_MODALITIES}; [] none. */
        @JsonProperty("modalities")
        private List<String> modalities;
        /** Whether every SECONDARY image is read; absent means true. */
        @JsonProperty("secondary")
        private Boolean secondary;

        private Ocr() {
        }

        public List<String> modalities() {
            return modalities;
        }

        public Boolean secondary() {
            return secondary;
        }
    }

    /** One rule: an action for a list of tags (see docs/dicom-profiles.md). */
    public static final class Rule {
        /** Keywords, tags ((0010,0020)) or ranges with x ((60xx,0022)). */
        @JsonProperty("tags")
        private List<String> tags;
        /** keep, remove, empty, dummy, pseudonymise, uid, date, replace. */
        @JsonProperty("action")
        private String action;
        /** The pseudonym domain, for pseudonymise. */
        @JsonProperty("domain")
        private String domain;
        /** year or month, for date. */
        @JsonProperty("reduce")
        private String reduce;
        /** true to shift by the patient's day shift, for date. */
        @JsonProperty("shift")
        private Boolean shift;
        /** The new value, for replace. */
        @JsonProperty("value")
        private String value;

        private Rule() {
        }

        Rule(List<String> tags, String action, String domain, String reduce, Boolean shift, String value) {
            this.tags = tags;
            this.action = action;
            this.domain = domain;
            this.reduce = reduce;
            this.shift = shift;
            this.value = value;
        }

        public List<String> tags() {
            return tags;
        }

        public String action() {
            return action;
        }

        public String domain() {
            return domain;
        }

        public String reduce() {
            return reduce;
        }

        public Boolean shift() {
            return shift;
        }

        public String value() {
            return value;
        }
    }

    /** The pixel profile. */
    public static final class Pixel {
        /** Whether burned-in text is blanked (and images no rule matches are rejected). */
        @JsonProperty("blank")
        private boolean blank;
        /** Pixel rule files in the same folder. */
        @JsonProperty("rules")
        private List<String> rules;

        private Pixel() {
        }

        public boolean blank() {
            return blank;
        }

        public List<String> rules() {
            return rules;
        }
    }
}
