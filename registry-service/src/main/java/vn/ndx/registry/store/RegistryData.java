package vn.ndx.registry.store;

import java.util.List;

import vn.ndx.contract.RegistrySnapshot.Agency;
import vn.ndx.contract.RegistrySnapshot.Grant;
import vn.ndx.contract.RegistrySnapshot.InformationSystem;
import vn.ndx.contract.RegistrySnapshot.Service;

/**
 * The registry as stored: what the data plane sees, plus the clients' secret hashes, which never leave
 * this service.
 *
 * @param version increases with every change, so readers can tell a newer snapshot from an older one
 */
public record RegistryData(long version, List<Agency> agencies, List<InformationSystem> systems,
                           List<Service> services, List<Grant> grants, List<StoredClient> clients) {

    /** A client and the bcrypt hash of its secret. */
    public record StoredClient(String clientId, String agencyCode, String systemCode, boolean enabled, String secretHash) {
    }
}
