package vn.ndx.audit.stats;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import vn.ndx.audit.DayRange;
import vn.ndx.audit.export.CsvTable;

/**
 * Totals per calendar day over a range, days without transactions included as zero. A day's total adds
 * what the platform counted and what was imported for that day from before the platform.
 */
@Component
class DailyTotals {

    /** @param imported whether the total includes an imported figure */
    record Day(LocalDate date, long total, boolean imported) {
    }

    /** A JSON array of days (as the first clients read it), or CSV. */
    record Days(@JsonValue List<Day> days) implements CsvTable {
        @Override
        public List<String> csvHeader() {
            return List.of("date", "total", "imported");
        }

        @Override
        public List<List<?>> csvRows() {
            return days.stream().<List<?>>map(day -> List.of(day.date(), day.total(), day.imported())).toList();
        }
    }

    private final JdbcTemplate jdbc;

    DailyTotals(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Days between(DayRange range) {
        Map<LocalDate, Long> counted = new HashMap<>();
        jdbc.query("SELECT calendar_day, SUM(total) FROM daily_counts WHERE calendar_day BETWEEN ? AND ? GROUP BY calendar_day",
                row -> {
                    counted.put(row.getDate(1).toLocalDate(), row.getLong(2));
                }, Date.valueOf(range.from()), Date.valueOf(range.to()));
        Map<LocalDate, Long> imported = new HashMap<>();
        jdbc.query("SELECT first_day, total FROM imported_totals WHERE first_day = last_day AND first_day BETWEEN ? AND ?",
                row -> {
                    imported.put(row.getDate(1).toLocalDate(), row.getLong(2));
                }, Date.valueOf(range.from()), Date.valueOf(range.to()));
        var days = new ArrayList<Day>();
        for (LocalDate day = range.from(); !day.isAfter(range.to()); day = day.plusDays(1)) {
            days.add(new Day(day, counted.getOrDefault(day, 0L) + imported.getOrDefault(day, 0L), imported.containsKey(day)));
        }
        return new Days(days);
    }
}
