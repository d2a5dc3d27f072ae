package vn.ndx.contract;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The registry's signature on every snapshot it publishes to {@link Topics#REGISTRY}, so that a gateway or
 * an exchange applies only what the registry wrote, whoever else can write to Kafka: ECDSA P-256 with
 * SHA-256 over the record's exact value bytes (the version is inside them), in the Kafka header
 * {@link #SIGNATURE_HEADER} as {@code <key id>.<base64url DER signature>}.
 *
 * <p>Readers pin the registry's public key at start (a PEM file). The registry rotates its key through a
 * signed snapshot: while it moves to a new key it adds {@link #ENDORSEMENT_HEADER},
 * {@code <new public key, base64url DER>.<old key id>.<base64url signature of the new key by the old>}, and a
 * reader that trusts the old key then trusts the new one for that snapshot. As the topic is compacted, a
 * reader that starts after the rotation still finds the endorsement on the newest snapshot; the operator
 * pins the new key at the readers before the registry stops endorsing it (docs/security.md).
 */
public final class RegistrySignatures {

    public static final String SIGNATURE_HEADER = "ndx-registry-signature";
    public static final String ENDORSEMENT_HEADER = "ndx-registry-key-endorsement";

    private static final String ALGORITHM = "SHA256withECDSA";
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private RegistrySignatures() {
    }

    /** What the registry signs with: its private key and, while rotating, the endorsement of it by the old key. */
    public record Signer(PrivateKey key, String keyId, @Nullable String endorsement) {

        /** The signer from the registry's key file (PKCS#8 PEM, owner-only), and the previous key's while rotating. */
        public static Signer fromKeyFiles(Path keyFile, @Nullable Path previousKeyFile) {
            KeyPairPem current = readPrivate(keyFile);
            String endorsement = null;
            if (previousKeyFile != null) {
                KeyPairPem previous = readPrivate(previousKeyFile);
                byte[] newKey = current.publicKey().getEncoded();
                endorsement = b64(newKey) + "." + RegistrySignatures.keyId(previous.publicKey()) + "."
                        + b64(RegistrySignatures.sign(newKey, previous.privateKey()));
            }
            return new Signer(current.privateKey(), RegistrySignatures.keyId(current.publicKey()), endorsement);
        }

        /** The value of {@link #SIGNATURE_HEADER} for a record value. */
        public String sign(byte[] value) {
            return keyId + "." + b64(RegistrySignatures.sign(value, key));
        }
    }

    /** The keys a reader trusts, pinned at start from a PEM file of one or more public keys. */
    public static final class Trust {
        private final Map<String, PublicKey> pinned;

        private Trust(Map<String, PublicKey> pinned) {
            if (pinned.isEmpty()) {
                throw new IllegalStateException("No registry key to trust");
            }
            this.pinned = Map.copyOf(pinned);
        }

        public static Trust fromPemFile(Path file) {
            var keys = new LinkedHashMap<String, PublicKey>();
            for (PublicKey key : publicKeys(new String(SecretFiles.read(file), StandardCharsets.US_ASCII))) {
                keys.put(keyId(key), key);
            }
            return new Trust(keys);
        }

        public static Trust of(List<PublicKey> keys) {
            var map = new LinkedHashMap<String, PublicKey>();
            keys.forEach(key -> map.put(keyId(key), key));
            return new Trust(map);
        }

        /**
         * {@link #verifies(byte[], String, String)} with the signature and endorsement read from the record's
         * headers, {@code header} giving a header's value by name (Kafka's last header of that name), or null.
         */
        public boolean verifies(byte[] value, Function<String, byte @Nullable []> header) {
            return verifies(value, ascii(header.apply(SIGNATURE_HEADER)), ascii(header.apply(ENDORSEMENT_HEADER)));
        }

        private static @Nullable String ascii(byte @Nullable [] header) {
            return header == null ? null : new String(header, StandardCharsets.US_ASCII);
        }

        /** Whether the record value carries a valid signature by a pinned key, or by a key a pinned key endorsed. */
        public boolean verifies(byte[] value, @Nullable String signature, @Nullable String endorsement) {
            if (signature == null) {
                return false;
            }
            int dot = signature.indexOf('.');
            if (dot <= 0) {
                return false;
            }
            String keyId = signature.substring(0, dot);
            PublicKey key = pinned.get(keyId);
            if (key == null) {
                key = endorsed(endorsement, keyId);
            }
            byte[] given = unb64(signature.substring(dot + 1));
            return key != null && given != null && verify(value, given, key);
        }

        private @Nullable PublicKey endorsed(@Nullable String endorsement, String keyId) {
            if (endorsement == null) {
                return null;
            }
            String[] parts = endorsement.split("\\.", -1);
            if (parts.length != 3) {
                return null;
            }
            byte[] newKey = unb64(parts[0]);
            byte[] signature = unb64(parts[2]);
            PublicKey endorser = pinned.get(parts[1]);
            if (newKey == null || signature == null || endorser == null || !verify(newKey, signature, endorser)) {
                return null;
            }
            PublicKey key = publicKey(newKey);
            return key != null && keyId(key).equals(keyId) ? key : null;
        }
    }

    /** A short, stable name of a public key: base64url of the first 12 bytes of the SHA-256 of its DER encoding. */
    public static String keyId(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return b64(java.util.Arrays.copyOf(digest, 12));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public keys in a PEM text ({@code BEGIN PUBLIC KEY} blocks). */
    public static List<PublicKey> publicKeys(String pem) {
        var keys = new ArrayList<PublicKey>();
        Matcher block = PEM.matcher(pem);
        while (block.find()) {
            if (block.group(1).equals("PUBLIC KEY")) {
                PublicKey key = publicKey(Base64.getMimeDecoder().decode(block.group(2)));
                if (key == null) {
                    throw new IllegalStateException("A PUBLIC KEY block is not an EC public key");
                }
                keys.add(key);
            }
        }
        return keys;
    }

    /** PEM text of a public key, as readers pin it. */
    public static String toPem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /** PEM text of a private key (PKCS#8), as the registry reads it. */
    public static String toPem(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    private record KeyPairPem(PrivateKey privateKey, PublicKey publicKey) {
    }

    /** The registry's key file: its PKCS#8 private key and its public key, both PEM, in one owner-only file. */
    private static KeyPairPem readPrivate(Path file) {
        String text = new String(SecretFiles.read(file), StandardCharsets.US_ASCII);
        PrivateKey privateKey = null;
        Matcher block = PEM.matcher(text);
        while (block.find()) {
            if (block.group(1).equals("PRIVATE KEY")) {
                try {
                    privateKey = KeyFactory.getInstance("EC").generatePrivate(
                            new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(block.group(2))));
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("The registry key " + file + " is not an EC private key (PKCS#8 PEM)", e);
                }
            }
        }
        List<PublicKey> publicKeys = publicKeys(text);
        if (privateKey == null || publicKeys.size() != 1) {
            throw new IllegalStateException("The registry key " + file + " must hold one PRIVATE KEY (PKCS#8) and its PUBLIC KEY, both PEM");
        }
        // a public key that is not the private key's would make every snapshot unverifiable: checked now
        byte[] probe = "ndx".getBytes(StandardCharsets.US_ASCII);
        if (!verify(probe, sign(probe, privateKey), publicKeys.get(0))) {
            throw new IllegalStateException("The registry key " + file + " holds a PUBLIC KEY that is not its private key's");
        }
        return new KeyPairPem(privateKey, publicKeys.get(0));
    }

    private static @Nullable PublicKey publicKey(byte[] der) {
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    private static byte[] sign(byte[] data, PrivateKey key) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(key);
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign with the registry key", e);
        }
    }

    private static boolean verify(byte[] data, byte[] given, PublicKey key) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initVerify(key);
            signature.update(data);
            return signature.verify(given);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte @Nullable [] unb64(String text) {
        try {
            return Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
