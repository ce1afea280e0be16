package eu.hbp.mip.anonymiser.examples;

import eu.hbp.mip.anonymiser.api.Bucket;
import eu.hbp.mip.anonymiser.api.FolderLayout;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code status}: what is where, and why files were quarantined. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Counts the files in each folder and in each quarantine bucket (by reason code), and"
                + " shows the latest reasons from the quarantine sidecars. File names are not shown: those"
                + " from in/ may hold a patient's name."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:shown", "2:wrong configuration"})
final class StatusCommand implements Callable<Integer> {

    /** The suffix of a quarantine sidecar. */
    static final String SIDECAR = ".reason.txt";

    @Mixin
    SiteOptions site;

    @Option(names = "--latest", paramLabel = "N", defaultValue = "10",
            description = "how many of the latest reasons to show; default ${DEFAULT-VALUE}")
    int latest;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** A quarantine sidecar, read. */
    record Reason(Bucket bucket, FileTime time, String code, String reason) {
    }

    @Override
    public Integer call() throws IOException {
        FolderLayout layout = site.layout();
        if (!Files.isDirectory(layout.in())) {
            throw new RunnerConfigException(layout.in().getParent() + " is not an anonymiser folder (no in/);"
                    + " run 'mip-anonymiser init --data " + layout.in().getParent() + "' first");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(row("in/", count(layout.in())));
        out.println(row("out/", count(layout.out())));
        for (String top : List.of("DICOM", "EHR")) {
            Path p = layout.out().resolve(top);
            if (Files.isDirectory(p)) {
                out.println(row("  out/" + top + "/", count(p)));
            }
        }
        out.println(row("pacs/download/", count(layout.pacsDownload())));
        out.println(row("pacs/dicoms/", count(layout.pacsDicoms())));
        List<Reason> reasons = new ArrayList<>();
        for (Bucket b : Bucket.values()) {
            Path folder = layout.quarantine(b);
            Map<String, Integer> codes = new TreeMap<>();
            List<Reason> here = sidecars(b, folder);
            for (Reason r : here) {
                codes.merge(r.code(), 1, Integer::sum);
            }
            reasons.addAll(here);
            out.println(row("quarantine/" + b.folder() + "/", count(folder))
                    + (codes.isEmpty() ? "" : "  " + codes));
        }
        if (!reasons.isEmpty() && latest > 0) {
            out.println("latest reasons:");
            reasons.sort(Comparator.comparing(Reason::time).reversed());
            DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
                    .withZone(ZoneOffset.UTC);
            for (Reason r : reasons.subList(0, Math.min(latest, reasons.size()))) {
                out.println("  " + f.format(r.time().toInstant()) + "Z " + r.bucket().folder() + " " + r.code()
                        + ": " + r.reason());
            }
        }
        return ExitCodes.OK;
    }

    private static String row(String name, long[] c) {
        return String.format(Locale.ROOT, "%-22s %7d files %10.1f MB", name, c[0], c[1] / 1e6);
    }

    /** @return {files, bytes} under a folder, sidecars and hidden files left out */
    static long[] count(Path folder) throws IOException {
        long[] c = new long[2];
        if (!Files.isDirectory(folder)) {
            return c;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.filter(Files::isRegularFile).filter(p -> visible(folder, p) && isData(p)).forEach(p -> {
                c[0]++;
                try {
                    c[1] += Files.size(p);
                } catch (IOException e) {
                    // gone meanwhile
                }
            });
        }
        return c;
    }

    /**
     * @return whether no part of {@code p} below {@code root} is hidden (a name starting with
     *         {@code .}, such as the mover's work folder {@code .anonymiser} or a partial copy)
     */
    static boolean visible(Path root, Path p) {
        for (Path part : root.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return false;
            }
        }
        return true;
    }

    static boolean isData(Path p) {
        String n = p.getFileName().toString();
        return !n.startsWith(".") && !n.endsWith(SIDECAR);
    }

    /** Reads every sidecar in a bucket. */
    static List<Reason> sidecars(Bucket bucket, Path folder) throws IOException {
        List<Reason> result = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return result;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).filter(p -> visible(folder, p))
                    .filter(p -> p.getFileName().toString().endsWith(SIDECAR))
                    .toList();
        }
        for (Path p : files) {
            try {
                String text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
                String[] cr = parse(text);
                result.add(new Reason(bucket, Files.getLastModifiedTime(p), cr[0], cr[1]));
            } catch (IOException e) {
                // removed meanwhile
            }
        }
        return result;
    }

    /** @return {code, reason} from a sidecar's text: {@code code: ...} and {@code reason: ...} lines */
    static String[] parse(String text) {
        String code = null;
        String reason = null;
        for (String line : text.split("\\R")) {
            String l = line.strip();
            String lower = l.toLowerCase(Locale.ROOT);
            if (code == null && (lower.startsWith("code:") || lower.startsWith("code="))) {
                code = l.substring(5).strip();
            } else if (reason == null && (lower.startsWith("reason:") || lower.startsWith("reason="))) {
                reason = l.substring(7).strip();
            }
        }
        if (reason == null) {
            reason = text.strip().lines().findFirst().orElse("(empty sidecar)");
        }
        return new String[] {code == null ? "?" : code, reason};
    }
}
