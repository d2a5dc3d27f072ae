package vn.ndx.gateway.auth;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import vn.ndx.contract.FailureStreaks;
import vn.ndx.gateway.GatewayProperties;

/**
 * Slows down a source that keeps presenting tokens the gateway refuses (forged signatures, garbage, revoked
 * clients): after {@code ndx.gateway.token.invalid-per-source} in a row (20) it waits 1 s, 2 s, 4 s ... up to
 * {@code longest-invalid-wait} (5 minutes) before another unknown
 * token from it is verified. Verifying a signature is the costly step of authentication; a flood of forged
 * tokens must not take the event loops from everyone else. A token already verified is never held back, so
 * a legitimate system behind the same address goes on working.
 */
@Component
public class InvalidTokens {

    private final FailureStreaks streaks;

    InvalidTokens(GatewayProperties properties) {
        var token = properties.token();
        this.streaks = new FailureStreaks(token.invalidPerSource(), token.longestInvalidWait(), Duration.ofMinutes(15), 100_000,
                Clock.systemUTC());
    }

    /** How long an unknown token from {@code source} must wait before it is verified; zero when it may be now. */
    public Duration wait(@Nullable InetSocketAddress source) {
        return streaks.wait(key(source));
    }

    public void refused(@Nullable InetSocketAddress source) {
        streaks.failed(key(source));
    }

    private static String key(@Nullable InetSocketAddress source) {
        return source == null || source.getAddress() == null ? "unknown" : source.getAddress().getHostAddress();
    }
}
