package eu.hbp.mip.anonymiser.testformat;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API, the pipeline and the runner's commands name no format: no string literal and no
 * import names DICOM, CSV or their output roots (comments aside). The folder contract's own
 * {@code pacs/dicoms} and {@code pacs/csv} folders, and the PACS sources and their commands
 * (DICOMweb and DIMSE: a PACS speaks DICOM by definition), are the only exceptions.
 */
class NoFormatNameTests {

    private static final Pattern COMMENTS = Pattern.compile("(?s)/\\*.*?\\*/|//[^\\n]*");
    private static final Pattern LITERAL = Pattern.compile("\"(?:[^\"\\\\\\n]|\\\\.)*\"");
    private static final Pattern FORMAT = Pattern.compile("(?i)\\b(dicom|csv|ehr)\\b");
    private static final Pattern FORMAT_IMPORT = Pattern.compile("import\\s+eu\\.hbp\\.mip\\.anonymiser\\.(dicom|csv)\\b");

    @Test
    void theApiThePipelineAndTheRunnerNameNoFormat() throws IOException {
        Path repo = Path.of("").toAbsolutePath().getParent();
        List<Path> roots = List.of(repo.resolve("anonymiser-api/src/main/java"),
                repo.resolve("anonymiser-pipeline/src/main/java/eu/hbp/mip/anonymiser/pipeline"),
                repo.resolve("examples/src/main/java"));
        List<String> findings = new ArrayList<>();
        int scanned = 0;
        for (Path root : roots) {
            assertTrue(Files.isDirectory(root), "missing source folder " + root);
            List<Path> files;
            try (Stream<Path> walk = Files.walk(root)) {
                files = walk.filter(p -> p.toString().endsWith(".java"))
                        // the PACS sources and their commands: a PACS speaks DICOM by definition
                        .filter(p -> !p.toString().contains("/pipeline/pacs/") && !p.endsWith("PacsCommand.java")
                                && !p.endsWith("DimseCommand.java"))
                        .toList();
            }
            for (Path file : files) {
                scanned++;
                String code = COMMENTS.matcher(Files.readString(file)).replaceAll(" ");
                if (FORMAT_IMPORT.matcher(code).find()) {
                    findings.add(repo.relativize(file) + ": imports a format module");
                }
                Matcher literal = LITERAL.matcher(code);
                while (literal.find()) {
                    String text = literal.group().replace("pacs/dicoms", "").replace("pacs/csv", "");
                    boolean contractFolder = file.endsWith("FolderLayout.java")
                            && (text.equals("\"csv\"") || text.equals("\"dicoms\""));
                    if (!contractFolder && FORMAT.matcher(text).find()) {
                        findings.add(repo.relativize(file) + ": " + literal.group());
                    }
                }
            }
        }
        assertTrue(scanned > 30, "only " + scanned + " files scanned");
        assertEquals(List.of(), findings);
    }
}
