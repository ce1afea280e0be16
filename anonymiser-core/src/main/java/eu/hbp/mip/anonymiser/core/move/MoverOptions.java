package eu.hbp.mip.anonymiser.core.move;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link FileMover} decides that a file in the input folder is ready.
 *
 * @param quietPeriod how long a file's size and modification time must stay unchanged
 *        (or how old its modification time must be) before {@link FileMover#pending()}
 *        offers it; protects files still being copied in. Default 2 seconds.
 * @param skipHidden whether names starting with {@code '.'} (files and folders) are left
 *        alone: {@code rsync}, {@code scp} and editors write partial files under such names.
 *        Default {@code true}. The mover's own work folder {@code .anonymiser} is always skipped.
 */
public record MoverOptions(Duration quietPeriod, boolean skipHidden) {

    public MoverOptions {
        Objects.requireNonNull(quietPeriod, "quietPeriod");
        if (quietPeriod.isNegative()) {
            throw new IllegalArgumentException("quietPeriod must not be negative");
        }
    }

    /** @return a quiet period of 2 seconds, hidden names skipped */
    public static MoverOptions defaults() {
        return new MoverOptions(Duration.ofSeconds(2), true);
    }

    /**
     * @param period the new quiet period
     * @return these options with another quiet period
     */
    public MoverOptions withQuietPeriod(Duration period) {
        return new MoverOptions(period, skipHidden);
    }

    /**
     * @param skip whether hidden names are left alone
     * @return these options with another choice for hidden names
     */
    public MoverOptions withSkipHidden(boolean skip) {
        return new MoverOptions(quietPeriod, skip);
    }
}
