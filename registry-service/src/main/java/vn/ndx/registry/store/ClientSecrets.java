package vn.ndx.registry.store;

import java.security.SecureRandom;
import java.util.Base64;

/** Client secrets: 256 random bits, base64url, never stored in the clear. */
public final class ClientSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private ClientSecrets() {
    }

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
