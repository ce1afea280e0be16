package eu.hbp.mip.anonymiser.examples;

import eu.hbp.mip.anonymiser.api.FolderLayout;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code forward}: moves validated output on to the Data Factory and MIPMap. */
@Command(name = "forward", mixinStandardHelpOptions = true,
        description = {"Moves out/DICOM/... to the Data Factory's folder and out/EHR/... to MIPMap's, keeping"
                + " the <yyyy>/<yyyyMMdd>/ folders. Each file arrives whole (atomic rename, or a copy under a"
                + " hidden name then a link); an existing file is never overwritten: the file stays in out/"
                + " and is reported. Run 'verify' first."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:everything moved", "1:some files were left in out/ because the target exists",
            "2:wrong command line"})
final class ForwardCommand implements Callable<Integer> {

    @Mixin
    SiteOptions site;

    @Option(names = "--dicom-to", paramLabel = "DIR", description = "where DICOM output goes, such as /data/df/in")
    Path dicomTo;

    @Option(names = "--csv-to", paramLabel = "DIR", description = "where CSV output goes, such as /data/mipmap/in")
    Path csvTo;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (dicomTo == null && csvTo == null) {
            throw new RunnerConfigException("give --dicom-to DIR, --csv-to DIR or both");
        }
        FolderLayout layout = site.layout();
        if (!Files.isDirectory(layout.out())) {
            throw new RunnerConfigException(layout.out() + " does not exist; run 'mip-anonymiser init' first");
        }
        PrintWriter out = spec.commandLine().getOut();
        Forwarder forwarder = new Forwarder();
        long conflicts = 0;
        if (dicomTo != null) {
            conflicts += report(out, "DICOM", dicomTo, forwarder.forward(layout.out().resolve("DICOM"), dicomTo));
        }
        if (csvTo != null) {
            conflicts += report(out, "EHR", csvTo, forwarder.forward(layout.out().resolve("EHR"), csvTo));
        }
        return conflicts == 0 ? ExitCodes.OK : ExitCodes.ATTENTION;
    }

    private static long report(PrintWriter out, String what, Path to, Forwarder.Result r) {
        out.println(String.format(Locale.ROOT, "%s: %d files (%.1f MB) moved to %s%s", what, r.moved(),
                r.bytes() / 1e6, to, r.conflicts() == 0 ? ""
                        : "; " + r.conflicts() + " left in out/ because a file of that name exists there"));
        return r.conflicts();
    }
}
