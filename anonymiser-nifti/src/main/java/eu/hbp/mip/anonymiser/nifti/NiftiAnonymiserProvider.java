package eu.hbp.mip.anonymiser.nifti;

import eu.hbp.mip.anonymiser.api.Anonymiser;
import eu.hbp.mip.anonymiser.api.AnonymiserContext;
import eu.hbp.mip.anonymiser.api.Bucket;
import eu.hbp.mip.anonymiser.api.Outcome;
import eu.hbp.mip.anonymiser.api.ProfileException;
import eu.hbp.mip.anonymiser.api.ProviderException;
import eu.hbp.mip.anonymiser.api.spi.AnonymiserProvider;
import eu.hbp.mip.anonymiser.api.spi.Recognition;
import eu.hbp.mip.anonymiser.core.profile.ProfileFiles;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * The NIfTI format: NIfTI-1/2 images and their JSON sidecars, anonymised under the one
 * profile of {@code scripts/nifti/} (see {@code docs/nifti.md}); outputs under
 * {@code NIFTI/}, rejections in {@code quarantine/nifti}.
 *
 * <p>Recognition: a file whose first bytes (inflated first, when gzip) are a NIfTI-1 or
 * NIfTI-2 header (sizeof_hdr 348 or 540 in either byte order, and its magic) is
 * {@link Recognition#BY_CONTENT}; a {@code *.json} file that starts with an object is
 * {@link Recognition#BY_CONTENT} too (a sidecar); a file named {@code *.nii}, {@code *.nii.gz},
 * {@code *.hdr}, {@code *.img} (or {@code .gz}) is {@link Recognition#BY_NAME}, so that a broken
 * image is quarantined here, with a reason, rather than as unrecognised.
 *
 * <p>Option {@value #MAX_IMAGE_BYTES}: the hard bound of one image's data, in bytes (default
 * {@value #DEFAULT_MAX_IMAGE_BYTES}). Stateless and thread-safe; the anonymisers it creates
 * are thread-safe too.
 */
public final class NiftiAnonymiserProvider implements AnonymiserProvider {

    /** The option bounding one image's data, in bytes. */
    public static final String MAX_IMAGE_BYTES = "nifti.max-image-bytes";
    /** 16 GiB. */
    public static final long DEFAULT_MAX_IMAGE_BYTES = 16L << 30;

    private static final Bucket BUCKET = Bucket.of("nifti");
    private static final String SAMPLE = "dcm2niix-bids.yaml";

    /** For ServiceLoader. */
    public NiftiAnonymiserProvider() {
    }

    @Override
    public String name() {
        return "nifti";
    }

    @Override
    public Bucket bucket() {
        return BUCKET;
    }

    /** Outputs are {@code NIFTI/<yyyy>/<yyyyMMdd>/<scan>/<scan>.nii[.gz]} and {@code <scan>.json}. */
    @Override
    public String outputRoot() {
        return "NIFTI";
    }

    @Override
    public Set<String> options() {
        return Set.of(MAX_IMAGE_BYTES);
    }

    @Override
    public Recognition recognise(String fileName, ByteBuffer head) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        byte[] bytes = new byte[head.remaining()];
        head.duplicate().get(bytes);
        if (lower.endsWith(".json")) {
            for (byte b : bytes) {
                if (b == '{') {
                    return Recognition.BY_CONTENT;
                }
                if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                    break;
                }
            }
            return Recognition.NO;
        }
        byte[] plain = bytes.length >= 2 && (bytes[0] & 0xFF) == 0x1F && (bytes[1] & 0xFF) == 0x8B
                ? inflateHead(bytes) : bytes;
        if (isHeader(plain)) {
            return Recognition.BY_CONTENT;
        }
        for (String s : List.of(".nii", ".nii.gz", ".hdr", ".hdr.gz", ".img", ".img.gz")) {
            if (lower.endsWith(s) && lower.length() > s.length()) {
                return Recognition.BY_NAME;
            }
        }
        return Recognition.NO;
    }

    private static boolean isHeader(byte[] b) {
        int size = NiftiHeader.sizeOf(ByteBuffer.wrap(b));
        if (size == NiftiHeader.SIZE_1) {
            return b.length >= 348 && (b[344] == 'n' && (b[345] == '+' || b[345] == 'i') && b[346] == '1' && b[347] == 0);
        }
        if (size == NiftiHeader.SIZE_2) {
            return b.length >= 8 && b[4] == 'n' && (b[5] == '+' || b[5] == 'i') && b[6] == '2' && b[7] == 0;
        }
        return false;
    }

    /** @return up to 348 inflated bytes of a gzip head, as many as the head gives */
    private static byte[] inflateHead(byte[] gz) {
        byte[] out = new byte[NiftiHeader.SIZE_1];
        int n = 0;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz), 512)) {
            while (n < out.length) {
                int r = in.read(out, n, out.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (IOException e) {
            // the head ends inside the stream, or it is not gzip: judge by what was inflated
        }
        return java.util.Arrays.copyOf(out, n);
    }

    @Override
    public Map<String, String> sampleProfiles() {
        try (InputStream in = NiftiAnonymiserProvider.class.getResourceAsStream("samples/" + SAMPLE)) {
            if (in == null) {
                throw new ProviderException("sample profile " + SAMPLE + " is missing from the nifti jar; rebuild it");
            }
            return Map.of(SAMPLE, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ProviderException("sample profile " + SAMPLE + " cannot be read from the nifti jar; rebuild it", e);
        }
    }

    /**
     * Loads the one profile ({@code *.yaml}, {@code *.yml}) of {@code context.profiles()}.
     * With none, the anonymiser rejects every file ({@code nifti-no-profile}).
     *
     * @throws ProfileException if the profile is invalid, if there are several, or if the
     *         option {@value #MAX_IMAGE_BYTES} is not a positive whole number
     */
    @Override
    public Anonymiser create(AnonymiserContext context) {
        long max = DEFAULT_MAX_IMAGE_BYTES;
        String opt = context.options().get(MAX_IMAGE_BYTES);
        if (opt != null) {
            try {
                max = Long.parseLong(opt.strip());
            } catch (NumberFormatException e) {
                max = -1;
            }
            if (max <= 0) {
                throw new ProfileException("option " + MAX_IMAGE_BYTES + " must be a positive whole number of bytes");
            }
        }
        ProfileFiles files = new ProfileFiles();
        List<Path> found = files.list(context.profiles());
        if (found.isEmpty()) {
            Path folder = context.profiles();
            return (input, output) -> new Outcome.Rejected("nifti-no-profile", "there is no NIfTI profile in "
                    + folder + "; write one (run init for the sample, see docs/nifti.md)", BUCKET);
        }
        if (found.size() > 1) {
            throw new ProfileException("profiles folder " + context.profiles() + " holds " + found.size()
                    + " NIfTI profiles; NIfTI uses one profile per site: merge them into one file");
        }
        NiftiProfile profile = NiftiProfile.load(files, found.get(0), context.store());
        return new NiftiAnonymiser(profile, context.store(), context.clock(), max, BUCKET);
    }
}
