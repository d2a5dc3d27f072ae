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
import com.nimbusds.jose.util.JSONObjectUtils;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import vn.ndx.contract.EgressRules;
import vn.ndx.contract.RegistrySnapshot;
import vn.ndx.contract.RegistrySnapshotReader;
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
    private final Map<String, RegistrySnapshot.Egress> egress = new HashMap<>();
    /** The agencies whose services name each upstream host and port ({@code host:port}, the port explicit). */
    private final Map<String, Set<String>> agenciesAt = new HashMap<>();

    /**
     * Indexes {@code snapshot} entry by entry: an entry the gateway cannot use (a grant's path pattern that
     * does not parse, an unreadable signing key) is reported to {@code rejections} and left out, and the
     * rest applies: one bad entry never holds the whole view back.
     */
    RegistryIndex(RegistrySnapshot snapshot, RegistrySnapshotReader.Rejections rejections) {
        this.version = snapshot.version();
        this.publishedAt = snapshot.publishedAt();
        snapshot.agencies().forEach(agency -> agencies.put(agency.code(), agency));
        snapshot.systems().forEach(system -> systems.add(key(system.agencyCode(), system.code())));
        for (Grant grant : snapshot.grants()) {
            GrantRule rule;
            try {
                rule = GrantRule.of(grant);
            } catch (RuntimeException e) {
                rejections.reject("grant", grant.consumerAgency() + "/" + grant.consumerSystem() + " -> "
                        + key(grant.providerAgency(), grant.providerSystem(), grant.service()), e.getClass().getSimpleName());
                continue;
            }
            grants.computeIfAbsent(key(grant.consumerAgency(), grant.consumerSystem(), grant.providerAgency(),
                    grant.providerSystem(), grant.service()), k -> new ArrayList<>()).add(rule);
        }
        snapshot.egress().forEach(allowance -> egress.put(allowance.agencyCode(), allowance));
        for (Service service : snapshot.services()) {
            String serviceKey = key(service.agencyCode(), service.systemCode(), service.code());
            if (service.upstreamUrl() != null) {
                try {
                    agenciesAt.computeIfAbsent(EgressRules.authority(java.net.URI.create(service.upstreamUrl())), k -> new HashSet<>())
                            .add(service.agencyCode());
                } catch (IllegalArgumentException e) {
                    rejections.reject("service", serviceKey, "unreadable upstreamUrl"); // left out: nothing routes to it
                    continue;
                }
            }
            services.put(serviceKey, service);
        }
        snapshot.clients().forEach(client -> clients.put(client.clientId(), client));
        snapshot.operators().forEach(operator -> operators.put(operator.clientId(), operator));
        parseKeys(snapshot.signingKeys(), rejections);
    }


    private void parseKeys(String jwks, RegistrySnapshotReader.Rejections rejections) {
        List<Object> keys;
        try {
            keys = JSONObjectUtils.getJSONArray(JSONObjectUtils.parse(jwks), "keys");
        } catch (ParseException e) {
            rejections.reject("signing-key", "keys", "unreadable key set");
            return;
        }
        if (keys == null) {
            rejections.reject("signing-key", "keys", "no keys");
            return;
        }
        for (Object key : keys) {
            try {
                @SuppressWarnings("unchecked")
                JWK jwk = JWK.parse((Map<String, Object>) key);
                if (jwk instanceof ECKey ecKey && jwk.getKeyID() != null) {
                    verifiers.put(jwk.getKeyID(), new ECDSAVerifier(ecKey.toPublicJWK()));
                } else {
                    rejections.reject("signing-key", String.valueOf(jwk.getKeyID()), "not an EC key with an id");
                }
            } catch (ParseException | JOSEException | ClassCastException e) {
                rejections.reject("signing-key", "keys", e.getClass().getSimpleName());
            }
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

    /**
     * Whether one of the consumer's grants for the service names {@code purpose} and, for a query (a non-null
     * {@code method}), allows this method on this path: a purpose granted for one part of a service does not
     * carry over to another.
     */
    public boolean purposeGranted(String consumerAgency, String consumerSystem, Service service, @Nullable String method,
                                  String path, String purpose) {
        var rules = grants.get(key(consumerAgency, consumerSystem, service.agencyCode(), service.systemCode(), service.code()));
        return rules != null && rules.stream().anyMatch(rule -> rule.purposes().contains(purpose)
                && (method == null || rule.allows(method, path)));
    }

    /** A grant's methods, pre-parsed path patterns and purposes, so a check is a few comparisons. */
    private record GrantRule(Set<String> methods, List<PathPattern> paths, Set<String> purposes) {

        private static final PathPatternParser PARSER = new PathPatternParser();

        static GrantRule of(Grant grant) {
            return new GrantRule(Set.copyOf(grant.methods()), grant.paths().stream().map(PARSER::parse).toList(),
                    Set.copyOf(grant.purposes()));
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

    /** The allowance that holds for an agency's providers, or null: public HTTPS addresses only. */
    public RegistrySnapshot.@Nullable Egress egressOf(String agencyCode) {
        return egress.get(agencyCode);
    }

    /**
     * The allowances of the agencies whose services name this upstream ({@code host:port}), one per agency,
     * null for an agency without: empty when no service names it.
     */
    public List<RegistrySnapshot.@Nullable Egress> allowancesAt(String authority) {
        Set<String> agencies = agenciesAt.get(authority);
        if (agencies == null) {
            return List.of();
        }
        var allowances = new ArrayList<RegistrySnapshot.@Nullable Egress>(agencies.size());
        agencies.forEach(agency -> allowances.add(egress.get(agency)));
        return allowances;
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
