package vn.ndx.audit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of audit, checked at start.
 *
 * @param maxRangeDays   the longest range of days one statistics query may ask for
 * @param maxRangeMonths the longest range of months one monthly query may ask for
 * @param retention      how long the detailed log is kept
 * @param history        totals from before the platform, loaded at first start
 * @param citizen        what citizens' data-access reports leave out
 */
@ConfigurationProperties(AuditProperties.PREFIX)
public record AuditProperties(int maxRangeDays, int maxRangeMonths, Retention retention, History history,
                              Citizen citizen) {

    public static final String PREFIX = "ndx.audit";

    public AuditProperties {
        if (maxRangeDays < 1) {
            throw new IllegalArgumentException(PREFIX + ".max-range-days must be positive");
        }
        if (maxRangeMonths < 1) {
            throw new IllegalArgumentException(PREFIX + ".max-range-months must be positive");
        }
        Objects.requireNonNull(retention, PREFIX + ".retention must be set");
        Objects.requireNonNull(history, PREFIX + ".history must be set");
        citizen = citizen == null ? new Citizen(List.of()) : citizen;
    }

    /**
     * @param exemptAgencies agencies (each with its whole subtree) whose use of a citizen's data the law exempts
     *                       from the citizen's report, for example security agencies; set by the platform's
     *                       administrators in the deployment (docs/citizen.md). Their transactions stay in
     *                       the log and in the statistics like any other.
     */
    public record Citizen(List<String> exemptAgencies) {
        public Citizen {
            exemptAgencies = exemptAgencies == null ? List.of() : List.copyOf(exemptAgencies);
            exemptAgencies.forEach(code -> {
                if (code == null || !code.matches("\\d{3}\\.\\d{2}\\.\\d{2}\\.[A-Z]\\d{2}")) {
                    throw new IllegalArgumentException(PREFIX + ".citizen.exempt-agencies: " + code + " is not an agency code");
                }
            });
        }
    }

    /**
     * @param logDays    calendar days the detailed log (one row per transaction) is kept; totals are kept forever
     * @param checkEvery how often expired log entries are looked for
     */
    public record Retention(int logDays, Duration checkEvery) {
        public Retention {
            if (logDays < 1) {
                throw new IllegalArgumentException(PREFIX + ".retention.log-days must be positive");
            }
            if (checkEvery == null || checkEvery.isNegative() || checkEvery.isZero()) {
                throw new IllegalArgumentException(PREFIX + ".retention.check-every must be a positive duration");
            }
        }
    }

    /**
     * @param seed a CSV resource of daily or monthly totals imported once, at the first start of an empty
     *             database (for example {@code classpath:history/ndxp.csv}); empty for none
     */
    public record History(@Nullable String seed) {
    }
}
