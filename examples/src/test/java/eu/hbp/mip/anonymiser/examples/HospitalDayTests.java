package eu.hbp.mip.anonymiser.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The privacy officer's records: the run report, the audit log, the mapping export and re-identification. */
class HospitalDayTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path site(Path tmp) throws IOException {
        Path data = tmp.resolve("site");
        assertEquals(0, Cli.run("init", "--data", data.toString()).exit());
        Cli.txt(data.resolve("in"), "1.txt", "HOSP-0001", "1", "x");
        Cli.txt(data.resolve("in"), "2.txt", "HOSP-0002", "2", "y");
        Cli.txt(data.resolve("in"), "3.txt", "HOSP-0003", "3", "REJECT");
        return data;
    }

    private static List<String> auditLines(Path data) throws IOException {
        return Files.readAllLines(data.resolve("db/audit.log"));
    }

    @Test
    void everyRunWritesAReportWhoseNumbersMatchTheRunAndAnAuditLine(@TempDir Path tmp) throws Exception {
        Path data = site(tmp);
        Cli.Result r = Cli.run("run", "--data", data.toString(), "--quiet-period", "0", "--progress", "none",
                "--verify");
        assertEquals(ExitCodes.ATTENTION, r.exit(), r::toString);
        assertTrue(r.out().contains("verify: 2 output files scanned: no original value found"), r::toString);
        Path json;
        try (Stream<Path> reports = Files.list(data.resolve("reports"))) {
            json = reports.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        JsonNode report = JSON.readTree(json.toFile());
        assertEquals("run", report.get("command").asText());
        assertEquals(3, report.at("/files/in").asLong());
        assertEquals(2, report.at("/files/anonymised").asLong());
        assertEquals(1, report.at("/files/quarantined").asLong());
        assertEquals(1, report.at("/quarantine_codes/txt-rejected").asLong());
        assertEquals(2, report.at("/rules/txt: pseudonymise").asLong());
        assertTrue(report.get("verify").asText().contains("no original value"));
        assertTrue(report.get("profiles").size() >= 1, "the profiles and their SHA-256: " + report);
        String text = Files.readString(json) + Files.readString(Path.of(json.toString().replace(".json", ".html")));
        for (String original : List.of("HOSP-0001", "HOSP-0002", "HOSP-0003")) {
            assertFalse(text.contains(original), "a patient value in the report");
        }
        List<String> audit = auditLines(data);
        assertEquals(1, audit.size(), audit::toString);
        JsonNode line = JSON.readTree(audit.get(0));
        assertEquals("run", line.get("command").asText());
        assertFalse(audit.get(0).contains("HOSP-"), "a patient value in the audit log");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                data.resolve("db/audit.log"))));
    }

    @Test
    void theReportPageRendersInAHeadlessBrowserWithTheRunsNumbers(@TempDir Path tmp) throws Exception {
        Path browser = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser").map(Path::of)
                .filter(Files::isExecutable).findFirst().orElseThrow(() -> new AssertionError(
                        "Debian's chromium is needed: apt-get install chromium"));
        Path data = site(tmp);
        assertEquals(ExitCodes.ATTENTION, Cli.run("run", "--data", data.toString(), "--quiet-period", "0",
                "--progress", "none").exit());
        Path html;
        try (Stream<Path> reports = Files.list(data.resolve("reports"))) {
            html = reports.filter(p -> p.toString().endsWith(".html")).findFirst().orElseThrow();
        }
        Process p = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + tmp.resolve("chromium-profile"), "--dump-dom",
                html.toUri().toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium did not finish");
        assertTrue(dom.contains("data-rendered=\"yes\""), "the page's script ran: " + dom);
        assertTrue(dom.contains("<td class=\"n\" id=\"in\">3</td>"), dom);
        assertTrue(dom.contains("<td class=\"n\" id=\"anonymised\">2</td>"), dom);
        assertTrue(dom.contains("<td class=\"n\" id=\"quarantined\">1</td>"), dom);
        assertTrue(dom.contains("txt-rejected (1)"), "the quarantine chart: " + dom);
        assertTrue(dom.contains("id=\"timeline-chart\""), dom);

        // A screenshot, kept as a test artifact for a person to look at.
        Path shot = Path.of("target", "report-screenshot.png").toAbsolutePath();
        Files.createDirectories(shot.getParent());
        Files.deleteIfExists(shot);
        Process s = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + tmp.resolve("chromium-profile-2"), "--window-size=1000,1400",
                "--screenshot=" + shot, html.toUri().toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(s.waitFor(60, TimeUnit.SECONDS), "chromium did not finish the screenshot");
        assertTrue(Files.size(shot) > 10_000, "the screenshot is an image of the page");
    }

    @Test
    void exportMappingWritesAnOwnerOnlyFileOfOneDomainAndIsAudited(@TempDir Path tmp) throws Exception {
        Path data = site(tmp);
        Cli.run("run", "--data", data.toString(), "--quiet-period", "0", "--progress", "none");
        Path file = tmp.resolve("mapping.csv");
        Cli.Result r = Cli.run("export-mapping", "--data", data.toString(), "--out", file.toString(),
                "--domain", "patient");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        List<String> lines = Files.readAllLines(file);
        assertEquals("domain,value,pseudonym,first_seen", lines.get(0));
        assertEquals(3, lines.size(), "the two patients released (the rejected file's was never pseudonymised): "
                + lines.size());
        assertTrue(lines.stream().skip(1).allMatch(l -> l.startsWith("patient,HOSP-000")), lines::toString);
        assertEquals(ExitCodes.CONFIG, Cli.run("export-mapping", "--data", data.toString(), "--out",
                file.toString()).exit(), "an export never overwrites a file");
        List<String> audit = auditLines(data);
        assertTrue(audit.get(audit.size() - 1).contains("\"command\":\"export-mapping\""), audit::toString);
        assertFalse(String.join("\n", audit).contains("HOSP-"), "a patient value in the audit log");
    }

    @Test
    void reidentifyRefusesToPrintAnywhereButATerminal(@TempDir Path tmp) throws Exception {
        Path data = site(tmp);
        Cli.Result r = Cli.run("reidentify", "--data", data.toString(), "ABCDEFGHJKMNPQRS");
        assertEquals(ExitCodes.CONFIG, r.exit(), r::toString);
        assertTrue(r.err().contains("terminal only"), r::toString);
        assertFalse(Files.exists(data.resolve("db/audit.log")), "nothing shown, nothing to audit");
    }

    @Test
    void explainTellsWhatWouldHappenWithoutValuesAndWritesNothing(@TempDir Path tmp) throws Exception {
        Path data = site(tmp);
        Files.write(data.resolve("in/report.pdf"), "%PDF-1.4\n".getBytes(StandardCharsets.US_ASCII));
        Cli.Result r = Cli.run("explain", "--data", data.toString(), data.resolve("in/1.txt").toString(),
                data.resolve("in/3.txt").toString(), data.resolve("in/report.pdf").toString());
        assertEquals(ExitCodes.ATTENTION, r.exit(), "the PDF is recognised by no format: " + r);
        assertTrue(r.out().contains("format txt, output root TXT/, quarantine bucket unknown/"), r::toString);
        assertTrue(r.out().contains("line 1 (18 characters): pseudonymise (patient domain), rule 'patient',"
                + " txt-sample.yaml:1"), r::toString);
        assertTrue(r.out().contains("rejects the file (txt-rejected)"), r::toString);
        assertTrue(r.out().contains("no format recognises it"), r::toString);
        assertFalse(r.out().contains("HOSP-"), "no value shown without --show-values");
        assertEquals(List.of("1.txt", "2.txt", "3.txt", "report.pdf"), Cli.files(data.resolve("in")),
                "nothing moved");
        assertEquals(List.of(), Cli.files(data.resolve("out")));
        assertEquals(ExitCodes.CONFIG, Cli.run("explain", "--data", data.toString(), "--show-values",
                data.resolve("in/1.txt").toString()).exit(), "values never go anywhere but a terminal");
        Path mapping = tmp.resolve("mapping.csv");
        assertEquals(0, Cli.run("export-mapping", "--data", data.toString(), "--out", mapping.toString()).exit());
        assertEquals(1, Files.readAllLines(mapping).size(), "explain created no pseudonym");
    }
}
