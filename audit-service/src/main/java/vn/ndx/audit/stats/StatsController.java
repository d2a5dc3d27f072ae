package vn.ndx.audit.stats;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import vn.ndx.audit.AuditProperties;
import vn.ndx.audit.problem.AuditException;
import vn.ndx.contract.ProblemCode;

/** {@code GET /stats/daily?from=YYYY-MM-DD&to=YYYY-MM-DD}: one row per Asia/Ho_Chi_Minh calendar day. */
@RestController
class StatsController {

    private final DailyTotals totals;
    private final int maxRangeDays;

    StatsController(DailyTotals totals, AuditProperties properties) {
        this.totals = totals;
        this.maxRangeDays = properties.maxRangeDays();
    }

    @GetMapping("/stats/daily")
    List<DailyTotals.Day> daily(@RequestParam(required = false) @Nullable String from,
                                @RequestParam(required = false) @Nullable String to) {
        LocalDate start = date("from", from);
        LocalDate end = date("to", to);
        if (end.isBefore(start)) {
            throw new AuditException(ProblemCode.BAD_REQUEST, "from must not be after to");
        }
        if (ChronoUnit.DAYS.between(start, end) >= maxRangeDays) {
            throw new AuditException(ProblemCode.BAD_REQUEST, "Ask for at most " + maxRangeDays + " days at once");
        }
        return totals.between(start, end);
    }

    private static LocalDate date(String name, @Nullable String value) {
        if (value == null || value.isBlank()) {
            throw new AuditException(ProblemCode.BAD_REQUEST, name + " is required, as YYYY-MM-DD");
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new AuditException(ProblemCode.BAD_REQUEST, name + " must be a date as YYYY-MM-DD");
        }
    }
}
