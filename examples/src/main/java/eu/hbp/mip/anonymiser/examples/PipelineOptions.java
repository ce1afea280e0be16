package eu.hbp.mip.anonymiser.examples;

import eu.hbp.mip.anonymiser.api.AnonymiserRegistry;
import eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** The options of {@code run} and {@code watch}. */
final class PipelineOptions {

    @Option(names = "--threads", paramLabel = "N",
            description = "files processed at once (default: all cores, here ${DEFAULT-VALUE})")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--admit-secondary",
            description = "the MIP's second step: also admit SECONDARY (derived) images (sets"
                    + " <format>.admit-secondary=true for every format that reads that option)")
    boolean admitSecondary;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "the profile to apply, by name in scripts/<format>/ (sets <format>.profile for every"
                    + " format that reads that option)")
    String profile;

    @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE",
            description = "any provider option, <format>.<key>=<value> (repeatable); an unknown key is refused with the"
                    + " list of known ones")
    Map<String, String> extra = new LinkedHashMap<>();

    @Option(names = "--quiet-period", paramLabel = "DURATION", defaultValue = "2s",
            converter = DurationConverter.class,
            description = "how long a file must stay unchanged before it is taken (files still being copied"
                    + " in are left alone); default ${DEFAULT-VALUE}")
    java.time.Duration quietPeriod;

    @Option(names = "--verify",
            description = "after the run, the leak check over out/ and pacs/dicoms/ (as 'verify'); its result goes"
                    + " into the run report, and a leak gives exit 3")
    boolean verify;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "bar, lines, none, or auto (a bar on a terminal, log lines otherwise);"
                    + " default ${DEFAULT-VALUE}")
    String progress;

    /** @return the provider options: {@code -o} ones, and the shorthands for the providers that read them */
    Map<String, String> options(AnonymiserRegistry registry) {
        Map<String, String> options = new LinkedHashMap<>(extra);
        boolean admitted = !admitSecondary;
        boolean profiled = profile == null;
        for (AnonymiserProvider p : registry.providers().values()) {
            if (admitSecondary && p.options().contains(p.name() + ".admit-secondary")) {
                options.put(p.name() + ".admit-secondary", "true");
                admitted = true;
            }
            if (profile != null && p.options().contains(p.name() + ".profile")) {
                options.put(p.name() + ".profile", profile);
                profiled = true;
            }
        }
        if (!admitted || !profiled) {
            throw new RunnerConfigException((admitted ? "--profile" : "--admit-secondary")
                    + " is read by no format on the class path");
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
