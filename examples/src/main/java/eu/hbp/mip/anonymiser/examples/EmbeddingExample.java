package eu.hbp.mip.anonymiser.examples;

import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.core.pseudonym.PseudonymStores;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The folder pipeline inside another service, in a few lines: the same code the
 * runner's {@code run} command uses, without the command line. Run it with
 * {@code java -cp mip-anonymiser.jar eu.hbp.mip.anonymiser.examples.EmbeddingExample /data/anonymiser}.
 */
public final class EmbeddingExample {

    private EmbeddingExample() {
    }

    /**
     * Anonymises what is in {@code <root>/in} once and prints the summary.
     *
     * @param args the anonymiser's root folder
     */
    public static void main(String[] args) throws IOException {
        FolderLayout layout = FolderLayout.standard(Path.of(args.length > 0 ? args[0] : "/data/anonymiser")).create();
        try (PseudonymStore store = PseudonymStores.open(layout.db(), null, "");
             FolderPipeline pipeline = FolderPipeline.builder(layout, store)
                     .threads(4)
                     .options(Map.of("dicom.admit-secondary", "false"))
                     .build()) {
            RunSummary summary = pipeline.runOnce();
            System.out.print(summary.describe());
        }
    }
}
