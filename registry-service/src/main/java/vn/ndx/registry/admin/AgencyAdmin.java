package vn.ndx.registry.admin;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.EgressRules;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;
import vn.ndx.contract.RegistrySnapshot.Agency;
import vn.ndx.contract.RegistrySnapshot.Egress;
import vn.ndx.contract.RegistrySnapshot.InformationSystem;
import vn.ndx.contract.RegistrySnapshot.Limits;
import vn.ndx.contract.RegistrySnapshot.Service;
import vn.ndx.contract.ServiceAddress;
import vn.ndx.registry.RegistryProperties;
import vn.ndx.registry.model.AgencyCode;
import vn.ndx.registry.model.RegistryData.AgencyCaps;
import vn.ndx.registry.model.RegistryData.ServiceDocument;
import vn.ndx.registry.model.RegistryData;
import vn.ndx.registry.store.RegistryStore;

/** Agencies, their information systems and the services those provide. */
@RestController
@RequestMapping("/admin/agencies")
class AgencyAdmin {

    static final String CODE = "[a-z0-9][a-z0-9-]{1,62}";

    private final RegistryStore store;
    private final AdminAuthentication admins;
    private final JsonMapper json;
    private final ChannelSchemas schemas;
    private final Set<Character> groupLetters;

    AgencyAdmin(RegistryStore store, AdminAuthentication admins, JsonMapper json, RegistryProperties properties,
                ChannelSchemas schemas) {
        this.store = store;
        this.schemas = schemas;
        this.admins = admins;
        this.json = json;
        this.groupLetters = properties.agencyGroups().chars().mapToObj(c -> (char) c).collect(Collectors.toSet());
    }

    record NewAgency(@NotBlank @Size(max = 13) String code, @NotBlank @Size(max = 200) String name) {
    }

    record AgencyChange(@NotBlank @Size(max = 200) String name, @NotNull Boolean suspended) {
    }

    record NewSystem(@NotBlank @Pattern(regexp = CODE, message = "lower-case letters, digits and dashes") String code,
                     @NotBlank @Size(max = 200) String name) {
    }

    record NewService(@NotBlank @Pattern(regexp = CODE, message = "lower-case letters, digits and dashes") String code,
                      @NotNull Service.Kind kind,
                      @Nullable @Pattern(regexp = "https?://[^\\s]+", message = "an http or https URL") String upstreamUrl,
                      @Nullable @Min(100) @Max(120_000) Integer timeoutMillis,
                      @NotNull @Min(1) @Max(10_485_760) Long maxBodyBytes,
                      @Nullable JsonNode schema,
                      @Nullable @Min(1) @Max(10) Integer retentionDays) {
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
        Agency agency = agency(store.current(), code);
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
            return with(data, append(data.agencies(), agency), data.systems(), data.services());
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
            Agency current = agency(data, code);
            ETags.requireMatch(json, current, ifMatch);
            if (current.suspended() != body.suspended() && !admin.platform() && code.equals(admin.agency())) {
                throw new ProblemException(ProblemCode.OUT_OF_SCOPE,
                        "An agency's suspension is changed by a platform administrator or one of an agency above it");
            }
            return with(data, data.agencies().stream().map(a -> a.code().equals(code) ? changed : a).toList(),
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
            agency(data, code);
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
            agency(data, code);
            var others = data.egress().stream().filter(e -> !e.agencyCode().equals(code));
            return data.withEgress(java.util.stream.Stream.concat(others, java.util.stream.Stream.of(egress)).toList());
        });
        return egress;
    }

    record EgressBody(@Nullable Boolean plainHttp, @Nullable @Size(max = 50) List<String> networks) {
    }

    /** A provider's upstream or a push address must be one the platform may reach for the agency. */
    private static void requireReachable(RegistryData data, String agencyCode, @Nullable String upstreamUrl) {
        if (upstreamUrl != null) {
            EgressRules.problem(upstreamUrl, data.egressOf(agencyCode)).ifPresent(problem -> {
                throw ProblemException.invalid("upstreamUrl", problem);
            });
        }
    }

    @GetMapping("/{code}/systems")
    List<InformationSystem> systems(@PathVariable String code, HttpServletRequest request) {
        admins.of(request).requireScope(code);
        agency(store.current(), code);
        return store.current().systems().stream().filter(s -> s.agencyCode().equals(code)).toList();
    }

    @PostMapping("/{code}/systems")
    ResponseEntity<InformationSystem> createSystem(@PathVariable String code, @Valid @RequestBody NewSystem body,
                                                   HttpServletRequest request) {
        Administrator admin = admins.of(request);
        admin.requireScope(code);
        var system = new InformationSystem(code, body.code(), body.name());
        store.change(admin.clientId(), "system.created", code + "/" + body.code(), code, data -> {
            agency(data, code);
            if (data.system(code, body.code()).isPresent()) {
                throw ProblemException.conflict("System " + code + "/" + body.code() + " exists");
            }
            return with(data, data.agencies(), append(data.systems(), system), data.services());
        });
        return ResponseEntity.created(URI.create("/admin/agencies/" + code + "/systems/" + body.code())).body(system);
    }

    record SystemChange(@NotBlank @Size(max = 200) String name) {
    }

    record ServiceChange(@Nullable @Pattern(regexp = "https?://[^\\s]+", message = "an http or https URL") String upstreamUrl,
                         @Nullable @Min(100) @Max(120_000) Integer timeoutMillis,
                         @NotNull @Min(1) @Max(10_485_760) Long maxBodyBytes,
                         @Nullable JsonNode schema,
                         @Nullable @Min(1) @Max(10) Integer retentionDays) {
    }

    @GetMapping("/{code}/systems/{system}")
    ResponseEntity<InformationSystem> system(@PathVariable String code, @PathVariable String system, HttpServletRequest request) {
        admins.of(request).requireScope(code);
        InformationSystem found = system(store.current(), code, system);
        return ResponseEntity.ok().eTag(ETags.of(json, found)).body(found);
    }

    @PutMapping("/{code}/systems/{system}")
    ResponseEntity<InformationSystem> updateSystem(@PathVariable String code, @PathVariable String system,
                                                   @Valid @RequestBody SystemChange body,
                                                   @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
                                                   HttpServletRequest request) {
        Administrator admin = admins.of(request);
        admin.requireScope(code);
        var changed = new InformationSystem(code, system, body.name());
        store.change(admin.clientId(), "system.updated", code + "/" + system, code, data -> {
            ETags.requireMatch(json, system(data, code, system), ifMatch);
            return data.withSystems(data.systems().stream()
                    .map(s -> s.agencyCode().equals(code) && s.code().equals(system) ? changed : s).toList());
        });
        return ResponseEntity.ok().eTag(ETags.of(json, changed)).body(changed);
    }

    @GetMapping("/{code}/systems/{system}/services/{service}")
    ResponseEntity<Service> service(@PathVariable String code, @PathVariable String system, @PathVariable String service,
                                    HttpServletRequest request) {
        admins.of(request).requireScope(code);
        Service found = service(store.current(), code, system, service);
        return ResponseEntity.ok().eTag(ETags.of(json, found)).body(found);
    }

    /**
     * A QUERY's upstream answers the calls; a CHANNEL's address, when it has one, receives its records by
     * signed push (without one, the recipient pulls). Either is called within the timeout.
     */
    private static @Nullable Duration timeout(@Nullable String upstreamUrl, @Nullable Integer timeoutMillis) {
        return upstreamUrl == null ? null : Duration.ofMillis(timeoutMillis == null ? 10_000 : timeoutMillis);
    }

    /** A channel's records wait at most this long unacknowledged (null: the exchange's default); a query keeps none. */
    private static @Nullable Duration retention(Service.Kind kind, @Nullable Integer retentionDays) {
        if (retentionDays == null) {
            return null;
        }
        if (kind != Service.Kind.CHANNEL) {
            throw ProblemException.invalid("retentionDays", "applies to a CHANNEL only");
        }
        return Duration.ofDays(retentionDays);
    }

    /** Moves a provider's upstream or a channel's push address, or changes its limits; the kind of a service never changes. */
    @PutMapping("/{code}/systems/{system}/services/{service}")
    ResponseEntity<Service> updateService(@PathVariable String code, @PathVariable String system, @PathVariable String service,
                                          @Valid @RequestBody ServiceChange body,
                                          @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
                                          HttpServletRequest request) {
        Administrator admin = admins.of(request);
        admin.requireScope(code);
        Service current = service(store.current(), code, system, service);
        if (current.kind() == Service.Kind.QUERY && body.upstreamUrl() == null) {
            throw ProblemException.invalid("upstreamUrl", "is required for a QUERY service");
        }
        requireReachable(store.current(), code, body.upstreamUrl());
        var changed = new Service(code, system, service, current.kind(), body.upstreamUrl(),
                timeout(body.upstreamUrl(), body.timeoutMillis()), body.maxBodyBytes(),
                schemas.channelSchema(current.kind(), body.schema()), retention(current.kind(), body.retentionDays()));
        store.change(admin.clientId(), "service.updated", new ServiceAddress(code, system, service).toString(), code, data -> {
            ETags.requireMatch(json, service(data, code, system, service), ifMatch);
            return data.withServices(data.services().stream()
                    .map(s -> s.agencyCode().equals(code) && s.systemCode().equals(system) && s.code().equals(service) ? changed : s)
                    .toList());
        });
        return ResponseEntity.ok().eTag(ETags.of(json, changed)).body(changed);
    }

    @GetMapping("/{code}/systems/{system}/services")
    List<Service> services(@PathVariable String code, @PathVariable String system, HttpServletRequest request) {
        admins.of(request).requireScope(code);
        return store.current().services().stream()
                .filter(s -> s.agencyCode().equals(code) && s.systemCode().equals(system)).toList();
    }

    @PostMapping("/{code}/systems/{system}/services")
    ResponseEntity<Service> createService(@PathVariable String code, @PathVariable String system,
                                          @Valid @RequestBody NewService body, HttpServletRequest request) {
        Administrator admin = admins.of(request);
        admin.requireScope(code);
        if (body.kind() == Service.Kind.QUERY && body.upstreamUrl() == null) {
            throw ProblemException.invalid("upstreamUrl", "is required for a QUERY service");
        }
        requireReachable(store.current(), code, body.upstreamUrl());
        var service = new Service(code, system, body.code(), body.kind(), body.upstreamUrl(),
                timeout(body.upstreamUrl(), body.timeoutMillis()), body.maxBodyBytes(),
                schemas.channelSchema(body.kind(), body.schema()), retention(body.kind(), body.retentionDays()));
        store.change(admin.clientId(), "service.created", new ServiceAddress(code, system, body.code()).toString(), code, data -> {
            if (data.system(code, system).isEmpty()) {
                throw ProblemException.notFound("system " + code + "/" + system);
            }
            if (data.service(code, system, body.code()).isPresent()) {
                throw ProblemException.conflict("Service " + new ServiceAddress(code, system, body.code()) + " exists");
            }
            return with(data, data.agencies(), data.systems(), append(data.services(), service));
        });
        return ResponseEntity.created(URI.create("/admin/agencies/" + code + "/systems/" + system + "/services/" + body.code()))
                .body(service);
    }

    /** Publishes a service's OpenAPI document (JSON) in the catalogue, replacing the previous one. */
    @PutMapping(path = "/{code}/systems/{system}/services/{service}/openapi", consumes = "application/json")
    ResponseEntity<Void> publishOpenApi(@PathVariable String code, @PathVariable String system, @PathVariable String service,
                                        @RequestBody String document, HttpServletRequest request) {
        Administrator admin = admins.of(request);
        admin.requireScope(code);
        JsonNode parsed;
        try {
            parsed = json.readTree(document);
        } catch (JacksonException e) {
            throw new ProblemException(ProblemCode.MALFORMED_JSON, "The OpenAPI document is not JSON");
        }
        if (!parsed.isObject() || !parsed.path("openapi").isString() || !parsed.path("openapi").asString().startsWith("3.")) {
            throw ProblemException.invalid("openapi", "must be an OpenAPI 3 document (a JSON object with \"openapi\": \"3.x\")");
        }
        var published = new ServiceDocument(code, system, service, document, Instant.now());
        store.change(admin.clientId(), "service.openapi-published", new ServiceAddress(code, system, service).toString(), code, data -> {
            if (data.service(code, system, service).isEmpty()) {
                throw ProblemException.notFound("service " + new ServiceAddress(code, system, service));
            }
            var documents = new ArrayList<>(data.documents().stream().filter(d -> !(d.agencyCode().equals(code)
                    && d.systemCode().equals(system) && d.serviceCode().equals(service))).toList());
            documents.add(published);
            return data.withDocuments(documents);
        });
        return ResponseEntity.noContent().build();
    }

    private static InformationSystem system(RegistryData data, String code, String system) {
        return data.system(code, system).orElseThrow(() -> ProblemException.notFound("system " + code + "/" + system));
    }

    private static Service service(RegistryData data, String code, String system, String service) {
        return data.service(code, system, service)
                .orElseThrow(() -> ProblemException.notFound("service " + new ServiceAddress(code, system, service)));
    }

    private static Agency agency(RegistryData data, String code) {
        return data.agency(code).orElseThrow(() -> ProblemException.notFound("agency " + code));
    }

    private static RegistryData with(RegistryData data, List<Agency> agencies, List<InformationSystem> systems, List<Service> services) {
        return data.withAgencies(agencies).withSystems(systems).withServices(services);
    }

    static <T> List<T> append(List<T> list, T item) {
        var copy = new ArrayList<>(list);
        copy.add(item);
        return copy;
    }
}
