package eu.hbp.mip.anonymiser.dicom.profile;

import eu.hbp.mip.anonymiser.api.ProfileException;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A compiled pixel blanking rule: the device it matches (Manufacturer and
 * ManufacturerModelName patterns, image size) and the rectangles to blank. Immutable.
 *
 * @param name the rule's name, for reports
 * @param manufacturer the pattern the whole Manufacturer must match, or null for any
 * @param model the pattern the whole ManufacturerModelName must match, or null for any
 * @param rows the Rows required, or null for any
 * @param columns the Columns required, or null for any
 * @param rectangles the regions to blank
 */
public record PixelRule(String name, Pattern manufacturer, Pattern model, Integer rows, Integer columns,
                        List<PixelRulesFile.Rectangle> rectangles) {

    public PixelRule {
        rectangles = List.copyOf(rectangles);
    }

    /**
     * @param where the file, for error messages
     * @param file the bound rules file
     * @return the compiled rules, in order
     * @throws ProfileException for a bad pattern or rectangle, naming the rule
     */
    public static List<PixelRule> compile(String where, PixelRulesFile file) {
        return file.rules().stream().map(r -> {
            if (r.name() == null || r.name().isBlank()) {
                throw new ProfileException("pixel rules " + where + ": every rule needs a 'name'");
            }
            for (PixelRulesFile.Rectangle rect : r.rectangles()) {
                if (rect.x() < 0 || rect.y() < 0 || rect.width() <= 0 || rect.height() <= 0) {
                    throw new ProfileException("pixel rules " + where + ": rule '" + r.name()
                            + "': a rectangle needs x, y >= 0 and width, height > 0");
                }
            }
            return new PixelRule(r.name(), pattern(where, r.name(), r.manufacturer()),
                    pattern(where, r.name(), r.model()), r.rows(), r.columns(), r.rectangles());
        }).toList();
    }

    private static Pattern pattern(String where, String rule, String regex) {
        if (regex == null) {
            return null;
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new ProfileException("pixel rules " + where + ": rule '" + rule + "': pattern is not a valid"
                    + " regular expression (" + e.getDescription() + ")", e);
        }
    }

    /**
     * @return whether this rule applies to an image of that device and size
     */
    public boolean matches(String manufacturerValue, String modelValue, int rowsValue, int columnsValue) {
        return (manufacturer == null || manufacturer.matcher(manufacturerValue).matches())
                && (model == null || model.matcher(modelValue).matches())
                && (rows == null || rows == rowsValue)
                && (columns == null || columns == columnsValue);
    }
}
