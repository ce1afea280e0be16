package eu.hbp.mip.anonymiser.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The record of one run for the privacy officer: follows the pipeline as a
 * {@link Pipeline.Listener} and, at the end, writes {@code reports/<UTC time>.json} and a
 * self-contained HTML page beside it (no network, no script from elsewhere; charts drawn in
 * inline SVG): tool version, command, profiles with their SHA-256, options, counts per action
 * and rule, per quarantine code and per format, files in and out, the leak check's result when
 * it ran, elapsed time and throughput, and a timeline of files done and quarantined per
 * second. It holds no patient value and no file name from an inbox. Thread-safe.
 */
public final class RunReport implements Pipeline.Listener {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final Clock clock;
    private final Instant start;
    private final long startNanos = System.nanoTime();
    private final LongAdder files = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder anonymised = new LongAdder();
    private final LongAdder outputs = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Map<String, LongAdder> byCode = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byRule = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byFormat = new ConcurrentHashMap<>();
    /** Second of the run to {done, quarantined}. */
    private final Map<Long, long[]> timeline = new ConcurrentHashMap<>();

    /** @param clock dates the report */
    public RunReport(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.start = clock.instant();
    }

    @Override
    public void finished(Pipeline.FileResult r) {
        if (r.kind() == Pipeline.Kind.TAKEN) {
            return;
        }
        long second = (System.nanoTime() - startNanos) / 1_000_000_000L;
        long[] slot = timeline.computeIfAbsent(second, k -> new long[2]);
        synchronized (slot) {
            slot[0]++;
            if (r.kind() == Pipeline.Kind.QUARANTINED) {
                slot[1]++;
            }
        }
        switch (r.kind()) {
            case ANONYMISED -> {
                anonymised.increment();
                outputs.add(r.outputs());
                r.counts().forEach((rule, n) -> add(byRule, (r.provider() == null ? "" : r.provider() + ": ") + rule, n));
            }
            case QUARANTINED -> add(byCode, r.code(), 1);
            case FAILED -> failed.increment();
            default -> {
            }
        }
        if (r.kind() != Pipeline.Kind.FAILED) {
            files.increment();
            bytes.add(r.bytes());
            add(byFormat, r.provider() == null ? "(none)" : r.provider(), 1);
        }
    }

    private static void add(Map<String, LongAdder> map, String key, long n) {
        map.computeIfAbsent(key, k -> new LongAdder()).add(n);
    }

    /**
     * What the report says besides the counts.
     *
     * @param version the tool's version
     * @param command the command ({@code run}, {@code watch}, {@code pacs pull}, ...)
     * @param options the run options
     * @param providers the formats, whose profile folders are digested
     * @param verify the leak check's one-line result, or null when it did not run
     */
    public record Context(String version, String command, Map<String, String> options,
                          Collection<AnonymiserProvider> providers, String verify) {
    }

    /**
     * Writes the JSON and HTML reports into {@code reports/} beside {@code db/}.
     *
     * @param layout the site's folders
     * @param context the run's description
     * @return the JSON report's path (the HTML page has the same name, {@code .html})
     * @throws IOException if the reports folder cannot be written
     */
    public Path write(FolderLayout layout, Context context) throws IOException {
        ObjectNode json = toJson(layout, context);
        Path folder = FolderLayout.createFolder(reportsFolder(layout), false);
        String name = STAMP.format(start);
        Path target = folder.resolve(name + ".json");
        for (int i = 2; Files.exists(target); i++) {
            target = folder.resolve(name + "-" + i + ".json");
        }
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        String text = mapper.writeValueAsString(json);
        writeAtomically(target, text);
        Path html = target.resolveSibling(target.getFileName().toString().replace(".json", ".html"));
        writeAtomically(html, html(json, text));
        return target;
    }

    /** @return {@code reports/}, beside {@code db/} */
    public static Path reportsFolder(FolderLayout layout) {
        return layout.db().resolveSibling("reports");
    }

    ObjectNode toJson(FolderLayout layout, Context context) throws IOException {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        root.put("tool", "MIP Anonymiser");
        root.put("version", context.version());
        root.put("command", context.command());
        root.put("started", start.toString());
        root.put("finished", clock.instant().toString());
        root.put("elapsed_seconds", Math.round(seconds * 1000) / 1000.0);
        ObjectNode counts = root.putObject("files");
        counts.put("in", files.sum());
        counts.put("anonymised", anonymised.sum());
        counts.put("outputs", outputs.sum());
        counts.put("quarantined", byCode.values().stream().mapToLong(LongAdder::sum).sum());
        counts.put("failed", failed.sum());
        counts.put("bytes", bytes.sum());
        root.put("files_per_second", Math.round(files.sum() / seconds * 10) / 10.0);
        root.put("megabytes_per_second", Math.round(bytes.sum() / 1e6 / seconds * 10) / 10.0);
        root.set("quarantine_codes", m.valueToTree(sums(byCode)));
        root.set("formats", m.valueToTree(sums(byFormat)));
        root.set("rules", m.valueToTree(sums(byRule)));
        root.set("options", m.valueToTree(new TreeMap<>(context.options())));
        ArrayNode profiles = root.putArray("profiles");
        for (AnonymiserProvider p : context.providers()) {
            Path folder = layout.profiles(p.name());
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.{yaml,yml,script}")) {
                for (Path f : files) {
                    ObjectNode one = profiles.addObject();
                    one.put("format", p.name());
                    one.put("file", layout.scripts().relativize(f).toString());
                    one.put("sha256", sha256(f));
                }
            }
        }
        root.put("verify", context.verify() == null ? "not run (use --verify)" : context.verify());
        ArrayNode time = root.putArray("timeline");
        new TreeMap<>(timeline).forEach((second, slot) -> {
            ObjectNode point = time.addObject();
            synchronized (slot) {
                point.put("second", second);
                point.put("files", slot[0]);
                point.put("quarantined", slot[1]);
            }
        });
        return root;
    }

    private static Map<String, Long> sums(Map<String, LongAdder> map) {
        Map<String, Long> result = new TreeMap<>();
        map.forEach((k, v) -> result.put(k, v.sum()));
        return result;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static void writeAtomically(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A page that needs nothing but itself: the data inline, tables and SVG charts drawn by its own script. */
    static String html(ObjectNode json, String text) {
        String data = text.replace("</", "<\\/");
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8">
                <title>MIP Anonymiser run report</title>
                <style>
                body{font-family:sans-serif;margin:2em;color:#222}
                table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:.3em .6em;text-align:left}
                th{background:#eee}.n{text-align:right}svg{border:1px solid #ddd;margin:.5em 0}
                </style></head><body>
                <h1>Run report</h1>
                <p id="summary"></p>
                <table id="counts"><tr><th>files in</th><th>anonymised</th><th>outputs</th><th>quarantined</th>
                <th>failed</th><th>files/s</th><th>MB/s</th><th>elapsed s</th></tr>
                <tr><td class="n" id="in"></td><td class="n" id="anonymised"></td><td class="n" id="outputs"></td>
                <td class="n" id="quarantined"></td><td class="n" id="failed"></td><td class="n" id="fps"></td>
                <td class="n" id="mbps"></td><td class="n" id="elapsed"></td></tr></table>
                <p>Leak check: <span id="verify"></span></p>
                <h2>Quarantine codes</h2><div id="codes"></div>
                <h2>Files per second</h2><div id="timeline"></div>
                <h2>Rules and actions</h2><table id="rules"><tr><th>rule</th><th>values</th></tr></table>
                <h2>Profiles</h2><table id="profiles"><tr><th>file</th><th>SHA-256</th></tr></table>
                <h2>Options</h2><table id="options"><tr><th>option</th><th>value</th></tr></table>
                <script id="data" type="application/json">%s</script>
                <script>
                const r = JSON.parse(document.getElementById('data').textContent);
                const set = (id, v) => { document.getElementById(id).textContent = String(v); };
                set('summary', r.tool + ' ' + r.version + ', ' + r.command + ', started ' + r.started);
                set('in', r.files.in); set('anonymised', r.files.anonymised); set('outputs', r.files.outputs);
                set('quarantined', r.files.quarantined); set('failed', r.files.failed);
                set('fps', r.files_per_second); set('mbps', r.megabytes_per_second); set('elapsed', r.elapsed_seconds);
                set('verify', r.verify);
                const ns = 'http://www.w3.org/2000/svg';
                const el = (name, attrs, text) => { const e = document.createElementNS(ns, name);
                  for (const k in attrs) e.setAttribute(k, attrs[k]); if (text !== undefined) e.textContent = text; return e; };
                const codes = Object.entries(r.quarantine_codes);
                const max = Math.max(1, ...codes.map(c => c[1]));
                const bars = el('svg', {width: 520, height: 24 * codes.length + 10, id: 'codes-chart'});
                codes.forEach(([code, n], i) => {
                  bars.appendChild(el('rect', {x: 200, y: 5 + 24 * i, width: 300 * n / max, height: 18, fill: '#c0504d'}));
                  bars.appendChild(el('text', {x: 5, y: 19 + 24 * i, 'font-size': 12}, code + ' (' + n + ')'));
                });
                document.getElementById('codes').appendChild(codes.length ? bars : document.createTextNode('none'));
                const t = r.timeline, w = 520, h = 120;
                const tmax = Math.max(1, ...t.map(p => p.files)), smax = Math.max(1, ...t.map(p => p.second));
                const line = el('svg', {width: w, height: h, id: 'timeline-chart'});
                const pts = t.map(p => (10 + (w - 20) * p.second / smax) + ',' + (h - 10 - (h - 20) * p.files / tmax)).join(' ');
                line.appendChild(el('polyline', {points: pts, fill: 'none', stroke: '#4f81bd', 'stroke-width': 2}));
                document.getElementById('timeline').appendChild(line);
                const rows = (id, entries) => { const tb = document.getElementById(id);
                  entries.forEach(cells => { const tr = document.createElement('tr');
                    cells.forEach(c => { const td = document.createElement('td'); td.textContent = String(c); tr.appendChild(td); });
                    tb.appendChild(tr); }); };
                rows('rules', Object.entries(r.rules));
                rows('profiles', r.profiles.map(p => [p.file, p.sha256]));
                rows('options', Object.entries(r.options));
                document.body.setAttribute('data-rendered', 'yes');
                </script></body></html>
                """.formatted(data);
    }
}
