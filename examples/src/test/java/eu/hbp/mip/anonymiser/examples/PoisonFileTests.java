package eu.hbp.mip.anonymiser.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file the codec cannot write is the file's fault, whichever step finds it: with pixel
 * blanking on, a file whose pixel data is shorter than Rows x Columns x bytes fails while its
 * output is written. It must be quarantined ({@code dicom-malformed}), never taken for a
 * machine failure that gives it back to in/ and stops every run on it.
 */
class PoisonFileTests {

    @Test
    void aFileWhosePixelsContradictRowsAndColumnsIsQuarantinedAndTheRestAnonymised(@TempDir Path tmp)
            throws Exception {
        Path data = tmp.resolve("site");
        assertEquals(0, Cli.run("init", "--data", data.toString()).exit());
        Path profiles = data.resolve("scripts/dicom");
        String profile = Files.readString(profiles.resolve("mip-default.yaml"));
        assertTrue(profile.contains("pixel:\n  blank: false"), "the sample profile's pixel section changed");
        Files.writeString(profiles.resolve("mip-default.yaml"),
                profile.replace("pixel:\n  blank: false", "pixel:\n  blank: true\n  rules: [blank-corner.yaml]"));
        Files.writeString(profiles.resolve("blank-corner.yaml"), "rules:\n  - name: test-scanner\n"
                + "    manufacturer: \"SIEMENS\"\n    rectangles: [{x: 0, y: 0, width: 8, height: 4}]\n");

        Path in = data.resolve("in");
        for (int i = 1; i <= 3; i++) {
            Dcmtk.mr(in.resolve("good-" + i + ".dcm"), "HOSP-1", "Doe^John", "ORIGINAL\\PRIMARY", 1, i, "+te");
        }
        Path poison = Dcmtk.mr(tmp.resolve("poison.dcm"), "HOSP-2", "Roe^Jane", "ORIGINAL\\PRIMARY", 2, 1, "+te");
        // Rows 64 where the pixel data holds 32 rows: blanking must refuse to write it.
        Dcmtk.run("dcmodify", "-nb", "-m", "(0028,0010)=64", poison.toString());
        Files.move(poison, in.resolve("poison.dcm"));

        Cli.Result first = Cli.run("run", "--data", data.toString(), "--quiet-period", "0", "--progress", "none");
        assertEquals(ExitCodes.ATTENTION, first.exit(), first::toString);
        assertEquals(List.of(), Cli.files(in), "nothing given back to in/");
        assertEquals(3, Cli.files(data.resolve("out")).size(), first::toString);
        List<String> quarantined = Cli.files(data.resolve("quarantine/dicom"));
        assertEquals(List.of("poison.dcm", "poison.dcm.reason.txt"), quarantined);
        String reason = Files.readString(data.resolve("quarantine/dicom/poison.dcm.reason.txt"));
        assertTrue(reason.contains("dicom-malformed") && reason.contains("offset"), reason);

        Cli.Result second = Cli.run("run", "--data", data.toString(), "--quiet-period", "0", "--progress", "none");
        assertEquals(ExitCodes.OK, second.exit(), "the next run is not stopped by the file: " + second);
    }
}
