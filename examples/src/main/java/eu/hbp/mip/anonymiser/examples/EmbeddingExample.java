package eu.hbp.mip.anonymiser.examples;

import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.pipeline.Pipeline;
import eu.hbp.mip.anonymiser.pipeline.RunSummary;
import eu.hbp.mip.anonymiser.pipeline.Site;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The one pipeline inside another service, in a few lines: the same code the runner's
 * {@code run} command uses, without the command line; it needs only {@code anonymiser-pipeline}
 * and the format jars on the class path. Run it with
 * {@code java -cp mip-anonymiser.jar eu.hbp.mip.anonymiser.examples.EmbeddingExample /data/anonymiser}.
 */
public final class EmbeddingExample {

    private EmbeddingExample() {
    }

    /**
     * Initialises the site if needed (SQLite store, no prefix), anonymises what is in
     * {@code <root>/in} once and prints the summary.
     *
     * @param args the anonymiser's root folder
     */
    public static void main(String[] args) throws IOException {
        FolderLayout layout = FolderLayout.standard(Path.of(args.length > 0 ? args[0] : "/data/anonymiser"));
        if (!Site.isInitialised(layout)) {
            Site.initialise(layout, null, null).close();
        }
        try (Site site = Site.open(layout, null, null);
             Pipeline pipeline = Pipeline.builder(site).threads(4).build()) {
            RunSummary summary = pipeline.runOnce();
            System.out.print(summary.describe());
        }
    }
}
