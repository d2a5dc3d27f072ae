package vn.ndx.registry.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.LocalDate;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.springframework.stereotype.Component;
import vn.ndx.registry.RegistryProperties;

/**
 * The registry's EC P-256 signing key, generated on first start and kept (owner-readable only) in the
 * state directory. Its {@code kid} names the key in every token, so a later rotation can publish the
 * next key beside this one before using it.
 */
@Component
public class SigningKey {

    private final ECKey key;

    SigningKey(RegistryProperties properties) {
        Path file = properties.stateDir().resolve("signing-key.jwk");
        this.key = Files.exists(file) ? read(file) : create(file);
    }

    public ECKey privateKey() {
        return key;
    }

    /** The public key set, as published at {@code /oauth2/jwks} and replicated to the data plane. */
    public String publicKeySet() {
        return new JWKSet(key.toPublicJWK()).toString(true);
    }

    private static ECKey read(Path file) {
        try {
            return ECKey.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException e) {
            throw new IllegalStateException("Unreadable signing key " + file + ": restore it or remove it to make a new one", e);
        }
    }

    private static ECKey create(Path file) {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE)
                    .keyID(LocalDate.now() + "-" + UUID.randomUUID().toString().substring(0, 8)).generate();
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), "signing-key", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, key.toJSONString(), StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            return key;
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot generate a signing key", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
