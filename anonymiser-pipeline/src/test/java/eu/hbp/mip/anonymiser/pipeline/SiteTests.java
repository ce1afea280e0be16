package eu.hbp.mip.anonymiser.pipeline;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.AnonymiserRegistry;
import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.PseudonymStore;
import eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider;
import eu.hbp.mip.anonymiser.api.spi.Recognition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The site's recorded configuration, and a store that must never silently change under a run. */
class SiteTests {

    /** Every file is one patient's: its first line is the patient ID. */
    static final class OneLineProvider implements AnonymiserProvider {
        @Override
        public String name() {
            return "oneline";
        }

        @Override
        public Recognition recognise(String fileName, ByteBuffer head) {
            return Recognition.BY_CONTENT;
        }

        @Override
        public Anonymiser create(AnonymiserContext context) {
            return (input, sink) -> {
                String id = Files.readAllLines(input, StandardCharsets.UTF_8).get(0);
                String subject = context.store().pseudonym(PseudonymStore.PATIENT, id);
                String name = "ONELINE/" + subject + ".txt";
                try (WritableByteChannel ch = sink.create(name)) {
                    ch.write(ByteBuffer.wrap(subject.getBytes(StandardCharsets.US_ASCII)));
                }
                return new Outcome.Anonymised(List.of(name), Map.of(), Set.of(subject));
            };
        }
    }

    private static AnonymiserRegistry oneLine() {
        return AnonymiserRegistry.builder().discovery(false).register(new OneLineProvider()).build();
    }

    @Test
    void openRefusesAFolderNeverInitialisedAndCreatesNothing(@TempDir Path tmp) {
        FolderLayout layout = FolderLayout.standard(tmp.resolve("site"));
        SiteException e = assertThrows(SiteException.class, () -> Site.open(layout, null, null));
        assertTrue(e.getMessage().contains("mip-anonymiser init --data"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("site")));
    }

    @Test
    void theRecordedStoreAndPrefixAreUsedAndAnotherIsRefused(@TempDir Path tmp) {
        FolderLayout layout = FolderLayout.standard(tmp.resolve("site"));
        String pseudonym;
        try (Site site = Site.initialise(layout, null, "TST-")) {
            pseudonym = site.store().pseudonym(PseudonymStore.PATIENT, "HOSP-1");
        }
        try (Site site = Site.open(layout, null, null)) {
            assertEquals("TST-", site.prefix());
            assertEquals(pseudonym, site.store().pseudonym(PseudonymStore.PATIENT, "HOSP-1"));
            assertEquals(pseudonym, site.patientPseudonym("HOSP-1"));
        }
        SiteException prefix = assertThrows(SiteException.class, () -> Site.open(layout, null, "OTHER-"));
        assertTrue(prefix.getMessage().contains("prefix"), prefix.getMessage());
        SiteException store = assertThrows(SiteException.class,
                () -> Site.open(layout, "jdbc:postgresql://db.example.org/mip?password=secret", null));
        assertTrue(store.getMessage().contains("SQLite"), store.getMessage());
        assertFalse(store.getMessage().contains("secret"), "no password in a message");
    }

    @Test
    void aDeletedStoreIsNeverReplacedByANewEmptyOne(@TempDir Path tmp) throws IOException {
        FolderLayout layout = FolderLayout.standard(tmp.resolve("site"));
        Site.initialise(layout, null, null).close();
        Path sqlite = layout.db().resolve("pseudonyms.sqlite");
        Files.delete(sqlite);
        SiteException e = assertThrows(SiteException.class, () -> Site.open(layout, null, null));
        assertTrue(e.getMessage().contains("restore it from backup"), e.getMessage());
        assertThrows(SiteException.class, () -> Site.initialise(layout, null, null));
        assertFalse(Files.exists(sqlite), "no empty store created in its place");
    }

    @Test
    void aStoreDeletedDuringARunStopsItBeforeAnythingIsPublished(@TempDir Path tmp) throws IOException {
        FolderLayout layout = FolderLayout.standard(tmp.resolve("site"));
        Site.initialise(layout, null, null).close();
        Files.writeString(layout.in().resolve("a.txt"), "HOSP-1\n");
        try (Site site = Site.open(layout, null, null);
             Pipeline pipeline = Pipeline.builder(site).registry(oneLine()).quietPeriod(Duration.ZERO).build()) {
            Files.delete(layout.db().resolve("pseudonyms.sqlite"));
            RunSummary summary = pipeline.runOnce();
            assertEquals(1, summary.failed(), summary.describe());
        }
        assertEquals(0, SiteStatus.count(layout.out()).files(), "nothing published without its store");
        assertEquals(1, SiteStatus.count(layout.in()).files(), "the file was given back to in/");
    }
}
