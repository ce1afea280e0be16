package eu.hbp.mip.anonymiser.examples;

import eu.hbp.mip.anonymiser.core.pseudonym.MappingCsv;
import eu.hbp.mip.anonymiser.pipeline.AuditLog;
import eu.hbp.mip.anonymiser.pipeline.Site;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code export-mapping}: the store's mapping as a CSV file for the hospital, owner-only. */
@Command(name = "export-mapping", mixinStandardHelpOptions = true,
        description = {"Writes the mapping of the pseudonym store (domain, original value, pseudonym, first seen)"
                + " to a comma-separated (RFC 4180) file readable by its owner only (0600), whole or not at all (a temporary file renamed"
                + " into place). The file re-identifies every patient: keep it inside the hospital. Each export is"
                + " recorded in db/audit.log (who, when, where, how many rows; never a value)."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:written", "2:wrong command line or configuration",
            "4:the file could not be written"})
final class ExportMappingCommand implements Callable<Integer> {

    @Mixin
    SiteOptions site;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "the file to write (comma-separated, RFC 4180)")
    Path target;

    @Option(names = "--domain", paramLabel = "DOMAIN",
            description = "only this domain (repeatable), such as patient; default every domain")
    Set<String> domains = new LinkedHashSet<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Path file = target.toAbsolutePath().normalize();
        if (!Files.isDirectory(file.getParent())) {
            throw new RunnerConfigException("the folder of --out " + file + " does not exist");
        }
        if (Files.exists(file)) {
            throw new RunnerConfigException("--out " + file + " exists already; choose a new file name (an export"
                    + " never overwrites one)");
        }
        try (Site s = site.open()) {
            long rows = MappingCsv.write(s.store(), file, m -> domains.isEmpty() || domains.contains(m.domain()));
            AuditLog.of(s.layout()).append("export-mapping", Map.of("file", file.toString(), "rows", rows,
                    "domains", domains.isEmpty() ? "all" : String.join(",", domains)));
            PrintWriter out = spec.commandLine().getOut();
            out.println(rows + " mapping(s) written to " + file + " (owner read/write only)");
            return ExitCodes.OK;
        }
    }
}
