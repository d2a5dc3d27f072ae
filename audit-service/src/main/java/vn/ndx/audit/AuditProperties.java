package vn.ndx.audit;

import java.nio.file.Path;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of audit, checked at start.
 *
 * @param dataDir     where the embedded database lives
 * @param maxRangeDays the longest range of days one statistics query may ask for
 */
@ConfigurationProperties(AuditProperties.PREFIX)
public record AuditProperties(Path dataDir, int maxRangeDays) {

    public static final String PREFIX = "ndx.audit";

    public AuditProperties {
        Objects.requireNonNull(dataDir, PREFIX + ".data-dir must be set");
        if (maxRangeDays < 1) {
            throw new IllegalArgumentException(PREFIX + ".max-range-days must be positive");
        }
    }
}
