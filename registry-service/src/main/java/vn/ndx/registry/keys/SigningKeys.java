package vn.ndx.registry.keys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.registry.RegistryProperties;
import vn.ndx.contract.SecretFiles;

/**
 * The registry's EC P-256 signing keys, kept owner-readable in the state directory (private keys never
 * go to Kafka). One key signs; a key rotated out is still published until every token it signed has
 * expired, so rotation rejects no token already issued. A new key is published before it signs, so no
 * gateway meets a token whose key it does not know yet.
 */
@Component
public class SigningKeys {

    /** A key and its life: signing from {@code activeFrom} (null: published only, not signing yet), until {@code retiredAt}. */
    record StoredKey(String jwk, Instant createdAt, @Nullable Instant activeFrom, @Nullable Instant retiredAt) {
    }

    record KeyFile(List<StoredKey> keys) {
    }

    private final Path file;
    private final JsonMapper json;
    private final Duration tokenTtl;
    private List<StoredKey> keys;

    SigningKeys(RegistryProperties properties, JsonMapper json) {
        this.file = properties.stateDir().resolve("signing-keys.json");
        this.json = json;
        this.tokenTtl = properties.token().ttl();
        if (Files.exists(file)) {
            this.keys = new ArrayList<>(json.readValue(SecretFiles.read(file), KeyFile.class).keys());
        } else {
            Instant now = Instant.now();
            this.keys = new ArrayList<>(List.of(new StoredKey(generate().toJSONString(), now, now, null)));
            save();
        }
    }

    /** The key that signs now. */
    public synchronized ECKey active() {
        return keys.stream().filter(k -> k.activeFrom() != null && k.retiredAt() == null).reduce((a, b) -> b)
                .map(k -> parse(k.jwk())).orElseThrow(() -> new IllegalStateException("no active signing key in " + file));
    }

    /** A signing key by id, if it still verifies tokens. */
    public synchronized @Nullable ECKey verifying(String keyId) {
        Instant now = Instant.now();
        return keys.stream().filter(k -> published(k, now)).map(k -> parse(k.jwk()))
                .filter(key -> keyId.equals(key.getKeyID())).findFirst().orElse(null);
    }

    /** The public keys that verify tokens now: the signing one, the next one, and retired ones whose tokens may live. */
    public synchronized String publicKeySet() {
        Instant now = Instant.now();
        List<JWK> published = keys.stream().filter(k -> published(k, now)).map(k -> (JWK) parse(k.jwk()).toPublicJWK()).toList();
        return new JWKSet(published).toString(true);
    }

    /** First half of a rotation: a new key, published but not signing. */
    public synchronized String prepareNext() {
        ECKey next = generate();
        keys.add(new StoredKey(next.toJSONString(), Instant.now(), null, null));
        save();
        return next.getKeyID();
    }

    /** Second half, once the new key is published: it signs, and the old one retires. */
    public synchronized void activate(String keyId) {
        Instant now = Instant.now();
        List<StoredKey> next = new ArrayList<>();
        for (StoredKey key : keys) {
            boolean target = keyId.equals(parse(key.jwk()).getKeyID());
            if (target) {
                next.add(new StoredKey(key.jwk(), key.createdAt(), now, null));
            } else if (key.activeFrom() != null && key.retiredAt() == null) {
                next.add(new StoredKey(key.jwk(), key.createdAt(), key.activeFrom(), now));
            } else if (published(key, now)) {
                next.add(key); // retired keys whose tokens expired are dropped for good
            }
        }
        keys = next;
        save();
    }

    private boolean published(StoredKey key, Instant now) {
        return key.retiredAt() == null || key.retiredAt().plus(tokenTtl).plus(Duration.ofMinutes(1)).isAfter(now);
    }

    private static ECKey generate() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE)
                    .keyID(LocalDate.now() + "-" + UUID.randomUUID().toString().substring(0, 8)).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot generate a signing key", e);
        }
    }

    private static ECKey parse(String jwk) {
        try {
            return ECKey.parse(jwk);
        } catch (ParseException e) {
            throw new IllegalStateException("Unreadable signing key", e);
        }
    }

    private void save() {
        SecretFiles.write(file, json.writeValueAsBytes(new KeyFile(keys)), true);
    }
}
