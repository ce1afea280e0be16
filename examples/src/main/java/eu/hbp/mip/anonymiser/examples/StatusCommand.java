package eu.hbp.mip.anonymiser.examples;

import eu.hbp.mip.anonymiser.api.AnonymiserRegistry;
import eu.hbp.mip.anonymiser.api.Bucket;
import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.pipeline.Site;
import eu.hbp.mip.anonymiser.pipeline.SiteStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code status}: what is where, and why files were quarantined. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Counts the files in each folder, in each output root of every format (out/ and"
                + " pacs/dicoms/), and in each quarantine bucket (by reason code), and shows the latest reasons"
                + " from the quarantine sidecars. File names are not shown: those from in/ may hold a patient's"
                + " name. Reads only: it never creates a folder or a store."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:shown", "2:wrong configuration"})
final class StatusCommand implements Callable<Integer> {

    @Mixin
    SiteOptions site;

    @Option(names = "--latest", paramLabel = "N", defaultValue = "10",
            description = "how many of the latest reasons to show; default ${DEFAULT-VALUE}")
    int latest;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        FolderLayout layout = site.layout();
        if (!Site.isInitialised(layout)) {
            throw new RunnerConfigException(layout.in().getParent() + " is not an initialised anonymiser folder;"
                    + " run 'mip-anonymiser init --data " + layout.in().getParent() + "' first");
        }
        PrintWriter out = spec.commandLine().getOut();
        AnonymiserRegistry registry = AnonymiserRegistry.discover();
        SiteStatus.Report report = SiteStatus.of(layout, registry.providers().values());
        for (Map.Entry<String, SiteStatus.Count> f : report.folders().entrySet()) {
            out.println(row(f.getKey(), f.getValue()));
        }
        for (Map.Entry<Bucket, SiteStatus.Count> b : report.buckets().entrySet()) {
            Map<String, Integer> codes = report.codes().get(b.getKey());
            out.println(row("quarantine/" + b.getKey().folder() + "/", b.getValue())
                    + (codes.isEmpty() ? "" : "  " + codes));
        }
        List<SiteStatus.Reason> reasons = new ArrayList<>(report.reasons());
        if (!reasons.isEmpty() && latest > 0) {
            out.println("latest reasons:");
            reasons.sort(Comparator.comparing(SiteStatus.Reason::time).reversed());
            DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
                    .withZone(ZoneOffset.UTC);
            for (SiteStatus.Reason r : reasons.subList(0, Math.min(latest, reasons.size()))) {
                out.println("  " + f.format(r.time().toInstant()) + "Z " + r.bucket().folder() + " " + r.code()
                        + ": " + r.reason());
            }
        }
        return ExitCodes.OK;
    }

    private static String row(String name, SiteStatus.Count c) {
        return String.format(Locale.ROOT, "%-24s %7d files %10.1f MB", name, c.files(), c.bytes() / 1e6);
    }
}
