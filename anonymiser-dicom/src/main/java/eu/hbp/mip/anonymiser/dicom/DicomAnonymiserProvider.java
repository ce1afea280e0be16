package eu.hbp.mip.anonymiser.dicom;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.Bucket;
import eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider;
import eu.hbp.mip.anonymiser.api.spi.Recognition;
import eu.hbp.mip.anonymiser.dicom.codec.DicomReader;
import eu.hbp.mip.anonymiser.dicom.profile.DicomProfile;
import eu.hbp.mip.anonymiser.dicom.profile.DicomProfiles;
import eu.hbp.mip.anonymiser.dicom.profile.Ps315Table;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;

/**
 * Provides the DICOM anonymiser ({@code dicom}). Recognises Part 10 files ({@code DICM} at
 * offset 128) and raw data sets (the codec's sniffing), both by content.
 *
 * <p>Options read from the {@link AnonymiserContext}:
 * <ul>
 *   <li>{@code dicom.profile}: the profile's name, the file {@code <name>.yaml} in the profiles
 *       folder (default {@code mip-default}; a shipped profile is used when the folder has no file
 *       of that name);</li>
 *   <li>{@code dicom.admit-secondary}: {@code true} admits images whose ImageType the profile
 *       does not admit (the MIP's explicit second step);</li>
 *   <li>{@code dicom.ocr}: {@code on} (default) or {@code off}: the burned-in text check (OCR with
 *       Tesseract) of the images the profile's {@code ocr} policy names; when on and the policy
 *       names any image, a site without Tesseract is refused when the anonymiser is created;</li>
 *   <li>{@code dicom.ocr-data}: Tesseract's tessdata folder (default {@code TESSDATA_PREFIX},
 *       else {@code /usr/share/tesseract-ocr/5/tessdata} and the other Debian folders).</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class DicomAnonymiserProvider implements AnonymiserProvider {

    /** The option naming the profile. */
    public static final String PROFILE_OPTION = "dicom.profile";
    /** The default profile. */
    public static final String DEFAULT_PROFILE = "mip-default";
    /** The quarantine bucket of DICOM rejections. */
    static final Bucket BUCKET = Bucket.of("dicom");

    @Override
    public String name() {
        return "dicom";
    }

    @Override
    public Bucket bucket() {
        return BUCKET;
    }

    /** Outputs are {@code DICOM/<yyyy>/<yyyyMMdd>/<scan_research_id>/<series>/<NNNNN>.dcm}. */
    @Override
    public String outputRoot() {
        return "DICOM";
    }

    @Override
    public Set<String> options() {
        return Set.of(PROFILE_OPTION, DicomAnonymiser.ADMIT_SECONDARY, OcrEngines.OCR_OPTION, OcrEngines.DATA_OPTION);
    }

    @Override
    public Recognition recognise(String fileName, ByteBuffer head) {
        ByteBuffer h = head.duplicate();
        if (h.remaining() >= 132 && h.get(h.position() + 128) == 'D' && h.get(h.position() + 129) == 'I'
                && h.get(h.position() + 130) == 'C' && h.get(h.position() + 131) == 'M') {
            return Recognition.BY_CONTENT;
        }
        return DicomReader.looksLikeDicom(h) ? Recognition.BY_CONTENT : Recognition.NO;
    }

    @Override
    public Map<String, String> sampleProfiles() {
        return DicomProfiles.samples();
    }

    /**
     * {@inheritDoc}
     *
     * @throws eu.hbp.mip.anonymiser.api.ProviderException when the profile's burned-in text check
     *         reads some images and Tesseract or its English language data is missing, naming the
     *         Debian packages to install ({@code tesseract-ocr tesseract-ocr-eng}) or the option
     *         that switches the check off ({@code dicom.ocr=off})
     */
    @Override
    public Anonymiser create(AnonymiserContext context) {
        Ps315Table table = Ps315Table.load();
        String name = context.options().getOrDefault(PROFILE_OPTION, DEFAULT_PROFILE);
        DicomProfile profile = new DicomProfiles(table).load(context.profiles(), name);
        OcrEngines.Engine engine = profile.ocr().off() ? null : OcrEngines.fromOptions(context.options());
        return new DicomAnonymiser(profile, table, context, engine == null ? null : new BurnedInTextCheck(engine));
    }
}
