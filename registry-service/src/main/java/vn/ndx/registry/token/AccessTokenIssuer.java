package vn.ndx.registry.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.springframework.stereotype.Component;
import vn.ndx.registry.RegistryProperties;
import vn.ndx.registry.keys.SigningKeys;
import vn.ndx.registry.model.RegistryData.StoredClient;

/**
 * Signs short-lived ES256 access tokens naming the client, its agency, its system and its roles, and the
 * certificate it is bound to, if any.
 */
@Component
class AccessTokenIssuer {

    private final SigningKeys keys;
    private final String issuer;
    private final Duration ttl;

    AccessTokenIssuer(SigningKeys keys, RegistryProperties properties) {
        this.keys = keys;
        this.issuer = properties.token().issuer();
        this.ttl = properties.token().ttl();
    }

    Duration ttl() {
        return ttl;
    }

    String issue(StoredClient client) {
        Instant now = Instant.now();
        var claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(client.clientId())
                .claim("client_id", client.clientId())
                .claim("agency", client.agencyCode())
                .claim("system", client.systemCode())
                .claim("roles", client.roles())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString());
        if (client.certificate() != null) {
            // RFC 8705 section 3.1: the gateway accepts the token only over a connection showing this certificate
            claims.claim("cnf", Map.of("x5t#S256", client.certificate().thumbprint()));
        }
        var key = keys.active();
        var header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build();
        var jwt = new SignedJWT(header, claims.build());
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign an access token", e);
        }
        return jwt.serialize();
    }
}
