package vn.ndx.registry.admin;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import vn.ndx.contract.ProblemException;
import vn.ndx.contract.RegistrySnapshot.Limits;
import vn.ndx.registry.RegistryProperties;
import vn.ndx.registry.model.RegistryData.ClientCertificate;
import vn.ndx.registry.model.RegistryData.StoredClient;
import vn.ndx.registry.model.RegistryData.StoredSecret;
import vn.ndx.registry.model.RegistryData;
import vn.ndx.registry.store.ClientSecrets;
import vn.ndx.registry.store.RegistryStore;

/**
 * OAuth2 clients of information systems. A secret is shown once, when made, and kept only as a bcrypt
 * hash. Rotation issues a new secret and lets the old ones work for an overlap, so a system can switch
 * without an outage; revocation disables the client at once (the data plane refuses its tokens as soon as
 * the next snapshot arrives).
 */
@RestController
@RequestMapping("/admin/clients")
class ClientAdmin {

    private static final Duration MAX_OVERLAP = Duration.ofDays(30);

    private final RegistryStore store;
    private final AdminAuthentication admins;
    private final PasswordEncoder passwords;
    private final Limits defaultCaps;

    ClientAdmin(RegistryStore store, AdminAuthentication admins, PasswordEncoder passwords, RegistryProperties properties) {
        this.store = store;
        this.admins = admins;
        this.passwords = passwords;
        this.defaultCaps = properties.agencyCaps().limits();
    }

    /**
     * An agency administrator gives a client no more than the caps of its agency (set by a platform
     * administrator, or the defaults): a careless or hostile one cannot take the platform's capacity.
     */
    private void requireWithinCaps(Administrator admin, RegistryData data, @Nullable String agencyCode, @Nullable Limits limits) {
        if (admin.platform() || limits == null || agencyCode == null) {
            return;
        }
        Limits caps = data.capsOf(agencyCode).orElse(defaultCaps);
        var problems = new LinkedHashMap<String, String>();
        aboveCaps("", limits, caps, agencyCode, problems);
        limits.services().forEach((key, override) -> aboveCaps("services." + key + ".", override, caps, agencyCode, problems));
        if (!problems.isEmpty()) {
            throw ProblemException.invalid(problems);
        }
    }

    private static void aboveCaps(String prefix, Limits limits, Limits caps, String agencyCode, Map<String, String> problems) {
        String cap = " for the clients of " + agencyCode + ": ask a platform administrator for more";
        if (limits.requestsPerSecond() > caps.requestsPerSecond()) {
            problems.put(prefix + "requestsPerSecond", "is above the cap of " + caps.requestsPerSecond() + cap);
        }
        if (limits.burst() > caps.burst()) {
            problems.put(prefix + "burst", "is above the cap of " + caps.burst() + cap);
        }
        if (limits.concurrentCalls() > caps.concurrentCalls()) {
            problems.put(prefix + "concurrentCalls", "is above the cap of " + caps.concurrentCalls() + cap);
        }
    }

    record NewClient(@NotBlank @Pattern(regexp = ServiceAdmin.CODE, message = "lower-case letters, digits and dashes") String clientId,
                     @NotBlank String agencyCode, @NotBlank String systemCode, @Nullable @Valid LimitsBody limits) {
        @Nullable Limits limitsOrNull() {
            return limits == null ? null : limits.toLimits();
        }
    }

    /**
     * A client's limits; the gateway's defaults apply to a client without them. {@code services} overrides
     * them for calls to one service, keyed {@code agency/system/service}.
     */
    record LimitsBody(@Min(1) @Max(100_000) int requestsPerSecond, @Min(1) @Max(100_000) int burst,
                      @Min(1) @Max(10_000) int concurrentCalls, @Nullable @Min(1) @Max(16_777_216) Long maxBodyBytes,
                      @Nullable @Size(max = 1_000) Map<@Pattern(regexp = SERVICE_KEY, message = "agency/system/service") String,
                              @Valid LimitsBody> services) {
        Limits toLimits() {
            var overrides = new LinkedHashMap<String, Limits>();
            if (services != null) {
                services.forEach((key, body) -> {
                    if (body.services() != null && !body.services().isEmpty()) {
                        throw ProblemException.invalid("services." + key + ".services", "an override has no overrides of its own");
                    }
                    overrides.put(key, body.toLimits());
                });
            }
            return new Limits(requestsPerSecond, burst, concurrentCalls, maxBodyBytes, overrides);
        }
    }

    static final String SERVICE_KEY = "[^/\\s]+/[^/\\s]+/[^/\\s]+";

    /** An override names a registered service: a typo must not silently leave a client unlimited there. */
    private static void requireKnownServices(RegistryData data, @Nullable Limits limits) {
        if (limits == null) {
            return;
        }
        limits.services().keySet().forEach(key -> {
            String[] parts = key.split("/");
            if (data.service(parts[0], parts[1], parts[2]).isEmpty()) {
                throw ProblemException.invalid("services." + key, "is not a registered service");
            }
        });
    }

    @PutMapping("/{clientId}/limits")
    StoredClient.LimitsView limits(@PathVariable String clientId, @Valid @RequestBody LimitsBody body, HttpServletRequest request) {
        Administrator admin = admins.of(request);
        StoredClient client = scoped(admin, clientId);
        var limited = client.withLimits(body.toLimits());
        store.change(admin.clientId(), "client.limits-changed", clientId, client.agencyCode(),
                data -> {
                    requireWithinCaps(admin, data, client.agencyCode(), limited.limits());
                    requireKnownServices(data, limited.limits());
                    return withClients(data, data.clients().stream().map(c -> c.clientId().equals(clientId) ? limited : c).toList());
                });
        return new StoredClient.LimitsView(clientId, limited.limits());
    }

    record Rotation(@Nullable Duration overlap) {
    }

    /** The one response that carries a secret. */
    record Credentials(String clientId, String secret, @Nullable Instant previousSecretsValidUntil) {
    }

    @PostMapping
    ResponseEntity<Credentials> create(@Valid @RequestBody NewClient body, HttpServletRequest request) {
        Administrator admin = admins.of(request);
        admin.requireScope(body.agencyCode());
        String secret = ClientSecrets.generate();
        var client = new StoredClient(body.clientId(), body.agencyCode(), body.systemCode(), List.of(StoredClient.SYSTEM), true,
                List.of(new StoredSecret(passwords.encode(secret), Instant.now(), null)), body.limitsOrNull(), null);
        store.change(admin.clientId(), "client.created", body.clientId(), body.agencyCode(), data -> {
            if (data.system(body.agencyCode(), body.systemCode()).isEmpty()) {
                throw ProblemException.invalid("systemCode", "is not a registered system of " + body.agencyCode());
            }
            requireWithinCaps(admin, data, body.agencyCode(), client.limits());
            requireKnownServices(data, client.limits());
            if (data.client(body.clientId()).isPresent()) {
                throw ProblemException.conflict("Client " + body.clientId() + " exists");
            }
            return withClients(data, Existing.append(data.clients(), client));
        });
        return ResponseEntity.created(URI.create("/admin/clients/" + body.clientId())).cacheControl(CacheControl.noStore())
                .body(new Credentials(body.clientId(), secret, null));
    }

    @PostMapping("/{clientId}/secret")
    ResponseEntity<Credentials> rotate(@PathVariable String clientId, @RequestBody(required = false) @Nullable Rotation body,
                                       HttpServletRequest request) {
        Administrator admin = admins.of(request);
        StoredClient client = scoped(admin, clientId);
        Duration overlap = body == null || body.overlap() == null ? Duration.ofHours(24) : body.overlap();
        if (overlap.isNegative() || overlap.compareTo(MAX_OVERLAP) > 0) {
            throw ProblemException.invalid("overlap", "must be between PT0S and " + MAX_OVERLAP);
        }
        Instant now = Instant.now();
        Instant until = now.plus(overlap);
        String secret = ClientSecrets.generate();
        var secrets = new ArrayList<StoredSecret>();
        client.secrets().stream().filter(s -> s.usableAt(now))
                .map(s -> new StoredSecret(s.hash(), s.createdAt(), s.expiresAt() != null && s.expiresAt().isBefore(until) ? s.expiresAt() : until))
                .forEach(secrets::add);
        secrets.add(new StoredSecret(passwords.encode(secret), now, null));
        var rotated = client.withSecrets(secrets);
        store.change(admin.clientId(), "client.secret-rotated", clientId, client.agencyCode(),
                data -> withClients(data, data.clients().stream().map(c -> c.clientId().equals(clientId) ? rotated : c).toList()));
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(new Credentials(clientId, secret, until));
    }

    /**
     * Binds the client to a certificate, sent as PEM ({@code application/pem-certificate-chain}, RFC 8555;
     * the first certificate is the client's own). From then on it gets tokens only over a TLS connection to
     * the gateway that shows this certificate, and each token names it (RFC 8705).
     */
    @PutMapping(path = "/{clientId}/certificate", consumes = ClientCertificates.PEM_CHAIN)
    ClientCertificate bind(@PathVariable String clientId, @RequestBody String pem, HttpServletRequest request) {
        Administrator admin = admins.of(request);
        StoredClient client = scoped(admin, clientId);
        ClientCertificate certificate = ClientCertificates.parse(pem, Instant.now());
        var bound = client.withCertificate(certificate);
        store.change(admin.clientId(), "client.certificate-bound", clientId, client.agencyCode(),
                data -> withClients(data, data.clients().stream().map(c -> c.clientId().equals(clientId) ? bound : c).toList()));
        return certificate;
    }

    /** Releases the client from its certificate: its secret alone gets (unbound) tokens again. */
    @DeleteMapping("/{clientId}/certificate")
    ResponseEntity<Void> unbind(@PathVariable String clientId, HttpServletRequest request) {
        Administrator admin = admins.of(request);
        StoredClient client = scoped(admin, clientId);
        if (client.certificate() == null) {
            throw ProblemException.notFound("certificate of client " + clientId);
        }
        var unbound = client.withCertificate(null);
        store.change(admin.clientId(), "client.certificate-unbound", clientId, client.agencyCode(),
                data -> withClients(data, data.clients().stream().map(c -> c.clientId().equals(clientId) ? unbound : c).toList()));
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/{clientId}")
    ResponseEntity<Void> revoke(@PathVariable String clientId, HttpServletRequest request) {
        Administrator admin = admins.of(request);
        StoredClient client = scoped(admin, clientId);
        var revoked = client.withEnabled(false);
        store.change(admin.clientId(), "client.revoked", clientId, client.agencyCode(),
                data -> withClients(data, data.clients().stream().map(c -> c.clientId().equals(clientId) ? revoked : c).toList()));
        return ResponseEntity.noContent().build();
    }

    private StoredClient scoped(Administrator admin, String clientId) {
        StoredClient client = store.current().client(clientId).orElseThrow(() -> ProblemException.notFound("client " + clientId));
        if (client.agencyCode() == null) {
            admin.requirePlatform();
        } else {
            admin.requireScope(client.agencyCode());
        }
        return client;
    }

    private static RegistryData withClients(RegistryData data, List<StoredClient> clients) {
        return data.withClients(clients);
    }
}
