package vn.ndx.audit.silence;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Consumer systems whose calls in the last {@link #RECENT} fell below a tenth of their usual rate for this
 * hour. "Usual" is the alert's signal (deploy/prometheus/rules, NdxAgencyTrafficStopped), per system instead of
 * per agency: at least {@code minPerHour} calls in the hour up to this time yesterday and in the hour up to
 * this time a week ago, the smaller of the two taken, so a quiet night or weekend raises nothing.
 */
@Component
class SilentSystems {

    static final Duration RECENT = Duration.ofMinutes(15);

    /** A system gone quiet: its usual calls an hour (the smaller of yesterday's and last week's) and its recent ones. */
    record Silent(String consumerAgency, String consumerSystem, long usualPerHour, long lastQuarterHour) {
    }

    private static final String QUERY = """
            SELECT consumer_agency, consumer_system, LEAST(yesterday, week_ago) AS usual, recent FROM (
              SELECT consumer_agency, consumer_system,
                     COUNT(*) FILTER (WHERE started_at >= ? AND started_at < ?) AS yesterday,
                     COUNT(*) FILTER (WHERE started_at >= ? AND started_at < ?) AS week_ago,
                     COUNT(*) FILTER (WHERE started_at >= ?) AS recent
              FROM transaction_log
              WHERE consumer_agency IS NOT NULL AND consumer_system IS NOT NULL
                AND ((started_at >= ? AND started_at < ?) OR (started_at >= ? AND started_at < ?) OR started_at >= ?)
              GROUP BY consumer_agency, consumer_system) counts
            WHERE yesterday >= ? AND week_ago >= ? AND recent * 40 < LEAST(yesterday, week_ago)
            ORDER BY LEAST(yesterday, week_ago) DESC, consumer_agency, consumer_system""";

    private final JdbcTemplate jdbc;

    SilentSystems(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The systems silent at {@code now}, the busiest usually first. */
    List<Silent> at(Instant now, int minPerHour) {
        var yesterday = now.minus(Duration.ofDays(1));
        var weekAgo = now.minus(Duration.ofDays(7));
        Object[] window = {at(yesterday.minus(Duration.ofHours(1))), at(yesterday), at(weekAgo.minus(Duration.ofHours(1))), at(weekAgo)};
        var recent = at(now.minus(RECENT));
        return jdbc.query(QUERY, (row, n) -> new Silent(row.getString(1), row.getString(2), row.getLong(3), row.getLong(4)),
                window[0], window[1], window[2], window[3], recent, window[0], window[1], window[2], window[3], recent,
                minPerHour, minPerHour);
    }

    private static Object at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
