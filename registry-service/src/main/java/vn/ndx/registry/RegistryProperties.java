package vn.ndx.registry;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the registry, checked at start.
 *
 * @param stateDir          where the registry file and the signing key live
 * @param demoClientsFile   where the demo clients' secrets are written on first start ({@code client_id=secret})
 * @param token             how access tokens are issued
 * @param demo              the demo registry's settings
 * @param republishInterval how often the current snapshot is published again, healing a topic that lost it
 * @param agencyGroups      the level-1 group letters of QCVN 102:2016 agency codes this registry accepts
 * @param maxBody           the largest request body, except imports
 * @param maxImport         the largest registry document an import takes
 * @param snapshotSigning   the key every snapshot for the data plane is signed with
 * @param agencyCaps        the most an agency administrator may let one client do where a platform
 *                          administrator has set no caps for its agency
 */
@ConfigurationProperties(RegistryProperties.PREFIX)
public record RegistryProperties(Path stateDir, @Nullable Path demoClientsFile, Token token, Demo demo,
                                 Duration republishInterval, String agencyGroups, DataSize maxBody, DataSize maxImport,
                                 SnapshotSigning snapshotSigning, AgencyCaps agencyCaps) {

    public static final String PREFIX = "ndx.registry";

    public RegistryProperties {
        Objects.requireNonNull(stateDir, PREFIX + ".state-dir must be set");
        Objects.requireNonNull(token, PREFIX + ".token must be set");
        Objects.requireNonNull(demo, PREFIX + ".demo must be set");
        Objects.requireNonNull(republishInterval, PREFIX + ".republish-interval must be set");
        Objects.requireNonNull(maxBody, PREFIX + ".max-body must be set");
        Objects.requireNonNull(maxImport, PREFIX + ".max-import must be set");
        Objects.requireNonNull(snapshotSigning, PREFIX + ".snapshot-signing.key-file must be set");
        Objects.requireNonNull(agencyCaps, PREFIX + ".agency-caps must be set");
        if (agencyGroups == null || !agencyGroups.matches("[A-Z]+")) {
            throw new IllegalArgumentException(PREFIX + ".agency-groups must be upper-case letters, e.g. GH");
        }
    }

    public Path demoClients() {
        return demoClientsFile != null ? demoClientsFile : stateDir.resolve("demo-clients.env");
    }

    /** Default caps on one client's limits, per gateway instance, as {@code PUT /admin/clients/{id}/limits} sets them. */
    public record AgencyCaps(int requestsPerSecond, int burst, int concurrentCalls) {

        public vn.ndx.contract.RegistrySnapshot.Limits limits() {
            return new vn.ndx.contract.RegistrySnapshot.Limits(requestsPerSecond, burst, concurrentCalls);
        }
    }

    /** @param issuer the {@code iss} of every token; gateways check it; @param ttl lifetime of a token */
    public record Token(String issuer, Duration ttl) {
    }

    /**
     * The registry's signature on its snapshots: gateways and exchanges apply only snapshots that verify
     * against the public key they pin (docs/security.md).
     *
     * @param keyFile         owner-only PEM file with the EC P-256 private key (PKCS#8) and its public key;
     *                        no default (deploy/run makes one; in Kubernetes, a secret)
     * @param previousKeyFile while rotating, the key readers still pin: it endorses the new key on every snapshot
     */
    public record SnapshotSigning(Path keyFile, @Nullable Path previousKeyFile) {
        public SnapshotSigning {
            Objects.requireNonNull(keyFile, PREFIX + ".snapshot-signing.key-file must be set: the key snapshots are signed with");
        }
    }

    /** @param providerUrl upstream of the demo tax registry's query service */
    public record Demo(URI providerUrl) {
    }
}
