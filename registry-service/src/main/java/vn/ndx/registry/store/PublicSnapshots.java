package vn.ndx.registry.store;

import java.time.Instant;

import org.springframework.stereotype.Component;
import vn.ndx.contract.RegistrySnapshot;
import vn.ndx.contract.RegistrySnapshot.Client;
import vn.ndx.contract.RegistrySnapshot.Grant;
import vn.ndx.registry.keys.SigningKeys;
import vn.ndx.registry.model.RegistryData;
import vn.ndx.registry.model.RegistryData.StoredClient;

/**
 * What the data plane may see of the registry: grants active now, system clients without their secrets,
 * and the public signing keys. Administrators' clients never reach the data plane.
 */
@Component
class PublicSnapshots {

    private final SigningKeys keys;

    PublicSnapshots(SigningKeys keys) {
        this.keys = keys;
    }

    RegistrySnapshot of(RegistryData data) {
        Instant now = Instant.now();
        return new RegistrySnapshot(data.version(), now, data.agencies(), data.systems(), data.services(),
                data.grants().stream().filter(grant -> grant.activeAt(now))
                        .map(g -> new Grant(g.consumerAgency(), g.consumerSystem(), g.providerAgency(), g.providerSystem(), g.service()))
                        .distinct().toList(),
                data.clients().stream().filter(StoredClient::boundToSystem)
                        .map(c -> new Client(c.clientId(), c.agencyCode(), c.systemCode(), c.enabled())).toList(),
                keys.publicKeySet());
    }
}
