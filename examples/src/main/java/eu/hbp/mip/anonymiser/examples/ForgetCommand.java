package eu.hbp.mip.anonymiser.examples;

import eu.hbp.mip.anonymiser.api.AnonymiserRegistry;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.pipeline.Consent;
import eu.hbp.mip.anonymiser.pipeline.Site;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code forget}: a patient withdrew consent. */
@Command(name = "forget", mixinStandardHelpOptions = true,
        description = {"Consent withdrawn: finds each patient's outputs in out/ and pacs/dicoms/ through their"
                + " pseudonym, deletes them (or, for an output shared with other patients, has its format remove"
                + " that patient's records, in bounded memory),"
                + " and records the withdrawal so that later files of the patient are quarantined with reason"
                + " consent-withdrawn. The patient ID is only read: it is never written anywhere new,"
                + " printed or logged. Outputs already forwarded are reported, not touched.",
                "Run it while no runner is publishing, or run it again after the runners finish (a runner reuses a 'not withdrawn' answer for 1 s)."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:done", "2:wrong command line or configuration"})
final class ForgetCommand implements Callable<Integer> {

    @Mixin
    SiteOptions site;

    @Option(names = "--patient", paramLabel = "ID", description = "a patient ID as the hospital knows it (repeatable)")
    List<String> patients = new ArrayList<>();

    @Option(names = "--patients-file", paramLabel = "FILE",
            description = "a file of patient IDs, one a line ('#' starts a comment)")
    Path patientsFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Set<String> ids = new LinkedHashSet<>();
        for (String p : patients) {
            if (!p.isBlank()) {
                ids.add(p.strip());
            }
        }
        if (patientsFile != null) {
            if (!Files.isReadable(patientsFile)) {
                throw new RunnerConfigException("cannot read --patients-file " + patientsFile);
            }
            for (String line : Files.readAllLines(patientsFile, StandardCharsets.UTF_8)) {
                String l = line.strip();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    ids.add(l);
                }
            }
        }
        if (ids.isEmpty()) {
            throw new RunnerConfigException("give --patient ID or --patients-file FILE");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Site s = site.open()) {
            Consent.Result total = new Consent.Result(0, 0, 0, 0, 0, 0);
            Consent consent = new Consent(s.layout(), s.store(), s.index(),
                    AnonymiserRegistry.discover().providers().values());
            for (String id : ids) {
                Optional<String> known = s.store().lookup(PseudonymStore.PATIENT, id);
                // A patient never seen yet still gets the withdrawal, under the pseudonym they would receive.
                String pseudonym = known.orElseGet(() -> s.patientPseudonym(id));
                Consent.Result r = consent.withdraw(pseudonym, known.isPresent());
                out.println("patient " + pseudonym + ": " + r.describe());
                total = total.plus(r);
            }
            out.println("total: " + ids.size() + " patient(s), " + total.describe());
            eu.hbp.mip.anonymiser.pipeline.AuditLog.of(s.layout()).append("forget", java.util.Map.of(
                    "patients", total.patients(), "known", total.known(), "deleted", total.deleted(),
                    "rewritten", total.rewritten(), "records_removed", total.recordsRemoved(), "gone", total.gone()));
            return ExitCodes.OK;
        }
    }
}
