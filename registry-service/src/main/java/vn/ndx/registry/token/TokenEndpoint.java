package vn.ndx.registry.token;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import vn.ndx.contract.Headers;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;
import vn.ndx.registry.keys.SigningKeys;
import vn.ndx.registry.model.RegistryData.StoredClient;
import vn.ndx.registry.model.RegistryData.StoredSecret;
import vn.ndx.registry.store.RegistryStore;

/**
 * OAuth2 client credentials grant (RFC 6749 section 4.4), client authenticated with HTTP Basic, and the
 * public keys that verify the tokens.
 */
@RestController
class TokenEndpoint {

    private final RegistryStore store;
    private final PasswordEncoder passwords;
    private final AccessTokenIssuer issuer;
    private final SigningKeys keys;
    private final FailedAuthentications failures;
    /** Checked against when the client id is unknown, so a wrong id costs as long as a wrong secret. */
    private final String unknownClientHash;

    TokenEndpoint(RegistryStore store, PasswordEncoder passwords, AccessTokenIssuer issuer, SigningKeys keys,
                  FailedAuthentications failures) {
        this.failures = failures;
        this.store = store;
        this.passwords = passwords;
        this.issuer = issuer;
        this.keys = keys;
        this.unknownClientHash = passwords.encode(java.util.UUID.randomUUID().toString());
    }

    @PostMapping(path = "/oauth2/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<Map<String, Object>> token(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
                                              @RequestParam(name = "grant_type", required = false) @Nullable String grantType,
                                              @RequestHeader(name = Headers.CLIENT_CERTIFICATE, required = false) @Nullable String presented,
                                              @RequestHeader(name = Headers.CLIENT_ADDRESS, required = false) @Nullable String address) {
        Optional<String[]> credentials = basicCredentials(authorization);
        String from = address == null ? "unknown" : address;
        String claimed = credentials.map(c -> c[0]).orElse(null);
        Duration wait = failures.wait(from, claimed);
        if (!wait.isZero()) {
            // refused before any bcrypt check: a flood of wrong secrets costs the registry next to nothing
            throw ProblemException.throttled("Too many failed client authentications from your address: retry in "
                    + Math.max(1, wait.toSeconds()) + " s", wait);
        }
        StoredClient client;
        try {
            client = authenticate(credentials);
            if (client.certificate() != null && !client.certificate().thumbprint().equals(presented)) {
                // a leaked secret alone gets nothing: the client must also hold its certificate's key (RFC 8705)
                throw new ProblemException(ProblemCode.INVALID_CLIENT, "Client " + client.clientId() + " is bound to a certificate: ask"
                        + " for its token over a TLS connection to the gateway that presents it", "invalid_client");
            }
        } catch (ProblemException e) {
            failures.failed(from, claimed);
            throw e;
        }
        failures.succeeded(from, client.clientId());
        if (client.agencyCode() != null && store.current().suspended(client.agencyCode())) {
            throw new ProblemException(ProblemCode.AGENCY_SUSPENDED, "Agency " + client.agencyCode()
                    + " or an agency above it is suspended from the platform", "unauthorized_client");
        }
        if (client.boundToSystem() && !store.current().live(client.agencyCode(), client.systemCode())) {
            throw new ProblemException(ProblemCode.NOT_LIVE, "System " + client.agencyCode() + "/" + client.systemCode()
                    + " has no security assessment recorded: it may not carry traffic yet", "unauthorized_client");
        }
        if (grantType == null || grantType.isBlank()) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, "grant_type is required", "invalid_request");
        }
        if (!"client_credentials".equals(grantType)) {
            throw new ProblemException(ProblemCode.UNSUPPORTED_GRANT_TYPE, "Only grant_type=client_credentials is supported",
                    "unsupported_grant_type");
        }
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).header(HttpHeaders.PRAGMA, "no-cache")
                .body(Map.of("access_token", issuer.issue(client), "token_type", "Bearer",
                        "expires_in", issuer.ttl().toSeconds()));
    }

    @GetMapping(path = "/oauth2/jwks", produces = MediaType.APPLICATION_JSON_VALUE)
    String jwks() {
        return keys.publicKeySet();
    }

    private StoredClient authenticate(Optional<String[]> credentials) {
        if (credentials.isEmpty()) {
            throw invalidClient();
        }
        String id = credentials.get()[0];
        String secret = credentials.get()[1];
        Optional<StoredClient> client = store.current().client(id).filter(StoredClient::enabled);
        if (client.isEmpty()) {
            passwords.matches(secret, unknownClientHash); // as long as a wrong secret takes
            throw invalidClient();
        }
        Instant now = Instant.now();
        for (StoredSecret stored : client.get().secrets()) {
            if (stored.usableAt(now) && passwords.matches(secret, stored.hash())) {
                return client.get();
            }
        }
        throw invalidClient();
    }

    /** HTTP Basic per RFC 6749 section 2.3.1: id and secret are form-url-encoded before base64. */
    private static Optional<String[]> basicCredentials(@Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 1) {
                return Optional.empty();
            }
            return Optional.of(new String[] {
                    java.net.URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static ProblemException invalidClient() {
        return new ProblemException(ProblemCode.INVALID_CLIENT, "Client authentication failed", "invalid_client");
    }
}
