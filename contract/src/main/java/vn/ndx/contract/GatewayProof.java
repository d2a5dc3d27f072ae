package vn.ndx.contract;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * The proof that a call to an internal service (exchange, audit, registry) comes from the gateway, carried
 * in {@link Headers#GATEWAY_PROOF}: {@code v1.<expiry epoch seconds>.<HMAC-SHA256, base64url>} over the
 * service it is meant for, the method, the path and query, the transaction id and start, and the identity
 * headers the gateway set (with the thumbprint of the client certificate the caller's connection showed). A proof therefore works for one call only, for seconds, at one service: it
 * cannot lend another path, another caller or a past day to a forged call.
 *
 * <p>Each internal service has its own key, which only it and the gateway hold: a service that is taken
 * over can forge calls to itself, never to its neighbours. A key file holds one base64 key per line; the
 * first signs, every one verifies, so a key is rotated by adding the new one second, then first, then
 * removing the old one (docs/security.md).
 */
public final class GatewayProof {

    /** The longest a proof may be valid for: a proof with a later expiry is refused whatever its MAC. */
    public static final Duration MAX_LIFETIME = Duration.ofSeconds(60);
    /** How far the receiving host's clock may run ahead of the gateway's. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

    private static final String VERSION = "v1";
    private static final String ALGORITHM = "HmacSHA256";
    private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance(ALGORITHM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    });

    private final String audience;
    private final List<SecretKeySpec> keys;

    private GatewayProof(String audience, List<SecretKeySpec> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("No key for the gateway's proofs to " + audience);
        }
        this.audience = audience;
        this.keys = List.copyOf(keys);
    }

    /** Proofs for calls to {@code audience}, with the keys read from an owner-only key file. */
    public static GatewayProof fromKeyFile(String audience, Path keyFile) {
        String text = new String(SecretFiles.read(keyFile), StandardCharsets.US_ASCII);
        var keys = new ArrayList<SecretKeySpec>();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(trimmed);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("The key file " + keyFile + " holds a line that is not base64", e);
            }
            keys.add(key(key, keyFile.toString()));
        }
        if (keys.isEmpty()) {
            throw new IllegalStateException("The key file " + keyFile + " holds no key");
        }
        return new GatewayProof(audience, keys);
    }

    /** Proofs for calls to {@code audience} with the given keys, the first signing. */
    public static GatewayProof of(String audience, List<byte[]> keys) {
        return new GatewayProof(audience, keys.stream().map(key -> key(key, audience)).toList());
    }

    /** A new random key as a key file holds it: 32 bytes, base64. */
    public static String newKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    public String audience() {
        return audience;
    }

    /** The proof for one call, valid until {@code expiresAt} (epoch seconds). */
    public String sign(Call call, long expiresAt) {
        return VERSION + "." + expiresAt + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(keys.get(0), call, expiresAt));
    }

    /**
     * Whether {@code proof} was made by the gateway for exactly this call to this service and is still
     * valid at {@code now} (epoch seconds).
     */
    public boolean verify(@Nullable String proof, Call call, long now) {
        if (proof == null) {
            return false;
        }
        int first = proof.indexOf('.');
        int second = proof.indexOf('.', first + 1);
        if (first < 0 || second < 0 || !VERSION.equals(proof.substring(0, first))) {
            return false;
        }
        long expiresAt;
        byte[] given;
        try {
            expiresAt = Long.parseLong(proof, first + 1, second, 10);
            given = Base64.getUrlDecoder().decode(proof.substring(second + 1));
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (now > expiresAt + CLOCK_SKEW.toSeconds() || expiresAt > now + MAX_LIFETIME.toSeconds() + CLOCK_SKEW.toSeconds()) {
            return false;
        }
        for (SecretKeySpec key : keys) {
            if (MessageDigest.isEqual(mac(key, call, expiresAt), given)) {
                return true;
            }
        }
        return false;
    }

    private byte[] mac(SecretKeySpec key, Call call, long expiresAt) {
        // newline-separated: no header value, method or request target may contain one
        var input = new StringBuilder().append(VERSION).append('\n').append(audience).append('\n').append(expiresAt)
                .append('\n').append(call.method()).append('\n').append(call.target());
        for (String value : call.headers()) {
            input.append('\n').append(orEmpty(value));
        }
        Mac mac = MACS.get();
        try {
            mac.init(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Unusable key for the gateway's proofs", e);
        }
        return mac.doFinal(input.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String orEmpty(@Nullable String value) {
        return value == null ? "" : value;
    }

    private static SecretKeySpec key(byte[] key, String source) {
        if (key.length < 32) {
            throw new IllegalStateException("A key for the gateway's proofs (" + source + ") must have at least 32 bytes");
        }
        return new SecretKeySpec(key, ALGORITHM);
    }

    /**
     * The platform's headers a proof binds, in this order: the transaction, the caller the gateway
     * authenticated, the operator and its role, the certificate and the address the caller's connection
     * showed, the purpose of use and the data subject's digest. A header the gateway added to a call is bound
     * as soon as it is listed here.
     */
    public static final List<String> BOUND_HEADERS = List.of(Headers.TRANSACTION_ID, Headers.TRANSACTION_STARTED_AT,
            Headers.CALLER_AGENCY, Headers.CALLER_SYSTEM, Headers.CALLER_CLIENT, Headers.OPERATOR, Headers.CLIENT_CERTIFICATE,
            Headers.OPERATOR_ROLE, Headers.CLIENT_ADDRESS, Headers.PURPOSE, Headers.DATA_SUBJECT_DIGEST);

    /**
     * What a proof binds: the request line as the service receives it ({@code target} is the raw path
     * with {@code ?} and the raw query, if any) and the values of {@link #BOUND_HEADERS} on it, null where absent.
     */
    public record Call(String method, String target, List<@Nullable String> headers) {

        public Call {
            if (headers.size() != BOUND_HEADERS.size()) {
                throw new IllegalArgumentException("A call names a value, or null, for each of " + BOUND_HEADERS);
            }
            headers = java.util.Collections.unmodifiableList(new ArrayList<>(headers));
        }

        /** The call from its raw path, raw query and a lookup of its headers by name. */
        public static Call of(String method, String rawPath, @Nullable String rawQuery, java.util.function.Function<String, @Nullable String> header) {
            var values = new ArrayList<@Nullable String>(BOUND_HEADERS.size());
            BOUND_HEADERS.forEach(name -> values.add(header.apply(name)));
            return new Call(method, rawQuery == null || rawQuery.isEmpty() ? rawPath : rawPath + "?" + rawQuery, values);
        }
    }
}
