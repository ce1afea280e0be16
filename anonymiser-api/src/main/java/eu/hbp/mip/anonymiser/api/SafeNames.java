package eu.hbp.mip.anonymiser.api;

import java.util.regex.Pattern;

/** The grammar of output names, apart so that it stays out of the public surface. */
final class SafeNames {

    /** Segments of {@code [A-Za-z0-9._-]}, none starting with a dot (so no "." or ".." and no hidden file). */
    static final Pattern PATTERN = Pattern.compile(
            "[A-Za-z0-9_\\-][A-Za-z0-9._\\-]*(/[A-Za-z0-9_\\-][A-Za-z0-9._\\-]*)*");

    private SafeNames() {
    }
}
