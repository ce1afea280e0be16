package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.api.ProviderException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses the OCR engine of the burned-in text check from the run options: {@value #OCR_OPTION}
 * ({@code on}, the default, or {@code off}) and {@value #DATA_OPTION} (Tesseract's tessdata
 * folder; default: {@code TESSDATA_PREFIX}, else the Debian folders). Stateless.
 */
final class OcrEngines {

    /** The run option that switches the burned-in text check off ({@code off}) or on ({@code on}, the default). */
    static final String OCR_OPTION = "dicom.ocr";
    /** The run option naming Tesseract's tessdata folder. */
    static final String DATA_OPTION = "dicom.ocr-data";
    static final String LANGUAGE = "eng";

    private static final List<String> DEBIAN_FOLDERS = List.of("/usr/share/tesseract-ocr/5/tessdata",
            "/usr/share/tesseract-ocr/4.00/tessdata", "/usr/share/tessdata");

    /**
     * A word's bounding box in pixels, from the top-left corner.
     *
     * @param x the left column
     * @param y the top row
     * @param width the width
     * @param height the height
     */
    record Box(int x, int y, int width, int height) {
        @Override
        public String toString() {
            return "x=" + x + " y=" + y + " w=" + width + " h=" + height;
        }
    }

    /** Finds words in an 8-bit grey image; thread-safe. */
    interface Engine {
        /**
         * @param grey the pixels, one byte each, row by row
         * @param width the columns
         * @param height the rows
         * @return the boxes of the words found, never their text
         */
        List<Box> words(byte[] grey, int width, int height);
    }

    private OcrEngines() {
    }

    /**
     * @param options the run options
     * @return the engine, or null when the run switches the check off
     * @throws ProviderException when the check is on and Tesseract or its language data is missing
     */
    static Engine fromOptions(Map<String, String> options) {
        String ocr = options.getOrDefault(OCR_OPTION, "on").strip().toLowerCase(Locale.ROOT);
        if (ocr.equals("off")) {
            return null;
        }
        if (!ocr.equals("on")) {
            throw new ProviderException("option " + OCR_OPTION + " is '" + ocr + "'; expected on or off");
        }
        Path data = dataPath(options);
        try {
            return TesseractEngine.load(data, LANGUAGE);
        } catch (LinkageError e) {
            throw new ProviderException("the burned-in text check needs tess4j and JNA on the class path, and they"
                    + " cannot be loaded (" + e.getClass().getSimpleName() + "); add them, or switch the check off with "
                    + OCR_OPTION + "=off", e);
        }
    }

    private static Path dataPath(Map<String, String> options) {
        String given = options.get(DATA_OPTION);
        if (given != null && !given.isBlank()) {
            return Path.of(given);
        }
        String env = System.getenv("TESSDATA_PREFIX");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            return Files.isDirectory(p.resolve("tessdata")) && !Files.exists(p.resolve(LANGUAGE + ".traineddata"))
                    ? p.resolve("tessdata") : p;
        }
        for (String f : DEBIAN_FOLDERS) {
            if (Files.isRegularFile(Path.of(f, LANGUAGE + ".traineddata"))) {
                return Path.of(f);
            }
        }
        return Path.of(DEBIAN_FOLDERS.get(0));
    }
}
