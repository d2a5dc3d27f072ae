package vn.ndx.gateway.registry;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import vn.ndx.contract.RegistrySnapshot;
import vn.ndx.contract.RegistrySnapshot.Agency;
import vn.ndx.contract.RegistrySnapshot.Client;
import vn.ndx.contract.RegistrySnapshot.Grant;
import vn.ndx.contract.RegistrySnapshot.Operator;
import vn.ndx.contract.RegistrySnapshot.Service;

/**
 * One registry snapshot, indexed for the lookups the request path makes: every lookup is a hash-map
 * read, so policy costs no network call and no scan. Immutable; replaced whole when a newer snapshot arrives.
 */
public final class RegistryIndex {

    private final long version;
    private final java.time.Instant publishedAt;
    private final Map<String, Agency> agencies = new HashMap<>();
    private final Set<String> systems = new HashSet<>();
    private final Map<String, Service> services = new HashMap<>();
    /** Grants by consumer system and provider service; a consumer may hold several for one service. */
    private final Map<String, List<GrantRule>> grants = new HashMap<>();
    private final Map<String, Client> clients = new HashMap<>();
    private final Map<String, Operator> operators = new HashMap<>();
    private final Map<String, ECDSAVerifier> verifiers = new HashMap<>();

    RegistryIndex(RegistrySnapshot snapshot) {
        this.version = snapshot.version();
        this.publishedAt = snapshot.publishedAt();
        snapshot.agencies().forEach(agency -> agencies.put(agency.code(), agency));
        snapshot.systems().forEach(system -> systems.add(key(system.agencyCode(), system.code())));
        snapshot.services().forEach(service -> services.put(
                key(service.agencyCode(), service.systemCode(), service.code()), service));
        snapshot.grants().forEach(grant -> grants.computeIfAbsent(key(grant.consumerAgency(), grant.consumerSystem(),
                grant.providerAgency(), grant.providerSystem(), grant.service()), k -> new ArrayList<>()).add(GrantRule.of(grant)));
        snapshot.clients().forEach(client -> clients.put(client.clientId(), client));
        snapshot.operators().forEach(operator -> operators.put(operator.clientId(), operator));
        parseKeys(snapshot.signingKeys());
    }

    private void parseKeys(String jwks) {
        try {
            for (JWK jwk : JWKSet.parse(jwks).getKeys()) {
                if (jwk instanceof ECKey ecKey && jwk.getKeyID() != null) {
                    verifiers.put(jwk.getKeyID(), new ECDSAVerifier(ecKey.toPublicJWK()));
                }
            }
        } catch (ParseException | JOSEException e) {
            throw new IllegalArgumentException("Registry snapshot carries unreadable signing keys", e);
        }
    }

    public long version() {
        return version;
    }

    /** When the registry published this snapshot; it republishes periodically, so age shows a registry outage. */
    public java.time.Instant publishedAt() {
        return publishedAt;
    }

    public @Nullable Agency agency(String code) {
        return agencies.get(code);
    }

    public boolean hasSystem(String agencyCode, String systemCode) {
        return systems.contains(key(agencyCode, systemCode));
    }

    public @Nullable Service service(String agencyCode, String systemCode, String code) {
        return services.get(key(agencyCode, systemCode, code));
    }

    /** Whether the consumer holds any grant for the service, whatever its methods and paths. */
    public boolean granted(String consumerAgency, String consumerSystem, Service service) {
        return grants.containsKey(key(consumerAgency, consumerSystem, service.agencyCode(), service.systemCode(), service.code()));
    }

    /** Whether one of the consumer's grants for the service allows this method on this path below the service. */
    public boolean granted(String consumerAgency, String consumerSystem, Service service, String method, String path) {
        var rules = grants.get(key(consumerAgency, consumerSystem, service.agencyCode(), service.systemCode(), service.code()));
        return rules != null && rules.stream().anyMatch(rule -> rule.allows(method, path));
    }

    /** A grant's methods and pre-parsed path patterns, so a check is a few comparisons. */
    private record GrantRule(Set<String> methods, List<PathPattern> paths) {

        private static final PathPatternParser PARSER = new PathPatternParser();

        static GrantRule of(Grant grant) {
            return new GrantRule(Set.copyOf(grant.methods()), grant.paths().stream().map(PARSER::parse).toList());
        }

        boolean allows(String method, String path) {
            if (!methods.isEmpty() && !methods.contains(method)) {
                return false;
            }
            if (paths.isEmpty()) {
                return true;
            }
            PathContainer container = PathContainer.parsePath(path.isEmpty() ? "/" : path);
            return paths.stream().anyMatch(pattern -> pattern.matches(container));
        }
    }

    public @Nullable Client client(String clientId) {
        return clients.get(clientId);
    }

    public @Nullable Operator operator(String clientId) {
        return operators.get(clientId);
    }

    public @Nullable ECDSAVerifier verifier(String keyId) {
        return verifiers.get(keyId);
    }

    private static String key(String... parts) {
        return String.join("/", parts);
    }

}
