package vn.ndx.registry.admin;

import java.text.ParseException;
import java.time.Instant;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;
import vn.ndx.registry.RegistryProperties;
import vn.ndx.registry.keys.SigningKeys;
import vn.ndx.registry.model.RegistryData.StoredClient;
import vn.ndx.registry.store.RegistryStore;

/**
 * Who is administering: a bearer token this registry signed, for a client that is still enabled and
 * holds an administrator role. Checked here rather than at the gateway because the API is also served
 * on the registry's own port to operators.
 */
@Component
public class AdminAuthentication {

    private final SigningKeys keys;
    private final String issuer;
    private final RegistryStore store;

    AdminAuthentication(SigningKeys keys, RegistryProperties properties, RegistryStore store) {
        this.keys = keys;
        this.issuer = properties.token().issuer();
        this.store = store;
    }

    /** Any enabled client with a valid token: a system or an administrator. */
    public StoredClient client(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ProblemException(ProblemCode.TOKEN_MISSING, "Send an access token as 'Authorization: Bearer <token>'");
        }
        String clientId = verifiedClientId(authorization.substring(7).trim());
        return store.current().client(clientId).filter(StoredClient::enabled)
                .orElseThrow(() -> invalid("The token's client is unknown or revoked"));
    }

    /** The administrator the request's token names; refused unless it is one, and one of an agency not suspended. */
    public Administrator of(HttpServletRequest request) {
        StoredClient client = client(request);
        String clientId = client.clientId();
        List<String> roles = client.roles();
        if (roles.contains(StoredClient.PLATFORM_ADMIN)) {
            return new Administrator(clientId, null);
        }
        if (roles.contains(StoredClient.AGENCY_ADMIN) && client.agencyCode() != null) {
            if (store.current().suspended(client.agencyCode())) {
                // a suspended agency's administrators administer nothing, its subtree included, until reinstated
                throw new ProblemException(ProblemCode.AGENCY_SUSPENDED, "Agency " + client.agencyCode()
                        + " or an agency above it is suspended from the platform");
            }
            return new Administrator(clientId, client.agencyCode());
        }
        throw new ProblemException(ProblemCode.OUT_OF_SCOPE, "This client is not an administrator");
    }

    /**
     * A platform operator or administrator reading what the platform's operators watch (the console): the
     * read-only operator may, an agency's administrator or system may not.
     */
    public String watcher(HttpServletRequest request) {
        StoredClient client = client(request);
        if (!client.roles().contains(StoredClient.OPERATOR) && !client.roles().contains(StoredClient.PLATFORM_ADMIN)) {
            throw new ProblemException(ProblemCode.OUT_OF_SCOPE, "Only the platform's operators read this");
        }
        return client.clientId();
    }

    /** The security assessor recording a go-live assessment: that role and no other may. */
    String assessor(HttpServletRequest request) {
        StoredClient client = client(request);
        if (!client.roles().contains(StoredClient.SECURITY_ASSESSOR)) {
            throw new ProblemException(ProblemCode.OUT_OF_SCOPE,
                    "Only a security assessor records security assessments, not the system's or the platform's administrators");
        }
        return client.clientId();
    }

    private String verifiedClientId(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            var key = jwt.getHeader().getKeyID() == null ? null : keys.verifying(jwt.getHeader().getKeyID());
            if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm()) || key == null
                    || !jwt.verify(new ECDSAVerifier(key.toECPublicKey()))) {
                throw invalid("The token's signature does not verify");
            }
            var claims = jwt.getJWTClaimsSet();
            if (!issuer.equals(claims.getIssuer()) || claims.getExpirationTime() == null
                    || claims.getExpirationTime().toInstant().isBefore(Instant.now())) {
                throw invalid("The token is expired or not issued by this platform");
            }
            @Nullable String clientId = claims.getStringClaim("client_id");
            if (clientId == null) {
                throw invalid("The token names no client");
            }
            return clientId;
        } catch (ParseException | JOSEException e) {
            throw invalid("The token cannot be read");
        }
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemCode.TOKEN_INVALID, detail);
    }
}
