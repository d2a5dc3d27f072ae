package vn.ndx.exchange.inbox;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import vn.ndx.exchange.ExchangeProperties;
import vn.ndx.contract.SecretFiles;

/**
 * Signs pushed records so a recipient can tell they came from the platform, unchanged and recently:
 * {@code X-Ndx-Signature: v1=hex(HMAC-SHA256(secret, timestamp + "." + transactionId + "." + body))}.
 * Each channel has its own secret, derived from one key of the exchange's, so no secret is stored per
 * channel nor travels through Kafka; the recipient system reads its channel's secret with its own token.
 */
@Component
public class PushSigner {

    private static final Logger log = LoggerFactory.getLogger(PushSigner.class);
    private static final String HMAC = "HmacSHA256";

    private final byte[] key;

    PushSigner(ExchangeProperties properties) {
        this.key = loadOrCreate(properties.push().keyFile());
    }

    /** The secret of one channel, as its recipient uses it: text, used as the HMAC key in UTF-8. */
    public String secretFor(String agency, String system, String channel) {
        byte[] derived = hmac(key, ("ndx-push-v1:" + agency + "/" + system + "/" + channel).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(derived);
    }

    /** The signature header's value for one delivery. */
    public static String signature(String secret, long timestamp, String transactionId, byte[] body) {
        byte[] prefix = (timestamp + "." + transactionId + ".").getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        return "v1=" + HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), signed));
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is missing from this JVM", e);
        }
    }

    private static byte[] loadOrCreate(Path file) {
        if (Files.exists(file)) {
            byte[] stored = Base64.getDecoder().decode(new String(SecretFiles.read(file), StandardCharsets.US_ASCII).trim());
            if (stored.length < 32) {
                throw new IllegalStateException("The push key in " + file + " is shorter than 32 bytes");
            }
            return stored;
        }
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        SecretFiles.write(file, Base64.getEncoder().encodeToString(fresh).getBytes(StandardCharsets.US_ASCII), false);
        log.info("Made a new push signing key in {}", file);
        return fresh;
    }
}
