package vn.ndx.gateway.subject;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import vn.ndx.contract.Headers;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.SecretFiles;
import vn.ndx.gateway.GatewayProperties;
import vn.ndx.gateway.problem.Refusal;

/**
 * Turns a citizen's identity number into the only form the platform keeps: HMAC-SHA256 under the platform's
 * data-subject key. The number space is small (about 10^9 real numbers), so a plain hash would be reversed by
 * trying them all; without the key nobody can, and the key lives in a file the gateway alone reads, never in
 * audit's database or on Kafka (docs/citizen.md). The gateway digests both what callers name and what the
 * citizen portal asks about, so the two meet in audit without the number ever leaving the gateway.
 */
@Component
public class DataSubjects {

    /**
     * A citizen identity number (căn cước công dân): 12 digits, the first three the code of the province of
     * birth registration, 001 to 096.
     */
    private static final Pattern NUMBER = Pattern.compile("(0[0-8][0-9]|09[0-6])[0-9]{9}");

    private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    });

    private final SecretKeySpec key;

    DataSubjects(GatewayProperties properties) {
        String text = new String(SecretFiles.read(properties.dataSubject().keyFile()), StandardCharsets.US_ASCII).strip();
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The data-subject key file holds no base64 key", e);
        }
        if (bytes.length < 32) {
            throw new IllegalStateException("The data-subject key must have at least 32 bytes");
        }
        this.key = new SecretKeySpec(bytes, "HmacSHA256");
    }

    /** Whether {@code value} is a citizen identity number. */
    public static boolean valid(String value) {
        return NUMBER.matcher(value).matches();
    }

    /**
     * The one rule for {@link Headers#DATA_SUBJECT}, wherever a route reads it: absent, or exactly one citizen
     * identity number. Returns the refusal of any other value, or null.
     */
    public static @Nullable Refusal refusal(HttpHeaders headers) {
        List<String> values = headers.getValuesAsList(Headers.DATA_SUBJECT);
        if (values.isEmpty() || values.size() == 1 && valid(values.get(0))) {
            return null;
        }
        return new Refusal(ProblemCode.DATA_SUBJECT_INVALID, Headers.DATA_SUBJECT + " names one citizen by the 12 digits of the identity number");
    }

    /** The keyed digest of a valid identity number, hex. */
    public String digest(String number) {
        if (!valid(number)) {
            throw new IllegalArgumentException("Not a citizen identity number");
        }
        Mac mac = MACS.get();
        try {
            mac.init(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Unusable data-subject key", e);
        }
        return HexFormat.of().formatHex(mac.doFinal(number.getBytes(StandardCharsets.US_ASCII)));
    }
}
