package vn.ndx.contract.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

import org.apache.kafka.clients.producer.ProducerRecord;
import vn.ndx.contract.RegistrySignatures;
import vn.ndx.contract.SecretFiles;

/**
 * The registry's snapshot key for tests, made once per JVM: the key file a registry signs with, the PEM a
 * gateway or an exchange pins, and snapshots signed as the registry signs them, for tests that publish to
 * {@code ndx.registry} themselves. {@link #stranger()} is a key nobody trusts.
 */
public final class RegistryKeys {

    private static volatile Path dir;
    private static volatile KeyPair stranger;

    private RegistryKeys() {
    }

    /** The registry's key file ({@code ndx.registry.snapshot-key-file}). */
    public static Path keyFile() {
        return dir().resolve("registry-snapshot.key");
    }

    /** The readers' pinned key ({@code ndx.gateway.registry-trust-file}, {@code ndx.exchange.registry-trust-file}). */
    public static Path trustFile() {
        return dir().resolve("registry-snapshot.pub");
    }

    /** {@code record} with the registry's signature on its value. */
    public static <K> ProducerRecord<K, byte[]> signed(ProducerRecord<K, byte[]> record) {
        record.headers().add(RegistrySignatures.SIGNATURE_HEADER, RegistrySignatures.Signer.fromKeyFiles(keyFile(), null)
                .sign(record.value()).getBytes(StandardCharsets.US_ASCII));
        return record;
    }

    /** A snapshot record for {@code ndx.registry} as the registry writes it (UTF-8, as StringSerializer encodes), signed. */
    public static ProducerRecord<String, String> signedSnapshot(String json) {
        var record = new ProducerRecord<>(vn.ndx.contract.Topics.REGISTRY, "registry", json);
        record.headers().add(RegistrySignatures.SIGNATURE_HEADER, RegistrySignatures.Signer.fromKeyFiles(keyFile(), null)
                .sign(json.getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII));
        return record;
    }

    /** A key pair of the same kind that no reader trusts. */
    public static KeyPair stranger() {
        if (stranger == null) {
            stranger = generate();
        }
        return stranger;
    }

    /** Writes a key file as the registry reads it: private and public key, PEM. */
    public static Path writeKeyFile(Path file, KeyPair pair) {
        SecretFiles.write(file, (RegistrySignatures.toPem(pair.getPrivate()) + RegistrySignatures.toPem(pair.getPublic()))
                .getBytes(StandardCharsets.US_ASCII), true);
        return file;
    }

    private static Path dir() {
        if (dir == null) {
            synchronized (RegistryKeys.class) {
                if (dir == null) {
                    try {
                        Path made = Files.createTempDirectory("ndx-registry-keys");
                        KeyPair pair = generate();
                        writeKeyFile(made.resolve("registry-snapshot.key"), pair);
                        SecretFiles.write(made.resolve("registry-snapshot.pub"),
                                RegistrySignatures.toPem(pair.getPublic()).getBytes(StandardCharsets.US_ASCII), true);
                        dir = made;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return dir;
    }

    public static KeyPair generate() {
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
