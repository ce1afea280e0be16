package eu.hbp.mip.anonymiser.examples.pacs;

import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.pipeline.Pipeline;
import eu.hbp.mip.anonymiser.pipeline.Site;
import eu.hbp.mip.anonymiser.pipeline.pacs.DicomWebClient;
import eu.hbp.mip.anonymiser.pipeline.pacs.PacsAuth;
import eu.hbp.mip.anonymiser.pipeline.pacs.PacsConnection;
import eu.hbp.mip.anonymiser.pipeline.pacs.PacsPull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Instances per second pulled and anonymised from a local Orthanc, beside a plain WADO-RS
 * download (series by series, multipart streamed to files) of the same studies in the same run.
 * Run with {@code scripts/bench-pacs.sh [patients] [pixels] [threads]}.
 */
final class PacsBenchmark {

    private PacsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int patients = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int pixels = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Path root = Files.createTempDirectory("pacs-bench");
        try {
            TestCorpus corpus = TestCorpus.make(root.resolve("corpus"), patients, 2, 2, 20, pixels, false);
            int total = corpus.files().size();
            long bytes = 0;
            for (Path f : corpus.files()) {
                bytes += Files.size(f);
            }
            System.out.printf(Locale.ROOT, "corpus: %d instances, %d studies, %.1f MB (%dx%d 16-bit), %d threads%n",
                    total, corpus.studies(), bytes / 1e6, pixels, pixels, threads);
            try (OrthancServer orthanc = OrthancServer.start(root.resolve("orthanc"))) {
                orthanc.upload(corpus.files());
                PacsConnection connection = PacsConnection.of(orthanc.dicomWeb(),
                        new PacsAuth.Basic(OrthancServer.USER, OrthancServer.PASSWORD));
                PacsPull.Query query = new PacsPull.Query(Optional.empty(), Optional.empty(), Optional.empty(),
                        corpus.patientIds());

                // warm-up: one plain download (JIT, Orthanc caches), not timed
                plainDownload(connection, query, root.resolve("warm"));

                long t0 = System.nanoTime();
                int plain = plainDownload(connection, query, root.resolve("plain"));
                double plainSeconds = (System.nanoTime() - t0) / 1e9;
                long tI = System.nanoTime();
                int perInstance = perInstanceDownload(connection, query, root.resolve("instances"), threads);
                double perInstanceSeconds = (System.nanoTime() - tI) / 1e9;

                FolderLayout layout = FolderLayout.standard(root.resolve("site"));
                try (Site site = Site.initialise(layout, null, null);
                     Pipeline pipeline = Pipeline.builder(site).threads(threads).build()) {
                    PacsPull pull = new PacsPull(connection, pipeline, site.store(), threads, Clock.systemUTC());
                    long t1 = System.nanoTime();
                    PacsPull.Summary s = pull.pull(query);
                    double pullSeconds = (System.nanoTime() - t1) / 1e9;
                    System.out.printf(Locale.ROOT, "plain WADO-RS download (series, multipart, 1 thread): %d instances"
                            + " in %.2f s = %.0f instances/s%n", plain, plainSeconds, plain / plainSeconds);
                    System.out.printf(Locale.ROOT, "plain WADO-RS download (per instance, %d threads): %d instances"
                            + " in %.2f s = %.0f instances/s%n", threads, perInstance, perInstanceSeconds,
                            perInstance / perInstanceSeconds);
                    System.out.printf(Locale.ROOT, "pacs pull (QIDO + per-instance WADO-RS + anonymise + publish,"
                                    + " %d threads): %d instances (%d anonymised, %d quarantined) in %.2f s"
                                    + " = %.0f instances/s%n", threads, s.instances(), s.anonymised(), s.quarantined(),
                            pullSeconds, s.instances() / pullSeconds);
                    System.out.printf(Locale.ROOT, "ratio pull / plain series download: %.2f; pull / plain per-instance"
                                    + " download: %.2f%n", (s.instances() / pullSeconds) / (plain / plainSeconds),
                            (s.instances() / pullSeconds) / (perInstance / perInstanceSeconds));
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static int perInstanceDownload(PacsConnection connection, PacsPull.Query query, Path folder, int threads)
            throws Exception {
        DicomWebClient client = new DicomWebClient(connection);
        java.util.List<String[]> all = new java.util.ArrayList<>();
        for (String id : query.patientIds()) {
            for (DicomWebClient.Study study : client.studies(new DicomWebClient.Filter(Optional.of(id),
                    Optional.empty(), Optional.empty(), Optional.empty()))) {
                for (DicomWebClient.Series se : client.series(study.studyUid(), Optional.empty())) {
                    for (String sop : client.instances(study.studyUid(), se.seriesUid())) {
                        all.add(new String[] {study.studyUid(), se.seriesUid(), sop});
                    }
                }
            }
        }
        Files.createDirectories(folder);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.List<java.util.concurrent.Future<Long>> futures = new java.util.ArrayList<>();
            int k = 0;
            for (String[] i : all) {
                Path target = folder.resolve((k++) + ".dcm");
                futures.add(pool.submit(() -> client.retrieveInstance(i[0], i[1], i[2], target)));
            }
            for (java.util.concurrent.Future<Long> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return all.size();
    }

    private static int plainDownload(PacsConnection connection, PacsPull.Query query, Path folder) throws Exception {
        DicomWebClient client = new DicomWebClient(connection);
        int n = 0;
        int k = 0;
        for (String id : query.patientIds()) {
            for (DicomWebClient.Study study : client.studies(new DicomWebClient.Filter(Optional.of(id),
                    Optional.empty(), Optional.empty(), Optional.empty()))) {
                for (DicomWebClient.Series se : client.series(study.studyUid(), Optional.empty())) {
                    Path dir = folder.resolve(Integer.toString(k++));
                    Files.createDirectories(dir);
                    n += client.retrieveSeries(study.studyUid(), se.seriesUid(), dir);
                }
            }
        }
        return n;
    }
}
