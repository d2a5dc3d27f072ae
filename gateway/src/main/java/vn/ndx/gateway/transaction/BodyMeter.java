package vn.ndx.gateway.transaction;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;

/**
 * Size and SHA-256 of a body as it streams through, chunk by chunk, without holding it: the transaction
 * event can then prove what passed without the platform ever keeping a payload. One per body; chunks of
 * one body arrive in order, never concurrently.
 */
final class BodyMeter {

    private final MessageDigest digest;
    private long bytes;

    BodyMeter() {
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    void update(DataBuffer buffer) {
        bytes += buffer.readableByteCount();
        try (var views = buffer.readableByteBuffers()) {
            while (views.hasNext()) {
                digest.update(views.next()); // moves the view, not the buffer: the body goes on unchanged
            }
        }
    }

    long bytes() {
        return bytes;
    }

    /** The hex digest, or null when no byte passed. Call once. */
    @Nullable String hexDigest() {
        return bytes == 0 ? null : HexFormat.of().formatHex(digest.digest());
    }
}
