package vn.ndx.audit.registry;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import vn.ndx.audit.CalendarDays;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;
import vn.ndx.contract.RegistryChange;

/** {@code GET /audit/registry-changes?from=&to=&agency=&page=&size=}: who changed the registry, newest first. */
@RestController
class RegistryChangesController {

    private final RegistryChangeLog changes;

    RegistryChangesController(RegistryChangeLog changes) {
        this.changes = changes;
    }

    @GetMapping("/audit/registry-changes")
    Map<String, Object> list(@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to,
                             @RequestParam(required = false) @Nullable String agency,
                             @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        if (page < 0 || size < 1 || size > 500) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, "page must be 0 or more, size 1 to 500");
        }
        Instant start = from == null ? Instant.EPOCH : startOf(from, "from");
        Instant end = to == null ? Instant.now().plusSeconds(1) : startOf(to, "to").plusSeconds(86_400);
        List<RegistryChange> items = changes.between(start, end, agency, page * size, size);
        return Map.of("items", items, "page", page, "size", size);
    }

    private static Instant startOf(String day, String name) {
        try {
            return LocalDate.parse(day).atStartOfDay(CalendarDays.ZONE).toInstant();
        } catch (DateTimeParseException e) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, name + " must be a date as YYYY-MM-DD");
        }
    }
}
