package vn.ndx.audit.stats;

import java.sql.Date;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import vn.ndx.audit.DayRange;
import vn.ndx.audit.export.CsvTable;

/**
 * Totals over a range grouped by one dimension, largest first, optionally narrowed by the others and cut
 * to the top N. Only what the platform counted: imported history has no agencies or services.
 */
@Component
class Breakdowns {

    /** Equality filters; null means any. */
    record Filters(@Nullable String kind, @Nullable String outcome, @Nullable String consumerAgency,
                   @Nullable String providerAgency, @Nullable String service) {
    }

    /** Rows as JSON objects (the dimension's fields, then {@code total}), or CSV with the same columns. */
    record Breakdown(List<String> header, @JsonValue List<Map<String, @Nullable Object>> rows) implements CsvTable {
        @Override
        public List<String> csvHeader() {
            return header;
        }

        @Override
        public List<List<?>> csvRows() {
            return rows.stream().<List<?>>map(row -> new ArrayList<>(row.values())).toList();
        }
    }

    private final JdbcTemplate jdbc;

    Breakdowns(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Breakdown by(Dimension dimension, DayRange range, Filters filters, @Nullable Integer top) {
        String columns = String.join(", ", dimension.columns);
        var sql = new StringBuilder("SELECT ").append(columns).append(", SUM(total) AS total FROM daily_counts WHERE calendar_day BETWEEN ? AND ?");
        var arguments = new ArrayList<Object>(List.of(Date.valueOf(range.from()), Date.valueOf(range.to())));
        filter(sql, arguments, "kind", filters.kind());
        filter(sql, arguments, "outcome", filters.outcome());
        filter(sql, arguments, "consumer_agency", filters.consumerAgency());
        filter(sql, arguments, "provider_agency", filters.providerAgency());
        filter(sql, arguments, "service", filters.service());
        sql.append(" GROUP BY ").append(columns).append(" ORDER BY total DESC, ").append(columns);
        if (top != null) {
            sql.append(" FETCH FIRST ? ROWS ONLY");
            arguments.add(top);
        }
        List<Map<String, @Nullable Object>> rows = jdbc.query(sql.toString(), (row, n) -> {
            var item = new LinkedHashMap<String, @Nullable Object>();
            for (int i = 0; i < dimension.fields.size(); i++) {
                String value = row.getString(i + 1);
                item.put(dimension.fields.get(i), value.isEmpty() ? null : value); // '' stands for a party never known
            }
            item.put("total", row.getLong("total"));
            return item;
        }, arguments.toArray());
        var header = new ArrayList<>(dimension.fields);
        header.add("total");
        return new Breakdown(header, rows);
    }

    private static void filter(StringBuilder sql, List<Object> arguments, String column, @Nullable String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            arguments.add(value);
        }
    }
}
