package vn.ndx.audit.stats;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Totals per calendar day over a range, days without transactions included as zero. */
@Component
class DailyTotals {

    record Day(LocalDate date, long total) {
    }

    private final JdbcTemplate jdbc;

    DailyTotals(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<Day> between(LocalDate from, LocalDate to) {
        Map<LocalDate, Long> totals = new HashMap<>();
        jdbc.query("SELECT calendar_day, SUM(total) FROM daily_counts WHERE calendar_day BETWEEN ? AND ? GROUP BY calendar_day",
                row -> {
                    totals.put(row.getDate(1).toLocalDate(), row.getLong(2));
                }, Date.valueOf(from), Date.valueOf(to));
        var days = new ArrayList<Day>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            days.add(new Day(day, totals.getOrDefault(day, 0L)));
        }
        return days;
    }
}
