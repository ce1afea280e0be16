package eu.hbp.mip.anonymiser.examples;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.AnonymiserRegistry;
import eu.hbp.mip.anonymiser.api.FormatException;
import eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider;
import eu.hbp.mip.anonymiser.pipeline.Site;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code explain}: a dry run of the site's profiles on given files. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"A dry run: for each FILE, the format that recognises it and, line by line, what the site's"
                + " profile would do (each element or column with its action, the rule and where the rule is"
                + " written) and what would reject the file. Writes nothing, moves nothing, creates no pseudonym."
                + " Values are shown only as their type and length, unless --show-values is given and the output"
                + " is a terminal."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:explained",
            "1:some files are recognised by no format, or their format cannot explain",
            "2:wrong command line or configuration"})
final class ExplainCommand implements Callable<Integer> {

    @Mixin
    SiteOptions site;

    @Mixin
    PipelineOptions pipeline;

    @Option(names = "--show-values", description = "also show the values (only to a terminal, never to a file)")
    boolean showValues;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "the files to explain (they are only read)")
    List<Path> files = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (showValues && !ReidentifyCommand.onTerminal()) {
            throw new RunnerConfigException("--show-values prints values to a terminal only; leave it out when the"
                    + " output goes to a file or a pipe");
        }
        PrintWriter out = spec.commandLine().getOut();
        int unexplained = 0;
        try (Site s = site.open()) {
            AnonymiserRegistry registry = AnonymiserRegistry.discover();
            var options = pipeline.options(registry);
            boolean terminal = ReidentifyCommand.onTerminal();
            int n = 0;
            for (Path file : files) {
                Path f = file.toAbsolutePath().normalize();
                n++;
                // A file name from in/ may hold a patient's name: shown on a terminal only.
                out.println("== file " + n + (terminal ? ": " + f : ""));
                if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || !Files.isReadable(f)) {
                    out.println("   not a readable regular file");
                    unexplained++;
                    continue;
                }
                Optional<AnonymiserProvider> provider = registry.recognise(f);
                if (provider.isEmpty()) {
                    out.println("   no format recognises it: it would be quarantined in quarantine/unknown"
                            + " (unrecognised)");
                    unexplained++;
                    continue;
                }
                AnonymiserProvider p = provider.get();
                out.println("   format " + p.name() + ", output root " + p.outputRoot() + "/, quarantine bucket "
                        + p.bucket().folder() + "/");
                Anonymiser anonymiser = p.create(new AnonymiserContext(s.layout().profiles(p.name()), s.store(),
                        Runs.onlyOf(p, options), Clock.systemUTC()));
                boolean explained;
                try {
                    explained = anonymiser.explain(f, line -> out.println("   " + line), showValues);
                } catch (FormatException e) {
                    out.println("   the file breaks the " + p.name() + " format: " + e.getMessage()
                            + "; it would be quarantined (" + p.name() + "-malformed)");
                    continue;
                }
                if (!explained) {
                    out.println("   the " + p.name() + " format cannot explain its decisions yet");
                    unexplained++;
                }
            }
        }
        out.flush();
        return unexplained == 0 ? ExitCodes.OK : ExitCodes.ATTENTION;
    }
}
