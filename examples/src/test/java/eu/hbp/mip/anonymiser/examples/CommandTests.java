package eu.hbp.mip.anonymiser.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands in this JVM, with the test format {@link TextTestProvider} on the class path. */
class CommandTests {

    private static void assertOneLineError(Cli.Result r, String expected) {
        assertEquals(ExitCodes.CONFIG, r.exit(), r::toString);
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), r::toString);
        assertTrue(lines.get(0).contains(expected), r::toString);
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r::toString);
    }

    @Test
    void everyCommandHasHelpWithItsExitCodes() {
        for (String command : List.of("init", "run", "watch", "status", "verify", "forward", "forget", "pacs")) {
            Cli.Result r = Cli.run(command, "--help");
            assertEquals(0, r.exit(), r::toString);
            assertTrue(r.out().contains("Usage: mip-anonymiser " + command), r::toString);
            assertTrue(r.out().contains("Exit codes:"), r::toString);
        }
        Cli.Result top = Cli.run("--help");
        assertTrue(top.out().contains("forget") && top.out().contains("watch"), top::toString);
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertEquals(ExitCodes.CONFIG, Cli.run("run", "--no-such-option").exit());
        assertEquals(ExitCodes.CONFIG, Cli.run("run", "--threads", "many").exit());
    }

    @Test
    void runOnAFolderNeverInitialisedSaysToRunInit(@TempDir Path tmp) {
        assertOneLineError(Cli.run("run", "--data", tmp.resolve("nowhere").toString()), "run 'mip-anonymiser init");
    }

    @Test
    void aSiteKeyOthersCanReadIsRefused(@TempDir Path tmp) throws IOException {
        Path data = tmp.resolve("site");
        assertEquals(0, Cli.run("init", "--data", data.toString()).exit());
        Files.setPosixFilePermissions(data.resolve("db/site.key"), PosixFilePermissions.fromString("rw-r--r--"));
        assertOneLineError(Cli.run("run", "--data", data.toString()), "chmod 600");
    }

    @Test
    void initIsIdempotentAndKeepsAnEditedProfile(@TempDir Path tmp) throws IOException {
        Path data = tmp.resolve("site");
        assertEquals(0, Cli.run("init", "--data", data.toString(), "--prefix", "TST-").exit());
        Path sample = data.resolve("scripts/txt/txt-sample.yaml");
        Files.writeString(sample, "# edited by the data manager\nkeep: serial\n");
        Cli.Result again = Cli.run("init", "--data", data.toString());
        assertEquals(0, again.exit(), again::toString);
        assertTrue(again.out().contains("kept as edited"), again::toString);
        assertEquals("# edited by the data manager\nkeep: serial\n", Files.readString(sample));
        assertOneLineError(Cli.run("init", "--data", data.toString(), "--prefix", "OTHER-"), "prefix");
    }

    @Test
    void runMovesEveryFileAndReportsWhy(@TempDir Path tmp) throws IOException {
        Path data = tmp.resolve("site");
        assertEquals(0, Cli.run("init", "--data", data.toString()).exit());
        Cli.txt(data.resolve("in"), "study/a/1.txt", "HOSP-0001", "1", "x");
        Cli.txt(data.resolve("in"), "study/b/2.txt", "HOSP-0002", "2", "REJECT");
        Files.write(data.resolve("in/report.pdf"), "%PDF-1.4\n".getBytes());
        Files.createFile(data.resolve("in/empty"));

        Cli.Result r = Cli.run("run", "--data", data.toString(), "--quiet-period", "0", "--progress", "lines");

        assertEquals(ExitCodes.ATTENTION, r.exit(), r::toString);
        assertTrue(r.out().contains("quarantined: 3 (txt-rejected=1, unrecognised=2)"), r::toString);
        assertEquals(List.of(), Cli.files(data.resolve("in")));
        assertEquals(List.of("TXT/1.txt"), Cli.files(data.resolve("out")));
        assertEquals(List.of("2.txt", "2.txt.reason.txt", "empty", "empty.reason.txt", "report.pdf",
                "report.pdf.reason.txt"), Cli.files(data.resolve("quarantine/unknown")));
        Cli.Result status = Cli.run("status", "--data", data.toString());
        assertTrue(status.out().contains("{txt-rejected=1, unrecognised=2}"), status::toString);
        assertTrue(status.out().contains("the file is empty"), status::toString);
        assertFalse(status.out().contains("report.pdf") || r.err().contains("report.pdf"), "no input names shown");
    }

    @Test
    void verifyFindsAnOriginalValueWithoutPrintingIt(@TempDir Path tmp) throws IOException {
        Path data = tmp.resolve("site");
        assertEquals(0, Cli.run("init", "--data", data.toString()).exit());
        Cli.txt(data.resolve("in"), "1.txt", "HOSP-0001", "1", "clean");
        assertEquals(0, Cli.run("run", "--data", data.toString(), "--quiet-period", "0").exit());
        Cli.Result clean = Cli.run("verify", "--data", data.toString());
        assertEquals(0, clean.exit(), clean::toString);
        assertTrue(clean.out().contains("no leak"), clean::toString);

        Files.writeString(data.resolve("out/TXT/1.txt"), "oops HOSP-0001\n", java.nio.file.StandardOpenOption.APPEND);
        Cli.Result leak = Cli.run("verify", "--data", data.toString());
        assertEquals(ExitCodes.LEAK, leak.exit(), leak::toString);
        assertTrue(leak.out().contains("LEAK ") && leak.out().contains("TXT/1.txt") && leak.out().contains(
                "domain patient"), leak::toString);
        assertFalse(leak.out().contains("HOSP-0001") || leak.err().contains("HOSP-0001"), leak::toString);
    }

    @Test
    void forgetRemovesThePatientsOutputsAndQuarantinesTheirLaterFiles(@TempDir Path tmp) throws IOException {
        Path data = tmp.resolve("site");
        String d = data.toString();
        assertEquals(0, Cli.run("init", "--data", d).exit());
        Cli.txt(data.resolve("in"), "1.txt", "HOSP-0001", "1");
        Cli.txt(data.resolve("in"), "2.txt", "HOSP-0001", "2");
        Cli.txt(data.resolve("in"), "3.txt", "HOSP-0002", "3");
        assertEquals(0, Cli.run("run", "--data", d, "--quiet-period", "0").exit());
        assertEquals(List.of("TXT/1.txt", "TXT/2.txt", "TXT/3.txt"), Cli.files(data.resolve("out")));
        Path ids = tmp.resolve("withdrawn.txt");
        Files.writeString(ids, "# consent withdrawn\nHOSP-0001\nHOSP-9999\n");

        Cli.Result forget = Cli.run("forget", "--data", d, "--patients-file", ids.toString());

        assertEquals(0, forget.exit(), forget::toString);
        assertTrue(forget.out().contains("total: 2 patient(s), 1 never seen"), forget::toString);
        assertTrue(forget.out().contains("2 output(s) deleted"), forget::toString);
        assertEquals(List.of("TXT/3.txt"), Cli.files(data.resolve("out")));
        assertFalse(forget.out().contains("HOSP-"), forget::toString);
        assertFalse(Cli.anyFileContains(data.resolve("db"), "HOSP-9999"), "an unknown ID is never written");

        Cli.txt(data.resolve("in"), "4.txt", "HOSP-0001", "4");
        Cli.txt(data.resolve("in"), "5.txt", "HOSP-9999", "5");
        Cli.Result later = Cli.run("run", "--data", d, "--quiet-period", "0");
        assertEquals(ExitCodes.ATTENTION, later.exit(), later::toString);
        assertTrue(later.out().contains("consent-withdrawn=2"), later::toString);
        assertEquals(List.of("TXT/3.txt"), Cli.files(data.resolve("out")));
        assertTrue(Files.readString(data.resolve("quarantine/unknown/4.txt.reason.txt")).contains(
                "code: consent-withdrawn"));
    }

    @Test
    void forwardMovesDicomAndEhrOutputOn(@TempDir Path tmp) throws IOException {
        Path data = tmp.resolve("site");
        assertEquals(0, Cli.run("init", "--data", data.toString()).exit());
        Files.createDirectories(data.resolve("out/DICOM/2026/20261125/S1"));
        Files.writeString(data.resolve("out/DICOM/2026/20261125/S1/0001.dcm"), "d");
        Files.createDirectories(data.resolve("out/EHR/2026/20261125"));
        Files.writeString(data.resolve("out/EHR/2026/20261125/visits.csv"), "c");

        Cli.Result r = Cli.run("forward", "--data", data.toString(), "--to", "DICOM=" + tmp.resolve("df/in"),
                "--to", "EHR=" + tmp.resolve("mipmap/in"));

        assertEquals(0, r.exit(), r::toString);
        assertEquals(List.of("2026/20261125/S1/0001.dcm"), Cli.files(tmp.resolve("df/in")));
        assertEquals(List.of("2026/20261125/visits.csv"), Cli.files(tmp.resolve("mipmap/in")));
        assertEquals(List.of(), Cli.files(data.resolve("out")));
        assertOneLineError(Cli.run("forward", "--data", data.toString()), "--to");
        assertOneLineError(Cli.run("forward", "--data", data.toString(), "--to", "NOPE=" + tmp), "the output roots are DICOM, EHR,");
    }

    @Test
    void watchTakesFilesAsTheyArriveAndExitsWhenIdle(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("site");
        assertEquals(0, Cli.run("init", "--data", data.toString()).exit());
        Cli.Result[] result = new Cli.Result[1];
        Thread watcher = new Thread(() -> result[0] = Cli.run("watch", "--data", data.toString(), "--quiet-period",
                "200ms", "--poll", "300ms", "--idle-exit", "3s", "--progress", "none"));
        watcher.start();
        Thread.sleep(500);
        Cli.txt(data.resolve("in"), "late/1.txt", "HOSP-0001", "1");
        Thread.sleep(700);
        Cli.txt(data.resolve("in"), "2.txt", "HOSP-0002", "2");
        watcher.join(30_000);
        assertFalse(watcher.isAlive(), "watch must exit once idle");
        assertEquals(0, result[0].exit(), result[0]::toString);
        assertEquals(List.of("TXT/1.txt", "TXT/2.txt"), Cli.files(data.resolve("out")));
    }
}
