package eu.hbp.mip.anonymiser.examples.pacs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * DICOM files made at test time with DCMTK's {@code dump2dcm}: patients, each with
 * studies of MR series of small 16-bit images, and optionally one DERIVED\SECONDARY
 * image (which the DICOM anonymiser refuses by default). Records every original value
 * that must never reach an output.
 *
 * @param files the DICOM files
 * @param patientIds the patients' IDs, in order
 * @param originals every identifying value written (IDs, names, UIDs, dates, ...)
 * @param secondarySop the SOPInstanceUID of the secondary image, or null
 * @param studies how many studies
 */
record TestCorpus(List<Path> files, List<String> patientIds, Set<String> originals, String secondarySop,
                  int studies) {

    static final String ROOT = "1.2.826.0.1.3680043.9.7777";

    /**
     * @param dir where to write
     * @param patients how many patients
     * @param studiesPerPatient studies per patient
     * @param seriesPerStudy series per study
     * @param instancesPerSeries instances per series
     * @param pixels rows = columns of each image
     * @param secondary whether to add one secondary image to the first series
     */
    static TestCorpus make(Path dir, int patients, int studiesPerPatient, int seriesPerStudy, int instancesPerSeries,
                           int pixels, boolean secondary) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        Set<String> originals = new LinkedHashSet<>();
        Random random = new Random(42);
        String secondarySop = null;
        String[] family = {"DUPONTEL", "MARTINEAU", "BERNARDIN", "LAURENTIS", "GIRARDOT", "FONTAINEX"};
        String[] given = {"Marielle", "Jeannot", "Sophiane", "Lucienne", "Octavien", "Romaric"};
        for (int p = 1; p <= patients; p++) {
            String patientId = String.format("HOSP-P%04d", p);
            String name = family[(p - 1) % family.length] + p + "^" + given[(p - 1) % given.length];
            String birth = String.format("19%02d%02d%02d", 40 + p % 50, 2 + p % 10, 10 + p % 18);
            ids.add(patientId);
            originals.add(patientId);
            originals.add(family[(p - 1) % family.length] + p);
            originals.add(given[(p - 1) % given.length]);
            originals.add(birth);
            for (int s = 1; s <= studiesPerPatient; s++) {
                String study = ROOT + "." + p + "." + s;
                String date = String.format("2021%02d%02d", 1 + (p + s) % 12, 11 + s);
                String accession = String.format("ACC%03d%02d", p, s);
                originals.add(study);
                originals.add(date);
                originals.add(accession);
                for (int se = 1; se <= seriesPerStudy; se++) {
                    String series = study + "." + se;
                    originals.add(series);
                    int count = instancesPerSeries + (secondary && p == 1 && s == 1 && se == 1 ? 1 : 0);
                    for (int i = 1; i <= count; i++) {
                        String sop = series + "." + i;
                        boolean isSecondary = secondary && p == 1 && s == 1 && se == 1 && i == count;
                        if (isSecondary) {
                            secondarySop = sop;
                        }
                        originals.add(sop);
                        Path dump = dir.resolve(String.format("p%d_s%d_se%d_i%d.dump", p, s, se, i));
                        Files.writeString(dump, dump(isSecondary, sop, date, patientId, name, birth, study, series,
                                accession, i, pixels, random), StandardCharsets.ISO_8859_1);
                        Path dcm = dir.resolve(dump.getFileName().toString().replace(".dump", ".dcm"));
                        dump2dcm(dump, dcm);
                        Files.delete(dump);
                        files.add(dcm);
                    }
                }
            }
        }
        originals.add("Hopital Imaginaire");
        originals.add("Dr^Imaginaire");
        return new TestCorpus(files, ids, originals, secondarySop, patients * studiesPerPatient);
    }

    private static String dump(boolean secondary, String sop, String date, String patientId, String name, String birth,
                               String study, String series, String accession, int number, int pixels, Random random) {
        StringBuilder d = new StringBuilder();
        d.append("(0008,0008) CS [").append(secondary ? "DERIVED\\SECONDARY" : "ORIGINAL\\PRIMARY").append("]\n");
        d.append("(0008,0016) UI =MRImageStorage\n");
        d.append("(0008,0018) UI [").append(sop).append("]\n");
        d.append("(0008,0020) DA [").append(date).append("]\n");
        d.append("(0008,0021) DA [").append(date).append("]\n");
        d.append("(0008,0030) TM [101010]\n");
        d.append("(0008,0050) SH [").append(accession).append("]\n");
        d.append("(0008,0060) CS [MR]\n");
        d.append("(0008,0070) LO [SIEMENS]\n");
        d.append("(0008,0080) LO [Hopital Imaginaire]\n");
        d.append("(0008,0090) PN [Dr^Imaginaire]\n");
        d.append("(0008,1090) LO [Prisma]\n");
        d.append("(0010,0010) PN [").append(name).append("]\n");
        d.append("(0010,0020) LO [").append(patientId).append("]\n");
        d.append("(0010,0030) DA [").append(birth).append("]\n");
        d.append("(0010,0040) CS [F]\n");
        d.append("(0018,0087) DS [3]\n");
        d.append("(0020,000d) UI [").append(study).append("]\n");
        d.append("(0020,000e) UI [").append(series).append("]\n");
        d.append("(0020,0010) SH [").append(accession).append("]\n");
        d.append("(0020,0011) IS [1]\n");
        d.append("(0020,0013) IS [").append(number).append("]\n");
        d.append("(0028,0002) US 1\n");
        d.append("(0028,0004) CS [MONOCHROME2]\n");
        d.append("(0028,0010) US ").append(pixels).append('\n');
        d.append("(0028,0011) US ").append(pixels).append('\n');
        d.append("(0028,0100) US 16\n");
        d.append("(0028,0101) US 12\n");
        d.append("(0028,0102) US 11\n");
        d.append("(0028,0103) US 0\n");
        d.append("(7fe0,0010) OW ");
        int n = pixels * pixels;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                d.append('\\');
            }
            d.append(String.format("%04x", random.nextInt(4096)));
        }
        d.append('\n');
        return d.toString();
    }

    private static void dump2dcm(Path dump, Path dcm) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("dump2dcm", "+te", "+l", "8000000", dump.toString(), dcm.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("DCMTK's dump2dcm is needed to make the test corpus: install dcmtk (apt-get install dcmtk)");
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("dump2dcm failed on " + dump.getFileName() + ": " + out);
        }
    }
}
