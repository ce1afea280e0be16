package eu.hbp.mip.anonymiser.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Corpora of the test format, and the check that every file ended in exactly one place. */
final class Corpus {

    private Corpus() {
    }

    /** Writes {@code n} files in nested folders; every tenth is rejected. */
    static void write(Path in, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            String serial = String.format("%05d", i);
            Cli.txt(in, "batch" + (i % 7) + "/sub" + (i % 3) + "/file" + serial + ".txt", "HOSP-" + (i % 50), serial,
                    i % 10 == 9 ? "REJECT" : "payload " + i);
        }
    }

    /** Where each serial ended. */
    record Census(Map<String, List<String>> places) {
    }

    /**
     * Asserts that each of the {@code n} serials is in exactly one of in/, out/, quarantine/,
     * that every output is whole ({@code END} last) and named after its serial without a
     * suffix (a duplicate publish would have suffixed it), and that no file is left in
     * the mover's hidden work folders. Between runs ({@code allDone} false) an input may
     * also wait in a killed worker's work folder, where recovery finds it.
     */
    static void assertEachFileInExactlyOnePlace(Path data, int n, boolean allDone) throws IOException {
        Map<String, String> where = new HashMap<>();
        StringBuilder problems = new StringBuilder();
        for (String rel : Cli.files(data.resolve("out"))) {
            String text = Files.readString(data.resolve("out").resolve(rel), StandardCharsets.UTF_8);
            String serial = serialOf(text);
            if (!text.endsWith("END\n")) {
                problems.append("partial output ").append(rel).append('\n');
            }
            if (!rel.equals("TXT/" + serial + ".txt")) {
                problems.append("unexpected output name (a duplicate?) ").append(rel).append('\n');
            }
            if (text.contains("HOSP-")) {
                problems.append("output holds an original ID ").append(rel).append('\n');
            }
            put(where, serial, "out/" + rel, problems);
        }
        for (String rel : Cli.files(data.resolve("quarantine"))) {
            if (rel.endsWith(".reason.txt")) {
                continue;
            }
            // Between runs the mover may have linked the input but not yet its sidecar: recovery links it.
            if (allDone && !Files.exists(data.resolve("quarantine").resolve(rel + ".reason.txt"))) {
                problems.append("quarantined without a reason ").append(rel).append('\n');
            }
            put(where, serialOf(Files.readString(data.resolve("quarantine").resolve(rel))), "quarantine/" + rel,
                    problems);
        }
        for (String rel : Cli.files(data.resolve("in"))) {
            if (allDone) {
                problems.append("left in in/ ").append(rel).append('\n');
            }
            put(where, serialOf(Files.readString(data.resolve("in").resolve(rel))), "in/" + rel, problems);
        }
        if (!allDone) {
            // Between runs, a killed worker's claimed inputs wait in its hidden work folder for recovery.
            Path work = data.resolve("in/.anonymiser");
            if (Files.isDirectory(work)) {
                try (var walk = Files.walk(work)) {
                    for (Path p : walk.filter(Files::isRegularFile).toList()) {
                        String text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
                        if (text.startsWith("patient: ")) {
                            where.putIfAbsent(serialOf(text), "claimed " + data.relativize(p));
                        }
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            String serial = String.format("%05d", i);
            if (!where.containsKey(serial)) {
                problems.append("lost: serial ").append(serial).append('\n');
            } else if (i % 10 == 9 ? where.get(serial).startsWith("out/") : where.get(serial).startsWith("quarantine/")) {
                problems.append("wrong place for ").append(serial).append('\n');
            }
        }
        if (where.size() != n) {
            problems.append(where.size()).append(" serials found, expected ").append(n).append('\n');
        }
        if (allDone) {
            for (Path work : List.of(data.resolve("out/.anonymiser"), data.resolve("in/.anonymiser"))) {
                if (Files.isDirectory(work)) {
                    try (var walk = Files.walk(work)) {
                        walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("lock"))
                                .forEach(p -> problems.append("left in the work folder: ").append(data.relativize(p))
                                        .append('\n'));
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.toString());
        }
    }

    private static void put(Map<String, String> where, String serial, String place, StringBuilder problems) {
        String before = where.putIfAbsent(serial, place);
        if (before != null) {
            problems.append("serial ").append(serial).append(" in two places: ").append(before).append(" and ")
                    .append(place).append('\n');
        }
    }

    private static String serialOf(String text) {
        for (String line : text.split("\n")) {
            if (line.startsWith("serial: ")) {
                return line.substring(8).strip();
            }
        }
        return "?" + text.hashCode();
    }
}
