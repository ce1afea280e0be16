package eu.hbp.mip.anonymiser.pipeline;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one run of a {@link Pipeline} did. Holds counts and reason codes only,
 * never a file name from {@code in/} (it may hold a patient's name).
 *
 * @param files inputs this runner took (claimed) and finished
 * @param bytes their total size
 * @param anonymised inputs published into {@code out/}
 * @param outputs files published into {@code out/}
 * @param quarantined quarantined inputs by reason code, such as {@code unrecognised}
 * @param failed inputs given back to {@code in/} because the machine failed (disk, store)
 * @param elapsed wall-clock time of the run
 */
public record RunSummary(long files, long bytes, long anonymised, long outputs, Map<String, Long> quarantined,
                         long failed, Duration elapsed) {

    public RunSummary {
        quarantined = Map.copyOf(new TreeMap<>(quarantined));
    }

    /** @return the number of quarantined inputs, all reasons together */
    public long quarantinedTotal() {
        return quarantined.values().stream().mapToLong(Long::longValue).sum();
    }

    /** @return the summary as the runner prints it at the end, several lines */
    public String describe() {
        double seconds = Math.max(1e-3, elapsed.toMillis() / 1000.0);
        double mb = bytes / 1e6;
        StringBuilder s = new StringBuilder();
        s.append(String.format(java.util.Locale.ROOT,
                "files: %d (%.1f MB) in %.1f s, %.1f files/s, %.1f MB/s%n", files, mb, seconds,
                files / seconds, mb / seconds));
        s.append("anonymised: ").append(anonymised).append(" (").append(outputs).append(" output files)")
                .append(System.lineSeparator());
        s.append("quarantined: ").append(quarantinedTotal());
        if (!quarantined.isEmpty()) {
            s.append(" (");
            s.append(String.join(", ", new TreeMap<>(quarantined).entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList()));
            s.append(")");
        }
        s.append(System.lineSeparator());
        if (failed > 0) {
            s.append("failed (left in in/): ").append(failed).append(System.lineSeparator());
        }
        return s.toString();
    }
}
