package vn.ndx.registry.admin;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;

/**
 * Optimistic concurrency: an entity's ETag is a digest of its representation, so it changes exactly when
 * the entity does, with nothing extra to store. A change must send the ETag it read in If-Match.
 */
final class ETags {

    private ETags() {
    }

    static String of(JsonMapper json, Object entity) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(entity));
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void requireMatch(JsonMapper json, Object current, @Nullable String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new ProblemException(ProblemCode.PRECONDITION_REQUIRED, "Send If-Match with the ETag from your last read");
        }
        if (!ifMatch.trim().equals(of(json, current))) {
            throw new ProblemException(ProblemCode.PRECONDITION_FAILED, "It changed since you read it: read it again");
        }
    }
}
