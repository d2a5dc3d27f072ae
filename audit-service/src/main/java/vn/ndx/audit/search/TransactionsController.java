package vn.ndx.audit.search;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import vn.ndx.audit.AuditProperties;
import vn.ndx.audit.CalendarDays;
import vn.ndx.audit.export.CsvPage;
import vn.ndx.audit.web.QueryNumbers;
import vn.ndx.contract.Headers;
import vn.ndx.contract.Outcome;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;
import vn.ndx.contract.TransactionKind;

/**
 * {@code GET /transactions/{id}} and {@code GET /transactions?from=&to=&agency=&consumerAgency=&providerAgency=
 * &service=&outcome=&kind=&purpose=&page=&size=}: single transactions for operators tracing a call. Metadata only.
 * An operator looking for one citizen's transactions names the citizen to the gateway ({@link Headers#DATA_SUBJECT}),
 * which passes on the keyed digest only.
 */
@RestController
class TransactionsController {

    private static final int MAX_SIZE = 500;

    private final TransactionSearch search;
    private final AuditProperties properties;

    TransactionsController(TransactionSearch search, AuditProperties properties) {
        this.search = search;
        this.properties = properties;
    }

    @GetMapping("/transactions/{id}")
    LoggedTransaction byId(@PathVariable String id) {
        return search.byId(id).orElseThrow(() -> new ProblemException(ProblemCode.NOT_FOUND,
                "No transaction " + id + " in the log (it keeps " + properties.retention().logDays() + " days)"));
    }

    /** One page, newest first; {@code hasMore} says whether the next page has any. */
    @GetMapping("/transactions")
    CsvPage<LoggedTransaction> find(@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to,
              @RequestParam(required = false) @Nullable String agency, @RequestParam(required = false) @Nullable String consumerAgency,
              @RequestParam(required = false) @Nullable String providerAgency, @RequestParam(required = false) @Nullable String service,
              @RequestParam(required = false) @Nullable String outcome, @RequestParam(required = false) @Nullable String kind,
              @RequestParam(required = false) @Nullable String purpose,
              @RequestHeader(name = Headers.DATA_SUBJECT_DIGEST, required = false) @Nullable String subjectDigest,
              @RequestParam(defaultValue = "0") String page, @RequestParam(defaultValue = "50") String size) {
        Instant start = instant("from", from, false);
        Instant end = instant("to", to, true);
        if (!end.isAfter(start)) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, "from must be before to");
        }
        if (Duration.between(start, end).compareTo(Duration.ofDays(properties.maxRangeDays())) > 0) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, "Ask for at most " + properties.maxRangeDays() + " days at once");
        }
        int pageNumber = QueryNumbers.within("page", page, 0, 1_000_000);
        int pageSize = QueryNumbers.within("size", size, 1, MAX_SIZE);
        var criteria = new TransactionSearch.Criteria(start, end, agency, consumerAgency, providerAgency, service,
                oneOf("outcome", outcome, Outcome.class), oneOf("kind", kind, TransactionKind.class), purpose, subjectDigest);
        List<LoggedTransaction> found = search.find(criteria, (long) pageNumber * pageSize, pageSize + 1);
        return CsvPage.of(found, pageNumber, pageSize, LoggedTransaction.HEADER);
    }

    /**
     * A date (a whole Asia/Ho_Chi_Minh day: {@code to} includes it) or an instant with its offset
     * ({@code 2031-01-01T08:00:00+07:00}; {@code to} excludes it).
     */
    private static Instant instant(String name, @Nullable String value, boolean end) {
        if (value == null || value.isBlank()) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, name + " is required, as YYYY-MM-DD or an ISO-8601 time with offset");
        }
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return (end ? day.plusDays(1) : day).atStartOfDay(CalendarDays.ZONE).toInstant();
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, name + " must be YYYY-MM-DD or an ISO-8601 time with offset");
        }
    }

    private static <E extends Enum<E>> @Nullable String oneOf(String name, @Nullable String value, Class<E> type) {
        if (value == null) {
            return null;
        }
        if (Arrays.stream(type.getEnumConstants()).noneMatch(constant -> constant.name().equals(value))) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, name + " must be one of " + Arrays.toString(type.getEnumConstants()));
        }
        return value;
    }
}
