package vn.ndx.web.proof;

import java.nio.file.Path;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param keyFile the service's key for the gateway's proofs, owner-only, shared with the gateway alone
 *                (deploy/run creates it; in Kubernetes, a secret). No default: a key someone else could know is no key
 */
@ConfigurationProperties(GatewayProofProperties.PREFIX)
public record GatewayProofProperties(Path keyFile) {

    public static final String PREFIX = "ndx.gateway-proof";

    public GatewayProofProperties {
        Objects.requireNonNull(keyFile, PREFIX + ".key-file must be set: the key the gateway proves its calls with");
    }
}
