package eu.hbp.mip.anonymiser.examples.pacs;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.Bucket;
import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.OutputSink;
import eu.hbp.mip.anonymiser.api.PseudonymStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/** Interim processor until the crash-safe FileMover is merged: stage, then rename into place. */
final class DirectProcessor implements InstanceProcessor {

    private final Anonymiser anonymiser;
    private final PseudonymStore store;
    private final Path out;
    private final Path quarantine;

    DirectProcessor(Anonymiser anonymiser, PseudonymStore store, FolderLayout layout) {
        this.anonymiser = anonymiser;
        this.store = store;
        this.out = layout.pacsDicoms();
        this.quarantine = layout.quarantine(Bucket.PACS);
    }

    @Override
    public Outcome process(Path downloaded, Runnable beforePublish) throws IOException {
        Path staging = out.resolve(".staging-" + UUID.randomUUID());
        Files.createDirectories(staging);
        try {
            Outcome outcome = anonymiser.anonymise(downloaded, OutputSink.into(staging));
            if (outcome instanceof Outcome.Anonymised a) {
                beforePublish.run();
                store.flush();
                for (String name : a.outputs()) {
                    Path target = out.resolve(name);
                    Files.createDirectories(target.getParent());
                    Files.move(staging.resolve(name), target, StandardCopyOption.ATOMIC_MOVE);
                }
                Files.delete(downloaded);
            } else if (outcome instanceof Outcome.Rejected r) {
                Files.createDirectories(quarantine);
                Path target = quarantine.resolve(downloaded.getFileName());
                Files.move(downloaded, target, StandardCopyOption.ATOMIC_MOVE);
                Files.writeString(quarantine.resolve(downloaded.getFileName() + ".reason.txt"),
                        r.code() + ": " + r.reason() + "\n", StandardCharsets.UTF_8);
            }
            return outcome;
        } finally {
            try (Stream<Path> files = Files.walk(staging)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
