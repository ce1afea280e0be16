package eu.hbp.mip.anonymiser.examples;

import eu.hbp.mip.anonymiser.api.AnonymiserRegistry;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runner finds the DICOM and CSV anonymisers only through ServiceLoader: on
 * the class path through {@code META-INF/services}, and on the module path
 * through {@code provides} in their {@code module-info}.
 */
class ProviderDiscoveryTests {

    /** The project's modules and the libraries they require, as found on the test class path. */
    private static final Pattern MODULE_JARS = Pattern.compile(
            ".*(anonymiser-(api|core|dicom|csv)|jdbi3-core|geantyref|antlr4-runtime|jackson-|snakeyaml"
                    + "|sqlite-jdbc|postgresql|checker-qual|commons-csv|commons-codec|commons-io|slf4j-api).*");

    @Test
    void classPathFindsBothProvidersThroughServiceFiles() {
        AnonymiserRegistry registry = AnonymiserRegistry.discover();
        // The test sources add a small test format ("txt") of their own; the shipped two must be there.
        assertTrue(registry.providers().keySet().containsAll(Set.of("dicom", "csv")),
                registry.providers().keySet() + ", failures: " + registry.failures());
        assertEquals("eu.hbp.mip.anonymiser.dicom.DicomAnonymiserProvider",
                registry.provider("dicom").orElseThrow().getClass().getName());
        assertEquals("eu.hbp.mip.anonymiser.csv.CsvAnonymiserProvider",
                registry.provider("csv").orElseThrow().getClass().getName());
        assertTrue(registry.failures().isEmpty(), registry.failures().toString());
    }

    @Test
    void modulePathFindsBothProvidersThroughModuleInfo() throws Exception {
        Path[] entries = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> MODULE_JARS.matcher(e.replace('\\', '/')).matches())
                .map(Path::of)
                .toArray(Path[]::new);
        ModuleFinder finder = ModuleFinder.of(entries);
        Configuration config = ModuleLayer.boot().configuration().resolveAndBind(
                finder, ModuleFinder.of(), List.of("eu.hbp.mip.anonymiser.api"));
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(config, ClassLoader.getPlatformClassLoader());
        Class<?> spi = layer.findLoader("eu.hbp.mip.anonymiser.api")
                .loadClass("eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider");

        Set<String> found = new TreeSet<>();
        for (Object provider : ServiceLoader.load(layer, spi)) {
            found.add(provider.getClass().getModule().getName() + "/" + spi.getMethod("name").invoke(provider));
        }
        assertEquals(Set.of("eu.hbp.mip.anonymiser.csv/csv", "eu.hbp.mip.anonymiser.dicom/dicom"), found);
    }
}
