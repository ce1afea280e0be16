package eu.hbp.mip.anonymiser.core.profile;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import eu.hbp.mip.anonymiser.api.ProfileException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Binds YAML profile files strictly: an unknown key, a missing required value, a
 * value of the wrong type or a duplicate key fails with a {@link ProfileException}
 * that names the file, the line and column, and what was expected. Profile
 * classes are records (or classes Jackson can build); validation beyond types
 * belongs to the caller, which reports with {@link #error}.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * ProfileFiles files = new ProfileFiles();
 * MyProfile p = files.load(Path.of("scripts/csv/visits.yaml"), MyProfile.class);
 * }</pre>
 */
public final class ProfileFiles {

    private final ObjectMapper mapper;

    /** A strict YAML binder. */
    public ProfileFiles() {
        this.mapper = YAMLMapper.builder(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
    }

    /**
     * Reads and binds one profile file.
     *
     * @param file a YAML file
     * @param type the profile type
     * @return the bound profile
     * @throws ProfileException naming the file, line, column and the fix
     */
    public <T> T load(Path file, Class<T> type) {
        try {
            return mapper.readValue(file.toFile(), type);
        } catch (UnrecognizedPropertyException e) {
            throw error(file, e.getLocation(), "unknown key '" + e.getPropertyName() + "'; expected one of "
                    + e.getKnownPropertyIds() + " (check the spelling and indentation)");
        } catch (JsonProcessingException e) {
            throw error(file, e.getLocation(), e.getOriginalMessage().replaceAll("\\s+", " "));
        } catch (IOException e) {
            throw new ProfileException("profile " + file + ": cannot be read (" + e.getClass().getSimpleName()
                    + "); check that it exists and is readable", e);
        }
    }

    /**
     * Lists the profile files ({@code *.yaml}, {@code *.yml}) of a folder, sorted by name.
     *
     * @param folder a profiles folder
     * @return the files; empty if the folder is missing
     * @throws ProfileException if the folder exists but cannot be listed
     */
    public List<Path> list(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> found = new ArrayList<>();
            files.filter(p -> {
                String n = p.getFileName().toString();
                return (n.endsWith(".yaml") || n.endsWith(".yml")) && !n.startsWith(".");
            }).sorted().forEach(found::add);
            return found;
        } catch (IOException e) {
            throw new ProfileException("profiles folder " + folder + ": cannot be listed; check its permissions", e);
        }
    }

    /**
     * A profile error at a place in a file.
     *
     * @param file the profile file
     * @param location where in it (may be null)
     * @param what what is wrong and what was expected
     * @return the exception to throw
     */
    public static ProfileException error(Path file, JsonLocation location, String what) {
        String where = location == null || location.getLineNr() < 0
                ? file.toString()
                : file + ":" + location.getLineNr() + ":" + location.getColumnNr();
        return new ProfileException("profile " + where + ": " + what);
    }

    /** @return a JSON mapper with the same strictness, for tables committed as JSON */
    public static ObjectMapper strictJson() {
        return JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    }
}
