package vn.ndx.gateway.assertion;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import vn.ndx.contract.SecretFiles;
import vn.ndx.contract.ServiceAddress;
import vn.ndx.gateway.GatewayProperties;
import vn.ndx.gateway.call.Caller;

/**
 * Signs the platform assertion a provider receives in {@code X-Ndx-Assertion}: an ES256 JWT from the
 * gateway saying which consumer agency, system and client it authenticated and authorized for the
 * provider's service (the audience). A provider that checks it against {@link #publicKeys()} knows the
 * call came through the platform and whom it came from, even if its network is shared with others.
 *
 * <p>One assertion is signed per client and service and reused until shortly before it expires: an ECDSA
 * signature costs far more than the rest of a forwarded call, and the statement does not change between
 * calls. The transaction id travels beside it in {@code X-Transaction-Id}.
 *
 * <p>The keys live in a JWK set file shared by all gateway replicas; the first key signs, all are
 * published, so a new key is rolled out by putting it first and dropping the old one after the lifetime
 * of its assertions. Without a file the gateway makes one.
 */
@Component
public class PlatformAssertions {

    private static final Logger log = LoggerFactory.getLogger(PlatformAssertions.class);
    private static final int MAX_HELD = 50_000;

    private record Issued(String assertion, Instant renewAt) {
    }

    private final GatewayProperties.Assertion settings;
    private final JWKSet keys;
    private final ECKey signingKey;
    private final JWSSigner signer;
    private final Map<String, Issued> issued = new ConcurrentHashMap<>();

    PlatformAssertions(GatewayProperties properties) {
        this.settings = properties.assertion();
        this.keys = loadOrCreate(settings.keyFile());
        if (!(keys.getKeys().get(0) instanceof ECKey first) || !first.isPrivate() || !Curve.P_256.equals(first.getCurve())) {
            throw new IllegalStateException("The first key of " + settings.keyFile() + " must be a private P-256 EC key");
        }
        this.signingKey = first;
        try {
            this.signer = new ECDSASigner(first);
        } catch (JOSEException e) {
            throw new IllegalStateException("The assertion key cannot sign", e);
        }
    }

    /** The assertion for this caller calling this provider service, signed at most once per lifetime. */
    public String assertionFor(Caller caller, String providerAgency, String providerSystem, String service) {
        String audience = new ServiceAddress(providerAgency, providerSystem, service).toString();
        String key = caller.clientId() + " " + audience;
        Instant now = Instant.now();
        Issued held = issued.get(key);
        if (held != null && held.renewAt().isAfter(now)) {
            return held.assertion();
        }
        if (issued.size() >= MAX_HELD) {
            issued.clear(); // every pair is re-signed on its next call; the map never grows without bound
        }
        Issued fresh = new Issued(sign(caller, audience, now), now.plus(settings.lifetime()).minus(settings.lifetime().dividedBy(5)));
        issued.put(key, fresh);
        return fresh.assertion();
    }

    /** The public keys, as a JWK set, that a provider checks assertions with. */
    public String publicKeys() {
        return keys.toPublicJWKSet().toString(true);
    }

    private String sign(Caller caller, String audience, Instant now) {
        var claims = new JWTClaimsSet.Builder()
                .issuer(settings.issuer()).audience(audience).subject(caller.clientId())
                .claim("agency", caller.agency()).claim("system", caller.system()).claim("client_id", caller.clientId())
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now.minusSeconds(5)))
                .expirationTime(Date.from(now.plus(settings.lifetime())))
                .jwtID(UUID.randomUUID().toString())
                .build();
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signingKey.getKeyID())
                .type(new JOSEObjectType("ndx-assertion+jwt")).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("Signing a platform assertion failed", e);
        }
        return jwt.serialize();
    }

    private static JWKSet loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return JWKSet.parse(new String(SecretFiles.read(file), StandardCharsets.UTF_8));
            }
            JWK key = new ECKeyGenerator(Curve.P_256).keyID("ndx-gateway-" + Instant.now().getEpochSecond()).generate();
            var set = new JWKSet(List.of(key));
            SecretFiles.write(file, set.toString(false).getBytes(StandardCharsets.UTF_8), false);
            log.info("Made a new platform assertion key {} in {}", key.getKeyID(), file);
            return set;
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("The assertion key file " + file + " is not a usable JWK set", e);
        }
    }

}
