package eu.hbp.mip.anonymiser.dicom.profile;

import eu.hbp.mip.anonymiser.api.ProfileException;
import eu.hbp.mip.anonymiser.core.profile.ProfileFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Loads DICOM profiles by name from a profiles folder ({@code scripts/dicom}), falling back
 * to the profiles shipped in this jar ({@link #SHIPPED}) when the folder has no file of that
 * name. Immutable and thread-safe.
 */
public final class DicomProfiles {

    /** The profiles shipped as resources, by name. */
    public static final List<String> SHIPPED = List.of("mip-default", "ps3.15-basic");
    /** The sample pixel rules file shipped with the profiles. */
    public static final String SAMPLE_PIXEL_RULES = "pixel-rules.yaml";

    private static final Pattern RULES = Pattern.compile("rules\\s*:");
    private static final Pattern RULE_ITEM = Pattern.compile("\\s*-\\s*(\\{\\s*)?[\"']?(tags|action)[\"']?\\s*:");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final ProfileFiles files = new ProfileFiles();
    private final Ps315Table table;

    /** @param table the PS3.15 table */
    public DicomProfiles(Ps315Table table) {
        this.table = table;
    }

    /**
     * @return the shipped profiles and sample pixel rules: file name to content
     */
    public static Map<String, String> samples() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : SHIPPED) {
            out.put(n + ".yaml", resource(n + ".yaml"));
        }
        out.put(SAMPLE_PIXEL_RULES, resource(SAMPLE_PIXEL_RULES));
        return out;
    }

    private static String resource(String name) {
        try (InputStream in = DicomProfiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the anonymiser-dicom jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + name, e);
        }
    }

    /**
     * Loads a profile.
     *
     * @param folder the profiles folder
     * @param name the profile name (file {@code <name>.yaml})
     * @return the compiled profile
     * @throws ProfileException if it is missing or invalid, naming the file and the fix
     */
    public DicomProfile load(Path folder, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new ProfileException("DICOM profile name must be letters, digits, '.', '_' or '-'"
                    + " (the file name without .yaml)");
        }
        Path file = folder.resolve(name + ".yaml");
        if (Files.isRegularFile(file)) {
            return load(folder, file, name);
        }
        if (!SHIPPED.contains(name)) {
            throw new ProfileException("DICOM profile '" + name + "' not found: expected " + file
                    + " (shipped profiles: " + SHIPPED + ")");
        }
        try {
            Path tmp = Files.createTempFile("mip-" + name, ".yaml");
            try {
                Files.writeString(tmp, resource(name + ".yaml"));
                return compile(folder, tmp, name, files.load(tmp, ProfileFile.class), "shipped " + name + ".yaml");
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the shipped profile " + name, e);
        }
    }

    private DicomProfile load(Path folder, Path file, String name) {
        return compile(folder, file, name, files.load(file, ProfileFile.class), file.toString());
    }

    private DicomProfile compile(Path folder, Path file, String name, ProfileFile bound, String where) {
        List<PixelRule> rules = new ArrayList<>();
        if (bound.pixel() != null && bound.pixel().rules() != null) {
            for (String r : bound.pixel().rules()) {
                if (!NAME.matcher(r).matches()) {
                    throw new ProfileException("profile " + where + ": pixel rules file '" + r
                            + "' must be a file name in the same folder");
                }
                Path rf = folder.resolve(r);
                if (!Files.isRegularFile(rf)) {
                    throw new ProfileException("profile " + where + ": pixel rules file " + rf
                            + " not found; create it or remove it from pixel.rules");
                }
                rules.addAll(PixelRule.compile(rf.toString(), files.load(rf, PixelRulesFile.class)));
            }
        }
        if (bound.pixel() != null && bound.pixel().blank() && rules.isEmpty()) {
            throw new ProfileException("profile " + where + ": pixel.blank is true but no pixel rules are listed;"
                    + " list a rules file in pixel.rules (every image would be rejected otherwise)");
        }
        int count = bound.rules() == null ? 0 : bound.rules().size();
        return DicomProfile.compile(name, where, bound, table, rules, ruleLines(file, count));
    }

    /**
     * The line of each rule in the profile file: the block-style items ({@code - tags: ...}) after
     * {@code rules:}; empty when they cannot be told apart so (flow style, or the file unreadable).
     */
    private static List<Integer> ruleLines(Path file, int count) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
        List<Integer> at = new ArrayList<>();
        boolean inRules = false;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (!l.isEmpty() && !Character.isWhitespace(l.charAt(0)) && !l.startsWith("#") && !l.startsWith("-")) {
                inRules = RULES.matcher(l).lookingAt();
            } else if (inRules && RULE_ITEM.matcher(l).lookingAt()) {
                at.add(i + 1);
            }
        }
        return at.size() == count ? at : List.of();
    }
}
