package vn.ndx.registry.admin;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;
import vn.ndx.contract.RegistrySnapshot.Agency;
import vn.ndx.contract.RegistrySnapshot.Egress;
import vn.ndx.contract.RegistrySnapshot.Limits;
import vn.ndx.registry.RegistryProperties;
import vn.ndx.contract.AgencyCode;
import vn.ndx.registry.model.RegistryData.AgencyCaps;
import vn.ndx.registry.store.RegistryStore;

/** Agencies: registered, renamed, suspended; their caps and egress allowances (a platform administrator's). */
@RestController
@RequestMapping("/admin/agencies")
class AgencyAdmin {

    private final RegistryStore store;
    private final AdminAuthentication admins;
    private final JsonMapper json;
    private final Set<Character> groupLetters;

    AgencyAdmin(RegistryStore store, AdminAuthentication admins, JsonMapper json, RegistryProperties properties) {
        this.store = store;
        this.admins = admins;
        this.json = json;
        this.groupLetters = properties.agencyGroups().chars().mapToObj(c -> (char) c).collect(Collectors.toSet());
    }

    record NewAgency(@NotBlank @Size(max = 13) String code, @NotBlank @Size(max = 200) String name) {
    }

    record AgencyChange(@NotBlank @Size(max = 200) String name, @NotNull Boolean suspended) {
    }

    @GetMapping
    Page<Agency> list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size,
                      HttpServletRequest request) {
        Administrator admin = admins.of(request);
        return Page.of(store.current().agencies().stream().filter(a -> admin.mayManage(a.code())).toList(), page, size);
    }

    @GetMapping("/{code}")
    ResponseEntity<Agency> get(@PathVariable String code, HttpServletRequest request) {
        admins.of(request).requireScope(code);
        Agency agency = Existing.agency(store.current(), code);
        return ResponseEntity.ok().eTag(ETags.of(json, agency)).body(agency);
    }

    @PostMapping
    ResponseEntity<Agency> create(@Valid @RequestBody NewAgency body, HttpServletRequest request) {
        Administrator admin = admins.of(request);
        AgencyCode.problem(body.code(), groupLetters).ifPresent(problem -> {
            throw ProblemException.invalid("code", problem);
        });
        String parent = AgencyCode.parent(body.code()).orElse(null);
        if (parent == null) {
            admin.requirePlatform();
        } else {
            admin.requireScope(parent);
        }
        var agency = new Agency(body.code(), body.name(), false);
        store.change(admin.clientId(), "agency.created", agency.code(), agency.code(), data -> {
            if (data.agency(agency.code()).isPresent()) {
                throw ProblemException.conflict("Agency " + agency.code() + " exists");
            }
            if (parent != null && data.agency(parent).isEmpty()) {
                throw ProblemException.invalid("code", "its parent agency " + parent + " is not registered");
            }
            return Existing.with(data, Existing.append(data.agencies(), agency), data.systems(), data.services());
        });
        return ResponseEntity.created(URI.create("/admin/agencies/" + agency.code())).eTag(ETags.of(json, agency)).body(agency);
    }

    @PutMapping("/{code}")
    ResponseEntity<Agency> update(@PathVariable String code, @Valid @RequestBody AgencyChange body,
                                  @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
                                  HttpServletRequest request) {
        Administrator admin = admins.of(request);
        admin.requireScope(code);
        var changed = new Agency(code, body.name(), body.suspended());
        store.change(admin.clientId(), body.suspended() ? "agency.suspended" : "agency.updated", code, code, data -> {
            Agency current = Existing.agency(data, code);
            ETags.requireMatch(json, current, ifMatch);
            if (current.suspended() != body.suspended() && !admin.platform() && code.equals(admin.agency())) {
                throw new ProblemException(ProblemCode.OUT_OF_SCOPE,
                        "An agency's suspension is changed by a platform administrator or one of an agency above it");
            }
            return Existing.with(data, data.agencies().stream().map(a -> a.code().equals(code) ? changed : a).toList(),
                    data.systems(), data.services());
        });
        return ResponseEntity.ok().eTag(ETags.of(json, changed)).body(changed);
    }

    /**
     * Caps on what an agency's administrators may let one client of its subtree do (requests per second,
     * burst, concurrent calls); without any, its nearest ancestor's apply, then the platform's defaults.
     */
    @PutMapping("/{code}/caps")
    Limits caps(@PathVariable String code, @Valid @RequestBody CapsBody body, HttpServletRequest request) {
        Administrator admin = admins.of(request);
        admin.requirePlatform();
        var caps = new Limits(body.requestsPerSecond(), body.burst(), body.concurrentCalls());
        store.change(admin.clientId(), "agency.caps-set", code, code, data -> {
            Existing.agency(data, code);
            var others = data.caps().stream().filter(c -> !c.agencyCode().equals(code));
            return data.withCaps(java.util.stream.Stream.concat(others, java.util.stream.Stream.of(new AgencyCaps(code, caps))).toList());
        });
        return caps;
    }

    record CapsBody(@Min(1) @Max(100_000) int requestsPerSecond, @Min(1) @Max(100_000) int burst,
                    @Min(1) @Max(10_000) int concurrentCalls) {
    }

    /**
     * What the platform may reach on the agency's behalf beyond public HTTPS addresses (docs/security.md):
     * plain HTTP, and restricted networks (loopback, private ranges ...) in CIDR notation. A platform
     * administrator's decision alone: an agency administrator aiming a service at the platform's own ports is
     * the attack this stops. It holds for the agency's subtree; an empty body ({@code {}}) withdraws it.
     */
    @PutMapping("/{code}/egress")
    Egress egress(@PathVariable String code, @Valid @RequestBody EgressBody body, HttpServletRequest request) {
        Administrator admin = admins.of(request);
        admin.requirePlatform();
        List<String> networks = body.networks() == null ? List.of() : body.networks();
        var problems = new java.util.LinkedHashMap<String, String>();
        for (int i = 0; i < networks.size(); i++) {
            try {
                vn.ndx.contract.Cidr.parse(networks.get(i));
            } catch (IllegalArgumentException e) {
                problems.put("networks[" + i + "]", "is not an address or network in CIDR notation, e.g. 10.20.0.0/16");
            }
        }
        if (!problems.isEmpty()) {
            throw ProblemException.invalid(problems);
        }
        var egress = new Egress(code, Boolean.TRUE.equals(body.plainHttp()), networks);
        store.change(admin.clientId(), "agency.egress-set", code, code, data -> {
            Existing.agency(data, code);
            var others = data.egress().stream().filter(e -> !e.agencyCode().equals(code));
            return data.withEgress(java.util.stream.Stream.concat(others, java.util.stream.Stream.of(egress)).toList());
        });
        return egress;
    }

    record EgressBody(@Nullable Boolean plainHttp, @Nullable @Size(max = 50) List<String> networks) {
    }
}
