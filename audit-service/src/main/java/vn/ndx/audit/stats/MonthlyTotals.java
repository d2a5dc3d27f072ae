package vn.ndx.audit.stats;

import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import vn.ndx.audit.export.CsvTable;

/**
 * Totals per calendar month: what the platform counted on the month's days, plus what was imported for
 * the month or for days in it.
 */
@Component
class MonthlyTotals {

    /** @param imported whether the total includes an imported figure */
    record Month(YearMonth month, long total, boolean imported) {
    }

    record Months(@JsonValue List<Month> months) implements CsvTable {
        @Override
        public List<String> csvHeader() {
            return List.of("month", "total", "imported");
        }

        @Override
        public List<List<?>> csvRows() {
            return months.stream().<List<?>>map(month -> List.of(month.month(), month.total(), month.imported())).toList();
        }
    }

    /** A period's counted and imported parts, and when the imported figure was taken, if it says. */
    record Parts(long counted, long imported, boolean hasImported, @Nullable Instant importedAsOf) {
        long total() {
            return counted + imported;
        }
    }

    private final JdbcTemplate jdbc;

    MonthlyTotals(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Months between(YearMonth from, YearMonth to) {
        Map<YearMonth, Long> counted = new HashMap<>();
        jdbc.query("""
                        SELECT EXTRACT(YEAR FROM calendar_day), EXTRACT(MONTH FROM calendar_day), SUM(total) FROM daily_counts
                        WHERE calendar_day BETWEEN ? AND ? GROUP BY EXTRACT(YEAR FROM calendar_day), EXTRACT(MONTH FROM calendar_day)""",
                row -> {
                    counted.put(YearMonth.of(row.getInt(1), row.getInt(2)), row.getLong(3));
                }, Date.valueOf(from.atDay(1)), Date.valueOf(to.atEndOfMonth()));
        Map<YearMonth, Long> imported = new HashMap<>();
        jdbc.query("SELECT first_day, total FROM imported_totals WHERE first_day BETWEEN ? AND ?", row -> {
            imported.merge(YearMonth.from(row.getDate(1).toLocalDate()), row.getLong(2), Long::sum);
        }, Date.valueOf(from.atDay(1)), Date.valueOf(to.atEndOfMonth()));
        var months = new ArrayList<Month>();
        for (YearMonth month = from; !month.isAfter(to); month = month.plusMonths(1)) {
            months.add(new Month(month, counted.getOrDefault(month, 0L) + imported.getOrDefault(month, 0L), imported.containsKey(month)));
        }
        return new Months(months);
    }

    /** The parts of the days {@code from} to {@code to}: imported figures count when their whole period lies inside. */
    Parts of(LocalDate from, LocalDate to) {
        Long counted = jdbc.queryForObject("SELECT COALESCE(SUM(total), 0) FROM daily_counts WHERE calendar_day BETWEEN ? AND ?",
                Long.class, Date.valueOf(from), Date.valueOf(to));
        long[] imported = {0};
        boolean[] hasImported = {false};
        Instant[] asOf = {null};
        jdbc.query("SELECT total, as_of FROM imported_totals WHERE first_day >= ? AND last_day <= ?", row -> {
            imported[0] += row.getLong(1);
            hasImported[0] = true;
            OffsetDateTime at = row.getObject(2, OffsetDateTime.class);
            if (at != null && (asOf[0] == null || at.toInstant().isAfter(asOf[0]))) {
                asOf[0] = at.toInstant();
            }
        }, Date.valueOf(from), Date.valueOf(to));
        return new Parts(counted == null ? 0 : counted, imported[0], hasImported[0], asOf[0]);
    }
}
