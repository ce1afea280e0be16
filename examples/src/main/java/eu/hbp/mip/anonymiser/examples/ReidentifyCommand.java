package eu.hbp.mip.anonymiser.examples;

import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.pipeline.AuditLog;
import eu.hbp.mip.anonymiser.pipeline.Site;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code reidentify}: the hospital's own way back from a pseudonym to the original, on a terminal only. */
@Command(name = "reidentify", mixinStandardHelpOptions = true,
        description = {"Prints the original value of each pseudonym, from the pseudonym store, to the terminal"
                + " only: refused when standard output is a file or a pipe, so that originals are not copied"
                + " anywhere by accident. Each use is recorded in db/audit.log (who, when, which pseudonyms and how"
                + " many were found; never the originals)."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:every pseudonym was found", "1:some pseudonyms are unknown to the store",
            "2:wrong command line or configuration, or not on a terminal"})
final class ReidentifyCommand implements Callable<Integer> {

    @Mixin
    SiteOptions site;

    @Option(names = "--domain", paramLabel = "DOMAIN", defaultValue = PseudonymStore.PATIENT,
            description = "the domain of the pseudonyms (patient, visit, ...); default ${DEFAULT-VALUE}")
    String domain;

    @Parameters(paramLabel = "PSEUDONYM", arity = "1..*", description = "the pseudonyms to re-identify")
    List<String> pseudonyms = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Whether standard output is a terminal; package-private so that tests can stand in for one. */
    static boolean onTerminal() {
        return System.console() != null;
    }

    @Override
    public Integer call() {
        if (!onTerminal()) {
            throw new RunnerConfigException("reidentify prints originals to a terminal only; run it in a terminal,"
                    + " without redirecting its output (use export-mapping for a file)");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Site s = site.open()) {
            int found = 0;
            List<String> unknown = new ArrayList<>();
            Map<String, String> originals = new LinkedHashMap<>();
            for (String p : pseudonyms) {
                Optional<String> original = s.store().reidentify(domain, p);
                if (original.isPresent()) {
                    originals.put(p, original.get());
                    found++;
                } else {
                    unknown.add(p);
                }
            }
            // Recorded before anything is shown: no re-identification without its trace.
            AuditLog.of(s.layout()).append("reidentify", Map.of("domain", domain, "pseudonyms", pseudonyms,
                    "found", found, "unknown", unknown.size()));
            originals.forEach((p, o) -> out.println(p + "  " + o));
            for (String p : unknown) {
                out.println(p + "  (unknown to the store)");
            }
            out.flush();
            return unknown.isEmpty() ? ExitCodes.OK : ExitCodes.ATTENTION;
        }
    }
}
