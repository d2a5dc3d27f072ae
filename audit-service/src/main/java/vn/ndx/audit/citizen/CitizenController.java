package vn.ndx.audit.citizen;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import vn.ndx.audit.AuditProperties;
import vn.ndx.audit.CalendarDays;
import vn.ndx.audit.export.CsvPage;
import vn.ndx.audit.web.QueryNumbers;
import vn.ndx.contract.Headers;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;
import vn.ndx.contract.RegistrySnapshot;

/**
 * {@code GET /citizen/accesses?from=&to=&page=&size=}: a citizen's own data-access report, for the national
 * public-service portal ({@code citizen-portal}), which authenticated the citizen and names them to the
 * gateway; the gateway hands audit the keyed digest of the identity number only. JSON, or CSV on
 * {@code Accept: text/csv}. docs/citizen.md.
 */
@RestController
class CitizenController {

    private static final int MAX_SIZE = 500;

    private final CitizenAccesses accesses;
    private final AuditProperties properties;

    CitizenController(CitizenAccesses accesses, AuditProperties properties) {
        this.accesses = accesses;
        this.properties = properties;
    }

    /** One page, newest first; {@code hasMore} says whether the next page has any. */
    @GetMapping("/citizen/accesses")
    CsvPage<CitizenAccess> accesses(@RequestHeader(name = Headers.OPERATOR_ROLE, required = false) @Nullable String role,
                  @RequestHeader(name = Headers.DATA_SUBJECT_DIGEST, required = false) @Nullable String subjectDigest,
                  @RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to,
                  @RequestParam(defaultValue = "0") String page, @RequestParam(defaultValue = "50") String size) {
        if (!RegistrySnapshot.Operator.CITIZEN_PORTAL.equals(role)) {
            throw new ProblemException(ProblemCode.OUT_OF_SCOPE, "Only the citizen portal asks for a citizen's data-access report");
        }
        if (subjectDigest == null || !subjectDigest.matches("[0-9a-f]{64}")) {
            throw new ProblemException(ProblemCode.DATA_SUBJECT_INVALID, "Name the citizen in " + Headers.DATA_SUBJECT);
        }
        LocalDate first = day("from", from);
        LocalDate last = day("to", to);
        if (last.isBefore(first)) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, "from must not be after to");
        }
        Instant start = first.atStartOfDay(CalendarDays.ZONE).toInstant();
        Instant end = last.plusDays(1).atStartOfDay(CalendarDays.ZONE).toInstant();
        if (Duration.between(start, end).compareTo(Duration.ofDays(properties.maxRangeDays())) > 0) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, "Ask for at most " + properties.maxRangeDays() + " days at once");
        }
        int pageNumber = QueryNumbers.within("page", page, 0, 1_000_000);
        int pageSize = QueryNumbers.within("size", size, 1, MAX_SIZE);
        List<CitizenAccess> found = accesses.of(subjectDigest, start, end, (long) pageNumber * pageSize, pageSize + 1);
        return CsvPage.of(found, pageNumber, pageSize, CitizenAccess.HEADER);
    }

    /** A whole Asia/Ho_Chi_Minh day, YYYY-MM-DD: {@code to} includes it. */
    private static LocalDate day(String name, @Nullable String value) {
        if (value == null || value.isBlank()) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, name + " is required, as YYYY-MM-DD");
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, name + " must be a date, YYYY-MM-DD");
        }
    }
}
