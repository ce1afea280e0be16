package eu.hbp.mip.anonymiser.dicom.profile;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * A file of pixel blanking rules ({@code scripts/dicom/pixel-rules.yaml}), bound strictly by
 * field (optional keys may be absent); never changed after binding.
 */
public final class PixelRulesFile {

    /** The rules, tried in order; the first that matches an image applies. */
    @JsonProperty("rules")
    private List<Rule> rules;

    private PixelRulesFile() {
    }

    public List<Rule> rules() {
        return rules == null ? List.of() : rules;
    }

    /** One device rule. */
    public static final class Rule {
        /** A name for reports and rejection reasons (required). */
        @JsonProperty("name")
        private String name;
        /** A regular expression the whole Manufacturer (0008,0070) must match; absent matches any. */
        @JsonProperty("manufacturer")
        private String manufacturer;
        /** A regular expression the whole ManufacturerModelName (0008,1090) must match; absent matches any. */
        @JsonProperty("model")
        private String model;
        /** The Rows the image must have; absent matches any. */
        @JsonProperty("rows")
        private Integer rows;
        /** The Columns the image must have; absent matches any. */
        @JsonProperty("columns")
        private Integer columns;
        /** The regions to blank; may be empty (a device known to burn in nothing). */
        @JsonProperty("rectangles")
        private List<Rectangle> rectangles;

        private Rule() {
        }

        public String name() {
            return name;
        }

        public String manufacturer() {
            return manufacturer;
        }

        public String model() {
            return model;
        }

        public Integer rows() {
            return rows;
        }

        public Integer columns() {
            return columns;
        }

        public List<Rectangle> rectangles() {
            return rectangles == null ? List.of() : rectangles;
        }
    }

    /**
     * A region in pixels: from column {@code x}, row {@code y}, {@code width} by {@code height}
     * (clipped to the image). All four are required.
     */
    public record Rectangle(
            @JsonProperty(value = "x", required = true) int x,
            @JsonProperty(value = "y", required = true) int y,
            @JsonProperty(value = "width", required = true) int width,
            @JsonProperty(value = "height", required = true) int height) {
    }
}
