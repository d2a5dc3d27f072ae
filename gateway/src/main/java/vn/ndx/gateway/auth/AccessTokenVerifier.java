package vn.ndx.gateway.auth;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import vn.ndx.contract.ProblemCode;
import vn.ndx.gateway.GatewayProperties;
import vn.ndx.gateway.call.Caller;
import vn.ndx.gateway.problem.Refusal;
import vn.ndx.gateway.registry.RegistryIndex;

/**
 * Checks an access token locally: signature against the registry's replicated keys (found by {@code kid}),
 * issuer, expiry, and that its client still exists and is enabled, so revoking a client takes effect as
 * soon as the registry's next snapshot arrives, without waiting for its tokens to expire. A token whose
 * signature verified is remembered until it expires: the signature check is the costly part, and a
 * client presents the same token for its whole life. A token bound to a client certificate (RFC 8705,
 * {@code cnf.x5t#S256}) is accepted only over a connection that presented that certificate, so a stolen
 * token is useless without the private key.
 */
@Component
public class AccessTokenVerifier {

    /** ECDSA P-256 verification costs about a millisecond of CPU: a token is verified once, then remembered. */
    private static final int MAX_REMEMBERED = 20_000;

    private record Remembered(String clientId, String keyId, Instant expiresAt, @Nullable String boundTo) {
    }

    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();
    private final String issuer;
    private final Duration clockSkew;

    AccessTokenVerifier(GatewayProperties properties) {
        this.issuer = properties.token().issuer();
        this.clockSkew = properties.token().clockSkew();
    }

    /** Outcome of a check: an agency system, an operator, or why there is neither. */
    public sealed interface Result {
        record Verified(Caller caller) implements Result {
        }

        record VerifiedOperator(String clientId, String role) implements Result {
        }

        record Rejected(Refusal refusal) implements Result {
        }
    }

    /**
     * A token of an agency system's client, presented over a connection that showed the client certificate
     * with thumbprint {@code presented} ({@link PresentedCertificate}), or none.
     */
    public Result verify(String token, RegistryIndex registry, @Nullable String presented) {
        return verify(token, registry, presented, AccessTokenVerifier::callerOf);
    }

    /** Whether {@code token} was verified before and is remembered: no signature to check again. */
    public boolean remembers(String token) {
        return remembered.containsKey(token);
    }

    /** A token of an operator's client; a system's token is refused as out of scope. */
    public Result verifyOperator(String token, RegistryIndex registry, @Nullable String presented) {
        return verify(token, registry, presented, AccessTokenVerifier::operatorOf);
    }

    private Result verify(String token, RegistryIndex registry, @Nullable String presented,
                          BiFunction<String, RegistryIndex, Result> clientOf) {
        Remembered known = remembered.get(token);
        if (known != null) {
            // still checked every time: not expired, its key still published, its client still enabled
            if (known.expiresAt().plus(clockSkew).isAfter(Instant.now()) && registry.verifier(known.keyId()) != null) {
                return boundElsewhere(known.boundTo(), presented) ? unbound() : clientOf.apply(known.clientId(), registry);
            }
            remembered.remove(token);
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm()) || jwt.getHeader().getKeyID() == null) {
                return invalid("The token is not signed the way the platform signs tokens");
            }
            var verifier = registry.verifier(jwt.getHeader().getKeyID());
            if (verifier == null || !jwt.verify(verifier)) {
                return invalid("The token's signature does not verify");
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date expiry = claims.getExpirationTime();
            if (!issuer.equals(claims.getIssuer()) || expiry == null
                    || expiry.toInstant().plus(clockSkew).isBefore(Instant.now())) {
                return invalid("The token is expired or not issued by this platform");
            }
            String clientId = claims.getStringClaim("client_id");
            if (clientId == null) {
                return invalid("The token names no client");
            }
            String boundTo = boundTo(claims);
            if (boundElsewhere(boundTo, presented)) {
                return unbound();
            }
            Result result = clientOf.apply(clientId, registry);
            if (!(result instanceof Result.Rejected)) {
                remember(token, new Remembered(clientId, jwt.getHeader().getKeyID(), expiry.toInstant(), boundTo));
            }
            return result;
        } catch (ParseException | JOSEException e) {
            return invalid("The token cannot be read");
        }
    }

    /** The thumbprint of the certificate the token is bound to, {@code cnf.x5t#S256}, if it is bound. */
    private static @Nullable String boundTo(JWTClaimsSet claims) throws ParseException {
        Map<String, Object> confirmation = claims.getJSONObjectClaim("cnf");
        Object thumbprint = confirmation == null ? null : confirmation.get("x5t#S256");
        return thumbprint == null ? null : thumbprint.toString();
    }

    private static boolean boundElsewhere(@Nullable String boundTo, @Nullable String presented) {
        return boundTo != null && !java.security.MessageDigest.isEqual(boundTo.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                presented == null ? new byte[0] : presented.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static Result unbound() {
        return invalid("The token is bound to a client certificate this connection did not present");
    }

    private static Result callerOf(String clientId, RegistryIndex registry) {
        var client = registry.client(clientId);
        if (client == null || !client.enabled()) {
            return invalid("The token's client is unknown or revoked");
        }
        return new Result.Verified(new Caller(client.agencyCode(), client.systemCode(), client.clientId()));
    }

    private static Result operatorOf(String clientId, RegistryIndex registry) {
        var operator = registry.operator(clientId);
        if (operator == null) {
            return registry.client(clientId) != null
                    ? new Result.Rejected(new Refusal(ProblemCode.OUT_OF_SCOPE, "Only the platform's operators may call this"))
                    : invalid("The token's client is unknown or revoked");
        }
        return operator.enabled() ? new Result.VerifiedOperator(clientId, operator.role()) : invalid("The token's client is unknown or revoked");
    }

    private void remember(String token, Remembered verified) {
        if (remembered.size() >= MAX_REMEMBERED) {
            Instant now = Instant.now();
            remembered.values().removeIf(entry -> entry.expiresAt().isBefore(now));
            if (remembered.size() >= MAX_REMEMBERED) {
                remembered.clear(); // a flood of distinct valid tokens: start over rather than grow
            }
        }
        remembered.put(token, verified);
    }

    private static Result invalid(String detail) {
        return new Result.Rejected(new Refusal(ProblemCode.TOKEN_INVALID, detail));
    }
}
