package vn.ndx.audit.stats;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Year;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import vn.ndx.audit.AuditProperties;
import vn.ndx.audit.CalendarDays;
import vn.ndx.audit.DayRange;
import vn.ndx.audit.export.CsvTable;
import vn.ndx.contract.Outcome;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;
import vn.ndx.contract.TransactionKind;

/**
 * The figures operators publish and watch, per Asia/Ho_Chi_Minh calendar day (a transaction counts on
 * the day it started): every answer is JSON, or CSV with {@code Accept: text/csv}.
 */
@RestController
class StatsController {

    /**
     * @param multiple {@code total / previousTotal}, to four decimals; null when the previous period had none
     * @param complete false while the period is not over
     */
    record YearOnYear(String period, long total, String previousPeriod, long previousTotal, @Nullable BigDecimal multiple,
                      boolean complete, boolean imported) implements CsvTable {
        @Override
        public List<String> csvHeader() {
            return List.of("period", "total", "previousPeriod", "previousTotal", "multiple", "complete", "imported");
        }

        @Override
        public List<List<?>> csvRows() {
            return List.of(Arrays.asList(period, total, previousPeriod, previousTotal, multiple, complete, imported));
        }
    }

    /** @param asOf the instant the total is complete up to; see docs/audit.md */
    record MonthToDate(YearMonth month, LocalDate from, LocalDate to, long total, Instant asOf, boolean imported)
            implements CsvTable {
        @Override
        public List<String> csvHeader() {
            return List.of("month", "from", "to", "total", "asOf", "imported");
        }

        @Override
        public List<List<?>> csvRows() {
            return List.of(List.of(month, from, to, total, asOf, imported));
        }
    }

    private final DailyTotals daily;
    private final MonthlyTotals monthly;
    private final Breakdowns breakdowns;
    private final AuditProperties properties;
    private final Clock clock;

    StatsController(DailyTotals daily, MonthlyTotals monthly, Breakdowns breakdowns, AuditProperties properties, Clock clock) {
        this.daily = daily;
        this.monthly = monthly;
        this.breakdowns = breakdowns;
        this.properties = properties;
        this.clock = clock;
    }

    /** {@code GET /stats/daily?from=YYYY-MM-DD&to=YYYY-MM-DD}: one row per day. */
    @GetMapping("/stats/daily")
    DailyTotals.Days daily(@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to) {
        return daily.between(DayRange.parse(from, to, properties.maxRangeDays()));
    }

    /** {@code GET /stats/monthly?from=YYYY-MM&to=YYYY-MM}: one row per month. */
    @GetMapping("/stats/monthly")
    MonthlyTotals.Months monthly(@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to) {
        YearMonth start = month("from", from);
        YearMonth end = month("to", to);
        if (end.isBefore(start)) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, "from must not be after to");
        }
        if (ChronoUnit.MONTHS.between(start, end) >= properties.maxRangeMonths()) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, "Ask for at most " + properties.maxRangeMonths() + " months at once");
        }
        return monthly.between(start, end);
    }

    /**
     * {@code GET /stats/breakdown?from=&to=&by=consumer_agency|provider_agency|service|kind|outcome}, optionally
     * {@code &top=N} and filters {@code kind, outcome, consumerAgency, providerAgency, service}.
     */
    @GetMapping("/stats/breakdown")
    Breakdowns.Breakdown breakdown(@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to,
                                   @RequestParam(required = false) @Nullable String by, @RequestParam(required = false) @Nullable String top,
                                   @RequestParam(required = false) @Nullable String kind, @RequestParam(required = false) @Nullable String outcome,
                                   @RequestParam(required = false) @Nullable String consumerAgency,
                                   @RequestParam(required = false) @Nullable String providerAgency,
                                   @RequestParam(required = false) @Nullable String service) {
        DayRange range = DayRange.parse(from, to, properties.maxRangeDays());
        if (by == null || by.isBlank()) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, "by is required");
        }
        Dimension dimension = Dimension.parse(by);
        var filters = new Breakdowns.Filters(oneOf("kind", kind, TransactionKind.class), oneOf("outcome", outcome, Outcome.class),
                consumerAgency, providerAgency, service);
        return breakdowns.by(dimension, range, filters, top(top));
    }

    /** {@code GET /stats/month-to-date[?month=YYYY-MM]}: the month so far (the current month by default). */
    @GetMapping("/stats/month-to-date")
    MonthToDate monthToDate(@RequestParam(required = false) @Nullable String month) {
        LocalDate today = LocalDate.now(clock.withZone(CalendarDays.ZONE));
        YearMonth asked = month == null ? YearMonth.from(today) : month("month", month);
        LocalDate from = asked.atDay(1);
        LocalDate to = asked.atEndOfMonth().isBefore(today) ? asked.atEndOfMonth() : today;
        if (to.isBefore(from)) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, "month must not be in the future");
        }
        MonthlyTotals.Parts parts = monthly.of(from, asked.atEndOfMonth());
        Instant endOfMonth = asked.plusMonths(1).atDay(1).atStartOfDay(CalendarDays.ZONE).toInstant();
        Instant asOf;
        if (parts.counted() == 0 && parts.hasImported()) {
            asOf = parts.importedAsOf() != null ? parts.importedAsOf() : endOfMonth;
        } else {
            Instant now = clock.instant();
            asOf = now.isBefore(endOfMonth) ? now : endOfMonth;
        }
        return new MonthToDate(asked, from, to, parts.total(), asOf, parts.hasImported());
    }

    /** {@code GET /stats/year-on-year?month=YYYY-MM} or {@code ?year=YYYY}: the period against the same period a year before. */
    @GetMapping("/stats/year-on-year")
    YearOnYear yearOnYear(@RequestParam(required = false) @Nullable String month, @RequestParam(required = false) @Nullable String year) {
        if ((month == null) == (year == null)) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, "Give either month (YYYY-MM) or year (YYYY)");
        }
        LocalDate from;
        LocalDate to;
        String period;
        String previousPeriod;
        if (month != null) {
            YearMonth asked = month("month", month);
            from = asked.atDay(1);
            to = asked.atEndOfMonth();
            period = asked.toString();
            previousPeriod = asked.minusYears(1).toString();
        } else {
            Year asked = year(year);
            from = asked.atDay(1);
            to = asked.atMonth(12).atEndOfMonth();
            period = asked.toString();
            previousPeriod = asked.minusYears(1).toString();
        }
        MonthlyTotals.Parts current = monthly.of(from, to);
        MonthlyTotals.Parts previous = monthly.of(from.minusYears(1), to.minusYears(1));
        BigDecimal multiple = previous.total() == 0 ? null
                : BigDecimal.valueOf(current.total()).divide(BigDecimal.valueOf(previous.total()), 4, RoundingMode.HALF_EVEN);
        boolean complete = to.isBefore(LocalDate.now(clock.withZone(CalendarDays.ZONE)));
        return new YearOnYear(period, current.total(), previousPeriod, previous.total(), multiple, complete,
                current.hasImported() || previous.hasImported());
    }

    static YearMonth month(String name, @Nullable String value) {
        if (value == null || value.isBlank()) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, name + " is required, as YYYY-MM");
        }
        try {
            return YearMonth.parse(value);
        } catch (DateTimeParseException e) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, name + " must be a month as YYYY-MM");
        }
    }

    private static Year year(String value) {
        if (!value.matches("\\d{4}")) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, "year must be four digits");
        }
        return Year.parse(value);
    }

    private static @Nullable Integer top(@Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            int top = Integer.parseInt(value);
            if (top >= 1 && top <= 1_000) {
                return top;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ProblemException(ProblemCode.BAD_REQUEST, "top must be a number from 1 to 1000");
    }

    private static <E extends Enum<E>> @Nullable String oneOf(String name, @Nullable String value, Class<E> type) {
        if (value == null) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return value;
            }
        }
        throw new ProblemException(ProblemCode.BAD_REQUEST, name + " must be one of " + Arrays.toString(type.getEnumConstants()));
    }
}
