package eu.hbp.mip.anonymiser.examples;

import eu.hbp.mip.anonymiser.api.AnonymiserRegistry;
import eu.hbp.mip.anonymiser.api.FolderLayout;
import eu.hbp.mip.anonymiser.api.OutputSink;
import eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider;
import eu.hbp.mip.anonymiser.pipeline.Site;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code init}: lays out a site. Idempotent; never overwrites a profile the user edited. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Creates the folder layout (db, in, out, pacs, quarantine, scripts; db, quarantine and"
                + " pacs/download owner-only), the site key (db/site.key, owner-only), the pseudonym store, and"
                + " sample profiles in scripts/<format>/. Records the store (--store, or the SQLite file in db/)"
                + " and the prefix in db/site.properties: every later command uses them.",
                "Safe to run again: it creates only what is missing, never overwrites a profile, and refuses to"
                + " change the recorded store or prefix. No other command creates a key, a store or a folder."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:initialised", "2:wrong configuration"})
final class InitCommand implements Callable<Integer> {

    @Mixin
    SiteOptions site;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        FolderLayout layout = site.layout();
        try (Site opened = Site.initialise(layout, site.store, site.prefix)) {
            out.println("layout ready under " + layout.in().getParent());
            out.println("site key: " + layout.db().resolve("site.key") + " (owner read/write only; back it up"
                    + " safely: without it pseudonyms cannot be reproduced)");
            out.println("pseudonym store: " + opened.storeDescription()
                    + (opened.prefix().isEmpty() ? "" : ", prefix " + opened.prefix())
                    + " (recorded in db/" + Site.CONFIG + ")");
        }
        AnonymiserRegistry registry = AnonymiserRegistry.discover();
        for (String failure : registry.failures()) {
            out.println("warning: a provider could not be loaded: " + failure);
        }
        for (AnonymiserProvider provider : registry.providers().values()) {
            Path folder = layout.profiles(provider.name());
            Files.createDirectories(folder);
            FolderLayout.createFolder(layout.quarantine(provider.bucket()), true);
            Map<String, String> samples = new TreeMap<>(provider.sampleProfiles());
            for (Map.Entry<String, String> e : samples.entrySet()) {
                out.println(provider.name() + ": " + writeSample(folder, e.getKey(), e.getValue()));
            }
            if (samples.isEmpty()) {
                out.println(provider.name() + ": no sample profile offered; put profiles in " + folder);
            }
        }
        out.println("next: put files in " + layout.in() + " and run 'mip-anonymiser run --data "
                + layout.in().getParent() + "'");
        return ExitCodes.OK;
    }

    /** Writes a sample unless a file of that name exists; reports what happened. */
    static String writeSample(Path folder, String name, String content) throws IOException {
        OutputSink.checkName(name);
        if (name.contains("/")) {
            throw new IllegalArgumentException("sample profile names are plain file names");
        }
        Path file = folder.resolve(name);
        if (Files.exists(file)) {
            boolean same = java.util.Arrays.equals(Files.readAllBytes(file), content.getBytes(StandardCharsets.UTF_8));
            return same ? file + " is up to date"
                    : file + " kept as edited (the sample was not written over it)";
        }
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return file + " kept (created meanwhile)";
        }
        return file + " written";
    }
}
