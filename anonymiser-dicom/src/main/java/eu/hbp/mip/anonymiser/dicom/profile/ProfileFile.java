package eu.hbp.mip.anonymiser.dicom.profile;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * A DICOM tag profile as written in YAML ({@code scripts/dicom/<name>.yaml}), bound strictly
 * by {@code ProfileFiles}; {@link DicomProfile#compile} checks it beyond types. The format is
 * documented in {@code docs/dicom-profiles.md}.
 *
 * @param base {@code none} or {@code ps3.15-basic}; absent means {@code none}
 * @param options PS3.15 options by name, only with {@code base: ps3.15-basic}
 * @param removeUnspecified whether an element no rule and no table names is removed
 * @param removePrivateGroups whether private elements no rule keeps are removed
 * @param removeCurves whether curve groups (50xx) no rule keeps are removed
 * @param removeOverlays whether overlay groups (60xx) no rule keeps are removed
 * @param admitImageTypes the ImageType values (first two, {@code \}-joined) admitted
 *        without {@code dicom.admit-secondary}; absent means {@code ORIGINAL\PRIMARY}
 * @param pixel the pixel profile; absent means off
 * @param rules the element rules, applied by exact tag first, then by range in file order
 */
public record ProfileFile(
        @JsonProperty("base") String base,
        @JsonProperty("options") List<String> options,
        @JsonProperty("remove-unspecified") Boolean removeUnspecified,
        @JsonProperty("remove-private-groups") Boolean removePrivateGroups,
        @JsonProperty("remove-curves") Boolean removeCurves,
        @JsonProperty("remove-overlays") Boolean removeOverlays,
        @JsonProperty("admit-image-types") List<String> admitImageTypes,
        @JsonProperty("pixel") Pixel pixel,
        @JsonProperty("rules") List<Rule> rules) {

    /**
     * One rule: an action for a list of tags.
     *
     * @param tags keywords ({@code PatientID}), tags ({@code (0010,0020)}) or ranges with
     *        {@code x} for any hex digit ({@code (0028,xxxx)}, {@code (60xx,0022)})
     * @param action keep, remove, empty, dummy, pseudonymise, uid, date, replace
     * @param domain the pseudonym domain, for {@code pseudonymise}
     * @param reduce {@code year} or {@code month}, for {@code date}
     * @param shift {@code true} to shift by the patient's day shift, for {@code date}
     * @param value the new value, for {@code replace}
     */
    public record Rule(
            @JsonProperty(value = "tags", required = true) List<String> tags,
            @JsonProperty(value = "action", required = true) String action,
            @JsonProperty("domain") String domain,
            @JsonProperty("reduce") String reduce,
            @JsonProperty("shift") Boolean shift,
            @JsonProperty("value") String value) {
    }

    /**
     * The pixel profile.
     *
     * @param blank whether burned-in text is blanked (and images from devices no rule matches rejected)
     * @param rules pixel rule files in the same folder, such as {@code pixel-rules.yaml}
     */
    public record Pixel(
            @JsonProperty(value = "blank", required = true) boolean blank,
            @JsonProperty("rules") List<String> rules) {
    }
}
