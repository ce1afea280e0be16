package eu.hbp.mip.anonymiser.dicom.profile;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * A file of pixel blanking rules ({@code scripts/dicom/pixel-rules.yaml}), bound strictly.
 *
 * @param rules the rules, tried in order; the first that matches an image applies
 */
public record PixelRulesFile(@JsonProperty(value = "rules", required = true) List<Rule> rules) {

    /**
     * One device rule.
     *
     * @param name a name for reports and rejection reasons
     * @param manufacturer a regular expression the whole Manufacturer (0008,0070) must match; absent matches any
     * @param model a regular expression the whole ManufacturerModelName (0008,1090) must match; absent matches any
     * @param rows the Rows the image must have; absent matches any
     * @param columns the Columns the image must have; absent matches any
     * @param rectangles the regions to blank; may be empty (a device known to burn in nothing)
     */
    public record Rule(
            @JsonProperty(value = "name", required = true) String name,
            @JsonProperty("manufacturer") String manufacturer,
            @JsonProperty("model") String model,
            @JsonProperty("rows") Integer rows,
            @JsonProperty("columns") Integer columns,
            @JsonProperty(value = "rectangles", required = true) List<Rectangle> rectangles) {
    }

    /**
     * A region in pixels: from column {@code x}, row {@code y}, {@code width} by {@code height}
     * (clipped to the image).
     */
    public record Rectangle(
            @JsonProperty(value = "x", required = true) int x,
            @JsonProperty(value = "y", required = true) int y,
            @JsonProperty(value = "width", required = true) int width,
            @JsonProperty(value = "height", required = true) int height) {
    }
}
