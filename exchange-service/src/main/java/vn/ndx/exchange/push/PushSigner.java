package vn.ndx.exchange.push;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import vn.ndx.contract.SecretFiles;
import vn.ndx.contract.ServiceAddress;
import vn.ndx.exchange.ExchangeProperties;

/**
 * Signs pushed records so a recipient can tell they came from the platform, from the sender named, for
 * its channel, unchanged and recently:
 * {@code X-Ndx-Signature: v2=hex(HMAC-SHA256(secret, timestamp LF transactionId LF senderAgency LF senderSystem LF channel LF body))}.
 * The fields are joined by line feeds, which no header value may hold, so no field's text can be moved into
 * its neighbour. Each channel's secret is derived from one key of the exchange's and the channel's
 * generation ({@link PushSecrets}), so no secret is stored per channel nor travels through Kafka; the
 * recipient system reads its channel's secret with its own token.
 */
@Component
public class PushSigner {

    private static final Logger log = LoggerFactory.getLogger(PushSigner.class);
    private static final String HMAC = "HmacSHA256";

    private final byte[] key;

    PushSigner(ExchangeProperties properties) {
        this.key = loadOrCreate(properties.push().keyFile());
    }

    /** The secret of one channel at one generation, as its recipient uses it: text, used as the HMAC key in UTF-8. */
    public String secretFor(String agency, String system, String channel, long generation) {
        String label = "ndx-push-v1:" + new ServiceAddress(agency, system, channel) + (generation == 0 ? "" : "#" + generation);
        byte[] derived = hmac(key, label.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(derived);
    }

    /** What a push's signature covers besides its body. */
    public record Signed(long timestamp, String transactionId, String senderAgency, String senderSystem, String channel) {
    }

    /** The signature header's value for one delivery: one {@code v2=} entry per secret, comma-separated. */
    public static String signature(List<String> secrets, Signed signed, byte[] body) {
        byte[] prefix = (signed.timestamp() + "\n" + signed.transactionId() + "\n" + signed.senderAgency() + "\n"
                + signed.senderSystem() + "\n" + signed.channel() + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] data = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, data, 0, prefix.length);
        System.arraycopy(body, 0, data, prefix.length, body.length);
        var entries = new ArrayList<String>(secrets.size());
        for (String secret : secrets) {
            entries.add("v2=" + HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), data)));
        }
        return String.join(", ", entries);
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
