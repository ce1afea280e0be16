package eu.hbp.mip.anonymiser.pipeline;

import eu.hbp.mip.anonymiser.api.Bucket;
import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What is where in a site: files and bytes per folder, per output root of every provider in
 * every target ({@code out/DICOM}, {@code pacs/dicoms/DICOM}, ...), and per quarantine bucket
 * (every folder under {@code quarantine/}) with the reason codes of its sidecars. Reads only;
 * never shows a file name (those from an inbox may hold a patient's name). Stateless.
 */
public final class SiteStatus {

    /** The suffix of a quarantine sidecar. */
    public static final String SIDECAR = ".reason.txt";

    /**
     * Files and bytes under one folder.
     *
     * @param files how many data files (sidecars and hidden files left out)
     * @param bytes their total size
     */
    public record Count(long files, long bytes) {
    }

    /**
     * A quarantine sidecar, read.
     *
     * @param bucket the bucket it lies in
     * @param time when it was written
     * @param code the reason code
     * @param reason the reason, as written (never a patient value)
     */
    public record Reason(Bucket bucket, FileTime time, String code, String reason) {
    }

    /**
     * @param folders each folder of the layout by its relative name ({@code in/}, {@code out/DICOM/}, ...)
     * @param buckets each quarantine bucket: its count and reason codes
     * @param reasons every sidecar read
     */
    public record Report(Map<String, Count> folders, Map<Bucket, Map<String, Integer>> codes,
                         Map<Bucket, Count> buckets, List<Reason> reasons) {
    }

    private SiteStatus() {
    }

    /**
     * @param layout the site's folders
     * @param providers the providers whose output roots to count
     * @return the counts
     * @throws IOException if a folder cannot be listed
     */
    public static Report of(FolderLayout layout, Collection<AnonymiserProvider> providers) throws IOException {
        Map<String, Count> folders = new LinkedHashMap<>();
        folders.put("in/", count(layout.in()));
        for (Map.Entry<String, Path> t : Route.targets(layout).entrySet()) {
            String name = layout.in().getParent().relativize(t.getValue()) + "/";
            folders.put(name, count(t.getValue()));
            for (AnonymiserProvider p : providers) {
                Path root = t.getValue().resolve(p.outputRoot());
                if (Files.isDirectory(root)) {
                    folders.put("  " + name + p.outputRoot() + "/", count(root));
                }
            }
        }
        folders.put("pacs/download/", count(layout.pacsDownload()));
        Map<Bucket, Count> buckets = new TreeMap<>(java.util.Comparator.comparing(Bucket::folder));
        Map<Bucket, Map<String, Integer>> codes = new TreeMap<>(java.util.Comparator.comparing(Bucket::folder));
        List<Reason> reasons = new ArrayList<>();
        for (Bucket b : buckets(layout)) {
            Path folder = layout.quarantine(b);
            List<Reason> here = sidecars(b, folder);
            Map<String, Integer> c = new TreeMap<>();
            for (Reason r : here) {
                c.merge(r.code(), 1, Integer::sum);
            }
            reasons.addAll(here);
            buckets.put(b, count(folder));
            codes.put(b, c);
        }
        return new Report(folders, codes, buckets, reasons);
    }

    /** @return every bucket folder under {@code quarantine/} */
    static List<Bucket> buckets(FolderLayout layout) throws IOException {
        List<Bucket> result = new ArrayList<>();
        if (!Files.isDirectory(layout.quarantine())) {
            return result;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layout.quarantine(), Files::isDirectory)) {
            for (Path d : dirs) {
                String n = d.getFileName().toString();
                if (n.matches("[a-z0-9][a-z0-9-]{0,31}")) {
                    result.add(Bucket.of(n));
                }
            }
        }
        result.sort(java.util.Comparator.comparing(Bucket::folder));
        return result;
    }

    /** @return files and bytes under a folder, sidecars and hidden files left out */
    public static Count count(Path folder) throws IOException {
        long[] c = new long[2];
        if (!Files.isDirectory(folder)) {
            return new Count(0, 0);
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
        return new Count(c[0], c[1]);
    }

    /**
     * @return whether no part of {@code p} below {@code root} is hidden (a name starting with
     *         {@code .}, such as the mover's work folder {@code .anonymiser} or a partial copy)
     */
    public static boolean visible(Path root, Path p) {
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
    public static String[] parse(String text) {
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
