package eu.hbp.mip.anonymiser.nifti;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * The YAML shape of a NIfTI profile, as bound by {@code ProfileFiles} (unknown keys fail).
 * Only a carrier: {@link NiftiProfile#load} validates it and compiles it. Fields stay null
 * when a key is absent.
 */
final class ProfileSpec {

    @JsonProperty("name")
    String name;
    @JsonProperty("description")
    String description;
    @JsonProperty("subject")
    SubjectSpec subject;
    @JsonProperty("header")
    LinkedHashMap<String, FieldSpec> header;
    @JsonProperty("extensions")
    ExtensionsSpec extensions;
    @JsonProperty("sidecar")
    SidecarSpec sidecar;

    /** {@code subject:}: where the patient (and visit) of a file are found. */
    static final class SubjectSpec {
        @JsonProperty("file-name")
        String fileName;
        @JsonProperty("patient-key")
        String patientKey;
        @JsonProperty("visit-key")
        String visitKey;
    }

    /** One header text field: {@code clear}, {@code keep}, or {@code {set: text}}. */
    static final class FieldSpec {
        @JsonProperty("rule")
        String rule;
        @JsonProperty("set")
        String set;

        FieldSpec() {
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static FieldSpec ofRule(String rule) {
            FieldSpec spec = new FieldSpec();
            spec.rule = rule;
            return spec;
        }
    }

    /** {@code extensions:}: the extension codes kept; every other one is removed. */
    static final class ExtensionsSpec {
        @JsonProperty("keep")
        List<Integer> keep;
    }

    /** {@code sidecar:}: the rule of each key of the JSON sidecar. */
    static final class SidecarSpec {
        @JsonProperty("unknown-keys")
        String unknownKeys;
        @JsonProperty("keys")
        LinkedHashMap<String, KeySpec> keys;
    }

    /** One key's rule: a bare rule name ({@code PatientName: remove}) or a map with {@code rule:}. */
    static final class KeySpec {
        @JsonProperty("rule")
        String rule;
        @JsonProperty("domain")
        String domain;
        @JsonProperty("reduce")
        String reduce;
        @JsonProperty("value")
        String value;

        KeySpec() {
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static KeySpec ofRule(String rule) {
            KeySpec spec = new KeySpec();
            spec.rule = rule;
            return spec;
        }
    }
}
