package vn.ndx.audit.chain;

import java.sql.Date;
import java.time.LocalDate;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import vn.ndx.audit.DayRange;
import vn.ndx.audit.export.CsvTable;

/** The days of counting, each with the part of the chain linked that day and its root. */
@Component
public class ChainDays {

    /**
     * @param root   the hash of the day's last entry: it covers every entry linked that day and before
     * @param pruned whether retention has removed the day's entries (the root stays)
     */
    public record Day(LocalDate date, long firstSeq, long lastSeq, long entries, String root, boolean pruned) {
    }

    record Roots(@JsonValue List<Day> days) implements CsvTable {
        @Override
        public List<String> csvHeader() {
            return List.of("date", "firstSeq", "lastSeq", "entries", "root", "pruned");
        }

        @Override
        public List<List<?>> csvRows() {
            return days.stream().<List<?>>map(d -> List.of(d.date(), d.firstSeq(), d.lastSeq(), d.entries(), d.root(), d.pruned())).toList();
        }
    }

    private static final String COLUMNS = "chain_day, first_seq, last_seq, last_seq - first_seq + 1, root, pruned";

    private final JdbcTemplate jdbc;

    ChainDays(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<Day> between(LocalDate from, LocalDate to) {
        return jdbc.query("SELECT " + COLUMNS + " FROM chain_days WHERE chain_day BETWEEN ? AND ? ORDER BY chain_day",
                (row, n) -> read(row), Date.valueOf(from), Date.valueOf(to));
    }

    Roots roots(DayRange range) {
        return new Roots(between(range.from(), range.to()));
    }

    /** The last day of counting before {@code day}, if any. */
    @Nullable Day before(LocalDate day) {
        List<Day> days = jdbc.query("SELECT " + COLUMNS + " FROM chain_days WHERE chain_day < ? ORDER BY chain_day DESC FETCH FIRST 1 ROW ONLY",
                (row, n) -> read(row), Date.valueOf(day));
        return days.isEmpty() ? null : days.get(0);
    }

    /** Records that a day's entries are gone; its root remains the anchor of the next day. */
    public void markPruned(LocalDate day) {
        jdbc.update("UPDATE chain_days SET pruned = TRUE WHERE chain_day = ?", Date.valueOf(day));
    }

    private static Day read(java.sql.ResultSet row) throws java.sql.SQLException {
        return new Day(row.getDate(1).toLocalDate(), row.getLong(2), row.getLong(3), row.getLong(4), row.getString(5), row.getBoolean(6));
    }
}
