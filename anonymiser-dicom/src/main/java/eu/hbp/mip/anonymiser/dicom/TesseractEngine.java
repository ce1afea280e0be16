package eu.hbp.mip.anonymiser.dicom;

import com.sun.jna.Pointer;
import eu.hbp.mip.anonymiser.api.ProviderException;
import net.sourceforge.tess4j.ITessAPI;
import net.sourceforge.tess4j.TessAPI;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Finds words in 8-bit grey images with Tesseract (libtesseract, through tess4j's mapping of its
 * C API). Only the boxes leave this class: the words read are used to tell text from noise (a
 * word needs 2 letters or digits and a confidence of {@value #MIN_CONFIDENCE}) and dropped.
 *
 * <p>Thread-safe: a Tesseract handle serves one thread at a time, so the engine keeps a pool of
 * handles, made on demand (about a second each: the language model is loaded) and freed when the
 * engine is unreachable. Only {@link OcrEngines} names this class, so that a class path without
 * tess4j fails there, with a refusal that says how to fix it.
 */
final class TesseractEngine implements OcrEngines.Engine {

    static final float MIN_CONFIDENCE = 50f;
    /** Tesseract's page segmentation mode for sparse text, in no particular order: burned-in annotations. */
    private static final int PSM_SPARSE_TEXT = 11;
    private static final Cleaner CLEANER = Cleaner.create();

    private final TessAPI api;
    private final String dataPath;
    private final String language;
    private final Pool pool;

    /** The handles, freed by the cleaner when the engine goes. */
    private static final class Pool implements Runnable {
        final ConcurrentLinkedDeque<TessAPI.TessBaseAPI> idle = new ConcurrentLinkedDeque<>();
        final TessAPI api;

        Pool(TessAPI api) {
            this.api = api;
        }

        @Override
        public void run() {
            for (TessAPI.TessBaseAPI h = idle.poll(); h != null; h = idle.poll()) {
                api.TessBaseAPIEnd(h);
                api.TessBaseAPIDelete(h);
            }
        }
    }

    private TesseractEngine(TessAPI api, String dataPath, String language) {
        this.api = api;
        this.dataPath = dataPath;
        this.language = language;
        this.pool = new Pool(api);
        CLEANER.register(this, pool);
    }

    /**
     * Loads libtesseract and checks its language data.
     *
     * @param dataPath the tessdata folder
     * @param language the language, such as {@code eng}
     * @return the engine
     * @throws ProviderException naming what is missing and how to install it
     */
    static TesseractEngine load(Path dataPath, String language) {
        if (!Files.isRegularFile(dataPath.resolve(language + ".traineddata"))) {
            throw new ProviderException("the burned-in text check needs Tesseract's '" + language
                    + "' language data, and " + dataPath.resolve(language + ".traineddata") + " is missing: install it"
                    + " (Debian: apt-get install tesseract-ocr tesseract-ocr-" + language + "), name its folder with"
                    + " option " + OcrEngines.DATA_OPTION + ", or switch the check off with " + OcrEngines.OCR_OPTION
                    + "=off (or with ocr: {modalities: [], secondary: false} in the profile)");
        }
        TessAPI api;
        try {
            api = TessAPI.INSTANCE;
            api.TessVersion();
        } catch (LinkageError e) {
            throw new ProviderException("the burned-in text check needs the Tesseract library (libtesseract), which"
                    + " cannot be loaded (" + e.getClass().getSimpleName() + "): install it (Debian: apt-get install"
                    + " tesseract-ocr tesseract-ocr-" + language + "), or switch the check off with "
                    + OcrEngines.OCR_OPTION + "=off", e);
        }
        // the first handle (and its second of model loading) waits for the first image read
        return new TesseractEngine(api, dataPath.toString(), language);
    }

    private TessAPI.TessBaseAPI newHandle() {
        TessAPI.TessBaseAPI h = api.TessBaseAPICreate();
        if (api.TessBaseAPIInit3(h, dataPath, language) != 0) {
            api.TessBaseAPIDelete(h);
            throw new ProviderException("Tesseract cannot load its '" + language + "' language data from " + dataPath
                    + ": reinstall it (Debian: apt-get install --reinstall tesseract-ocr-" + language + ")");
        }
        api.TessBaseAPISetPageSegMode(h, PSM_SPARSE_TEXT);
        return h;
    }

    @Override
    public List<OcrEngines.Box> words(byte[] grey, int width, int height) {
        TessAPI.TessBaseAPI h = pool.idle.poll();
        if (h == null) {
            h = newHandle();
        }
        try {
            return read(h, grey, width, height);
        } finally {
            api.TessBaseAPIClear(h);
            pool.idle.push(h);
        }
    }

    private List<OcrEngines.Box> read(TessAPI.TessBaseAPI h, byte[] grey, int width, int height) {
        ByteBuffer buf = ByteBuffer.allocateDirect(grey.length);
        buf.put(grey).flip();
        api.TessBaseAPISetImage(h, buf, width, height, 1, width);
        List<OcrEngines.Box> boxes = new ArrayList<>();
        if (api.TessBaseAPIRecognize(h, null) != 0) {
            return boxes;
        }
        TessAPI.TessResultIterator ri = api.TessBaseAPIGetIterator(h);
        if (ri == null) {
            return boxes;
        }
        try {
            TessAPI.TessPageIterator pi = api.TessResultIteratorGetPageIterator(ri);
            int level = ITessAPI.TessPageIteratorLevel.RIL_WORD;
            IntBuffer l = IntBuffer.allocate(1);
            IntBuffer t = IntBuffer.allocate(1);
            IntBuffer r = IntBuffer.allocate(1);
            IntBuffer b = IntBuffer.allocate(1);
            do {
                Pointer text = api.TessResultIteratorGetUTF8Text(ri, level);
                if (text == null) {
                    continue;
                }
                int alnum;
                try {
                    alnum = (int) text.getString(0, "UTF-8").codePoints().filter(Character::isLetterOrDigit).count();
                } finally {
                    api.TessDeleteText(text);
                }
                float confidence = api.TessResultIteratorConfidence(ri, level);
                if (alnum >= 2 && confidence >= MIN_CONFIDENCE
                        && api.TessPageIteratorBoundingBox(pi, level, l, t, r, b) == ITessAPI.TRUE) {
                    boxes.add(new OcrEngines.Box(l.get(0), t.get(0), r.get(0) - l.get(0), b.get(0) - t.get(0)));
                }
            } while (api.TessPageIteratorNext(pi, level) == ITessAPI.TRUE);
        } finally {
            api.TessResultIteratorDelete(ri);
        }
        return boxes;
    }
}
