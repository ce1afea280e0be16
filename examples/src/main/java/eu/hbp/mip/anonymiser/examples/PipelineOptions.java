package eu.hbp.mip.anonymiser.examples;

import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** The options of {@code run} and {@code watch}. */
final class PipelineOptions {

    @Option(names = "--threads", paramLabel = "N",
            description = "files processed at once (default: all cores, here ${DEFAULT-VALUE})")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--admit-secondary",
            description = "the MIP's second DICOM step: also admit SECONDARY (derived) images"
                    + " (sets the option dicom.admit-secondary=true)")
    boolean admitSecondary;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "the DICOM profile to apply, by name in scripts/dicom/ (sets dicom.profile)")
    String profile;

    @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE",
            description = "any provider option, such as csv.strict=true (repeatable)")
    Map<String, String> extra = new LinkedHashMap<>();

    @Option(names = "--quiet-period", paramLabel = "DURATION", defaultValue = "2s",
            converter = DurationConverter.class,
            description = "how long a file must stay unchanged before it is taken (files still being copied"
                    + " in are left alone); default ${DEFAULT-VALUE}")
    java.time.Duration quietPeriod;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "bar, lines, none, or auto (a bar on a terminal, log lines otherwise);"
                    + " default ${DEFAULT-VALUE}")
    String progress;

    Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>(extra);
        if (admitSecondary) {
            options.put("dicom.admit-secondary", "true");
        }
        if (profile != null) {
            options.put("dicom.profile", profile);
        }
        return options;
    }

    Progress.Mode progressMode() {
        return switch (progress) {
            case "bar" -> Progress.Mode.BAR;
            case "lines" -> Progress.Mode.LINES;
            case "none" -> Progress.Mode.NONE;
            case "auto" -> System.console() != null ? Progress.Mode.BAR : Progress.Mode.LINES;
            default -> throw new RunnerConfigException("--progress must be bar, lines, none or auto");
        };
    }
}
