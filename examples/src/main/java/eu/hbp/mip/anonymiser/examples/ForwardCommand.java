package eu.hbp.mip.anonymiser.examples;

import eu.hbp.mip.anonymiser.api.AnonymiserRegistry;
import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider;
import eu.hbp.mip.anonymiser.pipeline.Forwarder;
import eu.hbp.mip.anonymiser.pipeline.Route;
import eu.hbp.mip.anonymiser.pipeline.Site;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** {@code forward}: moves validated output on, per output root (to the Data Factory, to MIPMap, ...). */
@Command(name = "forward", mixinStandardHelpOptions = true,
        description = {"Moves each output root named by --to, from out/<ROOT>/ and pacs/dicoms/<ROOT>/, to its"
                + " target folder, keeping the <yyyy>/<yyyyMMdd>/ folders (docs/runner.md gives the MIP's targets:"
                + " the Data Factory and MIPMap). Each file arrives whole (atomic"
                + " rename, or a copy under a hidden name then a link); an existing file is never overwritten: the"
                + " file stays where it is and is reported. Run 'verify' first."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:everything moved", "1:some files were left because the target exists",
            "2:wrong command line or configuration"})
final class ForwardCommand implements Callable<Integer> {

    @Mixin
    SiteOptions site;

    @Option(names = "--to", paramLabel = "ROOT=DIR",
            description = "an output root (each format names its own: run with a wrong ROOT to see the list) and"
                    + " the folder it goes to (repeatable)")
    Map<String, Path> targets = new LinkedHashMap<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        TreeSet<String> roots = new TreeSet<>();
        for (AnonymiserProvider p : AnonymiserRegistry.discover().providers().values()) {
            roots.add(p.outputRoot());
        }
        if (targets.isEmpty()) {
            throw new RunnerConfigException("give --to ROOT=DIR for each output root to move on; the output roots"
                    + " are " + String.join(", ", roots) + " (docs/runner.md gives the MIP's targets)");
        }
        for (String root : targets.keySet()) {
            if (!roots.contains(root)) {
                throw new RunnerConfigException("--to " + root + "=...: no format writes an output root '" + root
                        + "'; the output roots are " + String.join(", ", roots));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        Forwarder forwarder = new Forwarder();
        long conflicts = 0;
        try (Site s = site.open()) {
            FolderLayout layout = s.layout();
            for (Map.Entry<String, Path> t : targets.entrySet()) {
                Path to = t.getValue().toAbsolutePath().normalize();
                for (Path folder : Route.targets(layout).values()) {
                    Path source = folder.resolve(t.getKey());
                    Forwarder.Result r = forwarder.forward(source, to);
                    out.println(String.format(Locale.ROOT, "%s: %d files (%.1f MB) moved to %s%s",
                            layout.in().getParent().relativize(source), r.moved(), r.bytes() / 1e6, to,
                            r.conflicts() == 0 ? "" : "; " + r.conflicts()
                                    + " left in place because a file of that name exists there"));
                    conflicts += r.conflicts();
                }
            }
        }
        return conflicts == 0 ? ExitCodes.OK : ExitCodes.ATTENTION;
    }
}
