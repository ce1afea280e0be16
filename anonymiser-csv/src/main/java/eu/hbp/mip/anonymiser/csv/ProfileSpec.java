package eu.hbp.mip.anonymiser.csv;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The YAML shape of a CSV profile, as bound by {@code ProfileFiles} (unknown keys fail).
 * Only a carrier: {@link CsvProfile#load} validates it and compiles it into the
 * immutable {@link CsvProfile} the anonymiser uses. Fields stay null when a key is absent.
 */
final class ProfileSpec {

    @JsonProperty("name")
    String name;
    @JsonProperty("table")
    String table;
    @JsonProperty("description")
    String description;
    @JsonProperty("match")
    MatchSpec match;
    @JsonProperty("dialect")
    DialectSpec dialect;
    @JsonProperty("patient")
    String patient;
    @JsonProperty("unknown-columns")
    String unknownColumns;
    @JsonProperty("columns")
    LinkedHashMap<String, ColumnSpec> columns;

    /** {@code match:}: how a file is recognised as this profile's, besides its header. */
    static final class MatchSpec {
        @JsonProperty("file-name")
        String fileName;
    }

    /** {@code dialect:}: how the file is written. */
    static final class DialectSpec {
        @JsonProperty("separator")
        String separator;
        @JsonProperty("quote")
        String quote;
        @JsonProperty("encoding")
        String encoding;
        @JsonProperty("null-markers")
        List<String> nullMarkers;
        @JsonProperty("header")
        Boolean header;
    }

    /**
     * One column's rule: either a bare rule name ({@code last_name: remove}) or a map
     * with {@code rule:} and the rule's parameters.
     */
    static final class ColumnSpec {
        @JsonProperty("rule")
        String rule;
        @JsonProperty("domain")
        String domain;
        @JsonProperty("pattern")
        String pattern;
        @JsonProperty("output")
        String output;
        @JsonProperty("reduce")
        String reduce;
        @JsonProperty("shift")
        Boolean shift;
        @JsonProperty("value")
        String value;
        @JsonProperty("step")
        BigDecimal step;
        @JsonProperty("above")
        BigDecimal above;
        @JsonProperty("above-label")
        String aboveLabel;
        @JsonProperty("buckets")
        List<BigDecimal> buckets;
        @JsonProperty("labels")
        List<String> labels;
        @JsonProperty("detect")
        List<String> detect;
        @JsonProperty("patterns")
        List<String> patterns;
        @JsonProperty("identifiers")
        Boolean identifiers;
        @JsonProperty("marker")
        String marker;

        ColumnSpec() {
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static ColumnSpec ofRule(String rule) {
            ColumnSpec spec = new ColumnSpec();
            spec.rule = rule;
            return spec;
        }

        /** @return the keys set besides {@code rule}, by YAML name */
        Map<String, Object> parameters() {
            Map<String, Object> set = new LinkedHashMap<>();
            put(set, "domain", domain);
            put(set, "pattern", pattern);
            put(set, "output", output);
            put(set, "reduce", reduce);
            put(set, "shift", shift);
            put(set, "value", value);
            put(set, "step", step);
            put(set, "above", above);
            put(set, "above-label", aboveLabel);
            put(set, "buckets", buckets);
            put(set, "labels", labels);
            put(set, "detect", detect);
            put(set, "patterns", patterns);
            put(set, "identifiers", identifiers);
            put(set, "marker", marker);
            return set;
        }

        private static void put(Map<String, Object> set, String key, Object value) {
            if (value != null) {
                set.put(key, value);
            }
        }
    }
}
