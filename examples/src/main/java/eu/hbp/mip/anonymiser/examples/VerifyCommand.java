package eu.hbp.mip.anonymiser.examples;

import eu.hbp.mip.anonymiser.pipeline.LeakCheck;
import eu.hbp.mip.anonymiser.pipeline.Route;
import eu.hbp.mip.anonymiser.pipeline.Site;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code verify}: the leak check over {@code out/}. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Re-reads every file in out/ and pacs/dicoms/ and reports any original value recorded in the pseudonym"
                + " store (patient IDs, visit IDs, ...) that still occurs in its bytes, as UTF-8 or Latin-1."
                + " A finding names the output file, the domain and the pseudonym, never the value."
                + " Values shorter than --min-length characters are skipped (they occur by chance) and counted."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:no original value found", "2:wrong configuration", "3:a leak was found"})
final class VerifyCommand implements Callable<Integer> {

    @Mixin
    SiteOptions site;

    @Option(names = "--min-length", paramLabel = "N", defaultValue = "4",
            description = "skip original values shorter than this; default ${DEFAULT-VALUE}")
    int minLength;

    @Option(names = "--folder", paramLabel = "DIR",
            description = "scan this folder instead of out/ and pacs/dicoms/ (repeatable), such as a forward target")
    List<Path> folders = new ArrayList<>();

    @Option(names = "--threads", paramLabel = "N", description = "files scanned at once; default all cores")
    int threads = Runtime.getRuntime().availableProcessors();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (minLength < 1) {
            throw new RunnerConfigException("--min-length must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Site s = site.open()) {
            LeakCheck check = LeakCheck.from(s.store(), minLength);
            List<Path> roots = folders.isEmpty() ? List.copyOf(Route.targets(s.layout()).values()) : folders;
            long leaks = 0;
            for (Path root : roots) {
                LeakCheck.Report report = check.scan(root, threads);
                for (LeakCheck.Leak leak : report.leaks()) {
                    out.println("LEAK " + root.resolve(leak.file()) + ": domain " + leak.domain() + ", pseudonym "
                            + leak.pseudonym() + " (" + leak.encoding() + ")");
                }
                leaks += report.leaks().size();
                out.println(String.format(Locale.ROOT, "%s: %d files, %.1f MB scanned for %d original values"
                                + " (%d shorter than %d characters skipped): %s", root, report.files(),
                        report.bytes() / 1e6, report.values() - report.skippedShort(), report.skippedShort(),
                        minLength, report.clean() ? "no leak" : report.leaks().size() + " leak(s)"));
            }
            return leaks == 0 ? ExitCodes.OK : ExitCodes.LEAK;
        }
    }
}
