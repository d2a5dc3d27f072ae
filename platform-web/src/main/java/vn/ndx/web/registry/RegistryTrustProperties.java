package vn.ndx.web.registry;

import java.nio.file.Path;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param file the registry's public key(s) this reader pins, PEM: only snapshots signed by it (or by a key it
 *             endorsed) are applied. Not writable by others; no default (deploy/run writes it; in Kubernetes, a secret)
 */
@ConfigurationProperties(RegistryTrustProperties.PREFIX)
public record RegistryTrustProperties(Path file) {

    static final String PREFIX = "ndx.registry-trust";

    public RegistryTrustProperties {
        Objects.requireNonNull(file, PREFIX + ".file must be set: the registry key snapshots must be signed with");
    }
}
