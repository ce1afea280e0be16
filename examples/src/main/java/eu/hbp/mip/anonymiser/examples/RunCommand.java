package eu.hbp.mip.anonymiser.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code run}: processes everything in {@code in/} and exits. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Processes every file in in/ (nested folders too, such as a study dropped as a tree)"
                + " and exits: each file is moved to out/ (anonymised) or to quarantine/<kind>/ with a"
                + " <name>.reason.txt sidecar. Work a crash left half-done is recovered first.",
                "Several runners may share one folder (and one --store): each file is processed once."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:every file was anonymised (or in/ was empty)",
            "1:done, but some files were quarantined: see 'status'",
            "2:wrong command line or configuration",
            "4:the machine failed (disk, permissions, store); the files in hand were left in in/"})
final class RunCommand implements Callable<Integer> {

    @Mixin
    SiteOptions site;

    @Mixin
    PipelineOptions pipeline;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        return Runs.execute(spec, site, pipeline, null, null);
    }
}
