package vn.ndx.registry.admin;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.EgressRules;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;
import vn.ndx.contract.RegistrySnapshot.Service;
import vn.ndx.contract.ServiceAddress;
import vn.ndx.registry.model.RegistryData.ServiceDocument;
import vn.ndx.registry.model.RegistryData;
import vn.ndx.registry.store.RegistryStore;

/** The services a system provides (queries and channels), and their OpenAPI documents in the catalogue. */
@RestController
@RequestMapping("/admin/agencies")
class ServiceAdmin {

    static final String CODE = "[a-z0-9][a-z0-9-]{1,62}";

    private final RegistryStore store;
    private final AdminAuthentication admins;
    private final JsonMapper json;
    private final ChannelSchemas schemas;

    ServiceAdmin(RegistryStore store, AdminAuthentication admins, JsonMapper json, ChannelSchemas schemas) {
        this.store = store;
        this.admins = admins;
        this.json = json;
        this.schemas = schemas;
    }

    record NewService(@NotBlank @Pattern(regexp = CODE, message = "lower-case letters, digits and dashes") String code,
                      @NotNull Service.Kind kind,
                      @Nullable @Pattern(regexp = "https?://[^\\s]+", message = "an http or https URL") String upstreamUrl,
                      @Nullable @Min(100) @Max(120_000) Integer timeoutMillis,
                      @NotNull @Min(1) @Max(10_485_760) Long maxBodyBytes,
                      @Nullable JsonNode schema,
                      @Nullable @Min(1) @Max(10) Integer retentionDays,
                      @Nullable Boolean personalData) {
    }

    record ServiceChange(@Nullable @Pattern(regexp = "https?://[^\\s]+", message = "an http or https URL") String upstreamUrl,
                         @Nullable @Min(100) @Max(120_000) Integer timeoutMillis,
                         @NotNull @Min(1) @Max(10_485_760) Long maxBodyBytes,
                         @Nullable JsonNode schema,
                         @Nullable @Min(1) @Max(10) Integer retentionDays,
                         @Nullable Boolean personalData) {
    }

    /** A provider's upstream or a push address must be one the platform may reach for the agency. */
    private static void requireReachable(RegistryData data, String agencyCode, @Nullable String upstreamUrl) {
        if (upstreamUrl != null) {
            EgressRules.problem(upstreamUrl, data.egressOf(agencyCode)).ifPresent(problem -> {
                throw ProblemException.invalid("upstreamUrl", problem);
            });
        }
    }

    @GetMapping("/{code}/systems/{system}/services/{service}")
    ResponseEntity<Service> service(@PathVariable String code, @PathVariable String system, @PathVariable String service,
                                    HttpServletRequest request) {
        admins.of(request).requireScope(code);
        Service found = Existing.service(store.current(), code, system, service);
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
        Service current = Existing.service(store.current(), code, system, service);
        if (current.kind() == Service.Kind.QUERY && body.upstreamUrl() == null) {
            throw ProblemException.invalid("upstreamUrl", "is required for a QUERY service");
        }
        requireReachable(store.current(), code, body.upstreamUrl());
        var changed = new Service(code, system, service, current.kind(), body.upstreamUrl(),
                timeout(body.upstreamUrl(), body.timeoutMillis()), body.maxBodyBytes(),
                schemas.channelSchema(current.kind(), body.schema()), retention(current.kind(), body.retentionDays()),
                // absent: as it was, so an older client's update does not drop the flag
                body.personalData() == null ? current.personalData() : body.personalData());
        store.change(admin.clientId(), "service.updated", new ServiceAddress(code, system, service).toString(), code, data -> {
            ETags.requireMatch(json, Existing.service(data, code, system, service), ifMatch);
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
                schemas.channelSchema(body.kind(), body.schema()), retention(body.kind(), body.retentionDays()),
                Boolean.TRUE.equals(body.personalData()));
        store.change(admin.clientId(), "service.created", new ServiceAddress(code, system, body.code()).toString(), code, data -> {
            if (data.system(code, system).isEmpty()) {
                throw ProblemException.notFound("system " + code + "/" + system);
            }
            if (data.service(code, system, body.code()).isPresent()) {
                throw ProblemException.conflict("Service " + new ServiceAddress(code, system, body.code()) + " exists");
            }
            return Existing.with(data, data.agencies(), data.systems(), Existing.append(data.services(), service));
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
}
