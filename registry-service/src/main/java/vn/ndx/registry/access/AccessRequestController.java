package vn.ndx.registry.access;

import java.net.URI;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import vn.ndx.contract.ProblemException;
import vn.ndx.registry.admin.AdminAuthentication;
import vn.ndx.registry.admin.Page;
import vn.ndx.registry.model.AccessRequest;
import vn.ndx.registry.model.AccessRequest.State;

/**
 * Access requests over HTTP, for administrators of both sides (docs/registry.md, Access requests). Served
 * on the registry's port and through the gateway, which forwards them with the rest of the admin API.
 */
@RestController
@RequestMapping("/access-requests")
class AccessRequestController {

    private final AccessRequests requests;
    private final AdminAuthentication admins;

    AccessRequestController(AccessRequests requests, AdminAuthentication admins) {
        this.requests = requests;
        this.admins = admins;
    }

    @PostMapping
    ResponseEntity<AccessRequest> ask(@Valid @RequestBody AccessRequests.Ask body, HttpServletRequest request) {
        AccessRequest asked = requests.ask(admins.of(request), body);
        return ResponseEntity.created(URI.create("/access-requests/" + asked.id())).body(asked);
    }

    @GetMapping
    Page<AccessRequest> list(@RequestParam(required = false) @Nullable String state,
                             @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size,
                             HttpServletRequest request) {
        return requests.visible(admins.of(request), state(state), page, size);
    }

    /** What the platform's operators watch: how many wait, the longest waits, and how long a grant takes. */
    @GetMapping("/summary")
    AccessRequestSummary summary(HttpServletRequest request) {
        admins.watcher(request);
        return AccessRequestSummary.of(requests.all(), java.time.Instant.now());
    }

    @GetMapping("/{id}")
    AccessRequest one(@PathVariable String id, HttpServletRequest request) {
        return requests.visible(admins.of(request), id);
    }

    @PostMapping("/{id}/approve")
    AccessRequest approve(@PathVariable String id, @Valid @RequestBody(required = false) AccessRequests.@Nullable Approve body,
                          HttpServletRequest request) {
        return requests.approve(admins.of(request), id, body == null ? AccessRequests.Approve.AS_ASKED : body);
    }

    @PostMapping("/{id}/refuse")
    AccessRequest refuse(@PathVariable String id, @Valid @RequestBody AccessRequests.Refuse body, HttpServletRequest request) {
        return requests.refuse(admins.of(request), id, body);
    }

    @PostMapping("/{id}/withdraw")
    AccessRequest withdraw(@PathVariable String id, HttpServletRequest request) {
        return requests.withdraw(admins.of(request), id);
    }

    private static @Nullable State state(@Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return State.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("state", "is one of PENDING, APPROVED, REFUSED, WITHDRAWN");
        }
    }
}
