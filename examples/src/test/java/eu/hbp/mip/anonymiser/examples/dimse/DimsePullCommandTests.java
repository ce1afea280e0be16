package eu.hbp.mip.anonymiser.examples.dimse;

import eu.hbp.mip.anonymiser.dimse.Orthanc;
import eu.hbp.mip.anonymiser.dimse.Tools;
import eu.hbp.mip.anonymiser.api.FolderLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DimsePullCommandTests {

    private static final String OUR_AE = "MIP_PULL";

    @Test
    void findPrintsPseudonymsAndPullAnonymisesThenResumesWithNothingToDo(@TempDir Path tmp) throws Exception {
        int movePort = Orthanc.freePort();
        Path data = tmp.resolve("data");
        FolderLayout layout = Tools.site(data);
        List<Path> corpus = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            corpus.add(Tools.image(tmp.resolve("corpus"), i, "+te", i == 2));
        }
        Path cohort = tmp.resolve("cohort.csv");
        Files.writeString(cohort, "patient_id,age\nDIMSE-ID-0,40\nDIMSE-ID-2,50\n");
        try (Orthanc orthanc = new Orthanc(tmp.resolve("orthanc"), OUR_AE, movePort)) {
            orthanc.upload(corpus);
            String[] peer = {"--data", data.toString(), "--host", "127.0.0.1", "--port",
                Integer.toString(orthanc.dicomPort()), "--aec", Orthanc.AET, "--aet", OUR_AE,
                "--patients-file", cohort.toString()};
            DimseCli.Result find = DimseCli.run(concat(new String[] {"dimse", "find"}, peer));
            assertEquals(0, find.exit(), find.toString());
            assertTrue(find.out().contains("total: 2 patients, 2 studies"), find.toString());
            assertTrue(find.out().contains("2024-03"), find.toString());

            String[] pull = concat(new String[] {"dimse", "pull"}, peer);
            pull = concat(pull, new String[] {"--move-port", Integer.toString(movePort), "--progress", "none"});
            DimseCli.Result first = DimseCli.run(pull);
            assertEquals(1, first.exit(), "the SECONDARY image is quarantined: " + first);
            assertTrue(first.out().startsWith("pulled 2 instances of 2 series in 2 studies: 1 anonymised"),
                    first.toString());
            DimseCli.Result again = DimseCli.run(pull);
            assertEquals(0, again.exit(), again.toString());
            assertTrue(again.out().contains("0 anonymised") && again.out().contains("2 pulled before"),
                    again.toString());
            for (String original : Tools.originals(3)) {
                for (DimseCli.Result r : List.of(find, first, again)) {
                    assertTrue(!r.out().contains(original) && !r.err().contains(original), "no original printed");
                }
            }
        }
        assertEquals(1, Tools.files(layout.pacsDicoms()).size());
        assertEquals(List.of(), Tools.leaks(layout.pacsDicoms(), Tools.originals(3)));
        assertEquals(List.of(), Tools.files(layout.pacsDownload()));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
