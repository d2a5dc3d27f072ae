package vn.ndx.gateway.registry;

import java.text.ParseException;
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
import vn.ndx.contract.RegistrySnapshot;
import vn.ndx.contract.RegistrySnapshot.Agency;
import vn.ndx.contract.RegistrySnapshot.Client;
import vn.ndx.contract.RegistrySnapshot.Grant;
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
    private final Set<Grant> grants;
    private final Map<String, Client> clients = new HashMap<>();
    private final Map<String, ECDSAVerifier> verifiers = new HashMap<>();

    RegistryIndex(RegistrySnapshot snapshot) {
        this.version = snapshot.version();
        this.publishedAt = snapshot.publishedAt();
        snapshot.agencies().forEach(agency -> agencies.put(agency.code(), agency));
        snapshot.systems().forEach(system -> systems.add(key(system.agencyCode(), system.code())));
        snapshot.services().forEach(service -> services.put(
                key(service.agencyCode(), service.systemCode(), service.code()), service));
        this.grants = Set.copyOf(snapshot.grants());
        snapshot.clients().forEach(client -> clients.put(client.clientId(), client));
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

    public boolean granted(String consumerAgency, String consumerSystem, Service service) {
        return grants.contains(new Grant(consumerAgency, consumerSystem,
                service.agencyCode(), service.systemCode(), service.code()));
    }

    public @Nullable Client client(String clientId) {
        return clients.get(clientId);
    }

    public @Nullable ECDSAVerifier verifier(String keyId) {
        return verifiers.get(keyId);
    }

    private static String key(String... parts) {
        return String.join("/", parts);
    }

}
