package eu.hbp.mip.anonymiser.examples;

import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.pipeline.Site;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The options every command shares: where the data is, and (at {@code init} only, or to check
 * them) the pseudonym store and prefix. After {@code init}, every command uses the store and
 * prefix recorded in {@code db/site.properties}; giving another one is refused.
 */
final class SiteOptions {

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "${env:MIP_ANONYMISER_DATA:-/data/anonymiser}",
            description = "the anonymiser's folder (db, in, out, pacs, quarantine, scripts);"
                    + " default: $MIP_ANONYMISER_DATA or ${DEFAULT-VALUE}")
    Path data;

    @Option(names = "--store", paramLabel = "JDBC_URL", defaultValue = "${env:MIP_ANONYMISER_STORE}",
            description = "a shared PostgreSQL pseudonym store, such as"
                    + " jdbc:postgresql://db.example.org/mip?user=anon; set at init and recorded in"
                    + " db/site.properties (default: $MIP_ANONYMISER_STORE, or the SQLite file in db/)")
    String store;

    @Option(names = "--prefix", paramLabel = "PREFIX",
            description = "the site prefix of pseudonyms, such as CHUV- (set once at init, recorded in"
                    + " db/site.properties)")
    String prefix;

    FolderLayout layout() {
        return FolderLayout.standard(data.toAbsolutePath().normalize());
    }

    /** @return the initialised site, with its recorded store and prefix (refused if not initialised) */
    Site open() {
        return Site.open(layout(), store, prefix);
    }
}
