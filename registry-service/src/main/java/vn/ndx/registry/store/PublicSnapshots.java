package vn.ndx.registry.store;

import java.time.Instant;

import org.springframework.stereotype.Component;
import vn.ndx.contract.RegistrySnapshot;
import vn.ndx.contract.RegistrySnapshot.Agency;
import vn.ndx.contract.RegistrySnapshot.Client;
import vn.ndx.contract.RegistrySnapshot.Egress;
import vn.ndx.contract.RegistrySnapshot.Grant;
import vn.ndx.contract.RegistrySnapshot.Operator;
import vn.ndx.registry.keys.SigningKeys;
import vn.ndx.registry.model.RegistryData;
import vn.ndx.registry.model.RegistryData.StoredClient;

/**
 * What the data plane may see of the registry: assessed systems and services, grants active now, clients
 * of assessed systems without their secrets, and the public signing keys. Administrators' clients never
 * reach the data plane.
 */
@Component
class PublicSnapshots {

    private final SigningKeys keys;

    PublicSnapshots(SigningKeys keys) {
        this.keys = keys;
    }

    RegistrySnapshot of(RegistryData data) {
        Instant now = Instant.now();
        // systems and services not yet assessed do not exist for the data plane: no call reaches or leaves them
        // a suspension holds for the agency's whole subtree: the data plane sees every agency under it suspended
        return new RegistrySnapshot(data.version(), now, data.agencies().stream()
                        .map(a -> new Agency(a.code(), a.name(), data.suspended(a.code()))).toList(),
                data.systems().stream().filter(s -> data.live(s.agencyCode(), s.code())).toList(),
                data.services().stream().filter(data::live).toList(),
                data.grants().stream().filter(grant -> grant.activeAt(now))
                        .map(g -> new Grant(g.consumerAgency(), g.consumerSystem(), g.providerAgency(), g.providerSystem(), g.service(),
                                g.methods(), g.paths(), g.purposes()))
                        .distinct().toList(),
                data.clients().stream().filter(StoredClient::boundToSystem).filter(c -> data.live(c.agencyCode(), c.systemCode()))
                        .map(c -> new Client(c.clientId(), c.agencyCode(), c.systemCode(), c.enabled(), c.limits())).toList(),
                keys.publicKeySet(),
                data.clients().stream().map(PublicSnapshots::operator).filter(java.util.Objects::nonNull).toList(),
                // each agency's allowance as it holds, its own or its nearest ancestor's: readers look up, never walk
                data.agencies().stream().map(a -> {
                    var egress = data.egressOf(a.code());
                    return egress == null ? null : new Egress(a.code(), egress.plainHttp(), egress.networks());
                }).filter(java.util.Objects::nonNull).toList());
    }

    /**
     * The data plane's view of a client that is not an agency system's: an operator, or the citizen portal,
     * which is nothing else (a client that holds an operator's role as well is taken as the operator).
     */
    private static @org.jspecify.annotations.Nullable Operator operator(StoredClient client) {
        if (client.roles().contains(StoredClient.PLATFORM_ADMIN) || client.roles().contains(StoredClient.OPERATOR)) {
            return new Operator(client.clientId(), client.enabled(), client.roles().contains(StoredClient.PLATFORM_ADMIN));
        }
        return client.roles().contains(StoredClient.CITIZEN_PORTAL) ? Operator.citizenPortal(client.clientId(), client.enabled()) : null;
    }
}
