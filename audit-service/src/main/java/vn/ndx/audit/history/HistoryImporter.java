package vn.ndx.audit.history;

import java.io.IOException;
import java.io.Reader;
import java.sql.Date;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;

/**
 * Imports daily or monthly totals from before the platform, so a deployment's statistics start where its
 * predecessor's ended. Imported figures add to totals, are marked imported wherever they show, and never
 * enter the hash chain (they were not seen here). All of a file or none of it; a period imported again is
 * replaced, which is how a published figure gets corrected.
 */
@Component
class HistoryImporter {

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
            .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();

    private final JdbcTemplate jdbc;
    private final Clock clock;

    HistoryImporter(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Reads {@code period,total[,as_of][,source]}, with a header row; says which line is wrong. */
    List<ImportedFigure> parse(Reader csv) {
        var figures = new ArrayList<ImportedFigure>();
        try (var parser = FORMAT.parse(csv)) {
            Map<String, Integer> header = parser.getHeaderMap();
            if (!header.containsKey("period") || !header.containsKey("total")) {
                throw new ProblemException(ProblemCode.BAD_REQUEST, "The CSV needs a header row with period and total (as_of and source optional)");
            }
            for (CSVRecord record : parser) {
                figures.add(figure(record));
            }
        } catch (IOException | java.io.UncheckedIOException | IllegalArgumentException e) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, "Not readable as CSV: " + e.getMessage());
        }
        if (figures.isEmpty()) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, "The CSV holds no figures");
        }
        return figures;
    }

    /**
     * Stores the figures, refusing periods that overlap each other, another imported period, or days the
     * platform counted itself: any of those would count the same transactions twice.
     */
    @Transactional
    int store(List<ImportedFigure> figures) {
        var sorted = new ArrayList<>(figures);
        sorted.sort(Comparator.comparing(ImportedFigure::firstDay));
        var periods = new HashSet<String>();
        for (int i = 0; i < sorted.size(); i++) {
            ImportedFigure figure = sorted.get(i);
            if (!periods.add(figure.period())) {
                throw new ProblemException(ProblemCode.BAD_REQUEST, figure.period() + " appears twice");
            }
            if (i > 0 && !sorted.get(i - 1).lastDay().isBefore(figure.firstDay())) {
                throw new ProblemException(ProblemCode.CONFLICT, sorted.get(i - 1).period() + " and " + figure.period() + " overlap");
            }
        }
        for (ImportedFigure figure : sorted) {
            Long counted = jdbc.queryForObject("SELECT COUNT(*) FROM daily_counts WHERE calendar_day BETWEEN ? AND ?", Long.class,
                    Date.valueOf(figure.firstDay()), Date.valueOf(figure.lastDay()));
            if (counted != null && counted > 0) {
                throw new ProblemException(ProblemCode.CONFLICT, "The platform counted transactions in " + figure.period() + " itself");
            }
            List<String> overlapping = jdbc.queryForList("SELECT period FROM imported_totals WHERE first_day <= ? AND last_day >= ? AND period <> ?",
                    String.class, Date.valueOf(figure.lastDay()), Date.valueOf(figure.firstDay()), figure.period());
            if (!overlapping.isEmpty()) {
                throw new ProblemException(ProblemCode.CONFLICT, figure.period() + " overlaps " + overlapping.get(0) + ", imported before");
            }
        }
        var importedAt = clock.instant().atOffset(ZoneOffset.UTC);
        jdbc.batchUpdate("""
                INSERT INTO imported_totals (period, first_day, last_day, total, as_of, source, imported_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (period) DO UPDATE SET first_day = EXCLUDED.first_day, last_day = EXCLUDED.last_day,
                    total = EXCLUDED.total, as_of = EXCLUDED.as_of, source = EXCLUDED.source, imported_at = EXCLUDED.imported_at""", sorted.stream().map(f -> new Object[] {f.period(),
                Date.valueOf(f.firstDay()), Date.valueOf(f.lastDay()), f.total(),
                f.asOf() == null ? null : f.asOf().atOffset(ZoneOffset.UTC), f.source(), importedAt}).toList());
        return sorted.size();
    }

    List<ImportedFigure> all() {
        return jdbc.query("SELECT period, first_day, last_day, total, as_of, source FROM imported_totals ORDER BY first_day",
                (row, n) -> {
                    OffsetDateTime asOf = row.getObject(5, OffsetDateTime.class);
                    return new ImportedFigure(row.getString(1), row.getDate(2).toLocalDate(), row.getDate(3).toLocalDate(),
                            row.getLong(4), asOf == null ? null : asOf.toInstant(), row.getString(6));
                });
    }

    private static ImportedFigure figure(CSVRecord record) {
        String where = "line " + record.getRecordNumber() + " after the header: ";
        String period = record.get("period");
        LocalDate first;
        LocalDate last;
        try {
            if (period.length() == 7) {
                YearMonth month = YearMonth.parse(period);
                first = month.atDay(1);
                last = month.atEndOfMonth();
            } else {
                first = LocalDate.parse(period);
                last = first;
            }
        } catch (DateTimeParseException e) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, where + "period must be YYYY-MM-DD or YYYY-MM, not '" + period + "'");
        }
        long total;
        try {
            total = Long.parseLong(record.get("total").replace(",", "").replace("_", ""));
        } catch (NumberFormatException e) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, where + "total must be a whole number");
        }
        if (total < 0) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, where + "total must not be negative");
        }
        String asOfText = optional(record, "as_of");
        OffsetDateTime asOf = null;
        if (asOfText != null) {
            try {
                asOf = OffsetDateTime.parse(asOfText);
            } catch (DateTimeParseException e) {
                throw new ProblemException(ProblemCode.BAD_REQUEST, where + "as_of must be an ISO-8601 time with offset");
            }
        }
        return new ImportedFigure(period, first, last, total, asOf == null ? null : asOf.toInstant(), optional(record, "source"));
    }

    private static @Nullable String optional(CSVRecord record, String column) {
        if (!record.isMapped(column) || !record.isSet(column)) {
            return null;
        }
        String value = record.get(column);
        return value.isBlank() ? null : value;
    }
}
