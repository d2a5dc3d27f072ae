package vn.ndx.registry.token;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import vn.ndx.contract.FailureStreaks;

/**
 * Slows down whoever keeps failing client authentication at the token endpoint: after a few failures in a
 * row, each further try waits twice as long as the last, up to 15 minutes. Counted by source address (the
 * address the gateway saw) and by client id from that address, never by client id alone: secrets are 256
 * random bits, so guessing one is hopeless anyway, and a lockout by client id would let anyone shut a
 * legitimate system out by failing in its name. What this protects is the registry's CPU (every wrong
 * secret costs a bcrypt check, refused here before it) and the operators' view: a flood is counted and
 * alerted ({@code ndx_registry_token_failures_total}, {@code NdxTokenFailuresHigh}).
 */
@Component
class FailedAuthentications {

    /** Failures from one address allowed before it waits: many systems of one agency may share a NAT. */
    static final int FREE_PER_ADDRESS = 20;
    /** Failures of one client id from one address allowed before it waits. */
    static final int FREE_PER_CLIENT = 5;
    static final Duration LONGEST_WAIT = Duration.ofMinutes(15);
    /** A streak of failures is forgotten after this long without one. */
    static final Duration QUIET = Duration.ofMinutes(15);
    private static final int MAX_TRACKED = 100_000;

    private final FailureStreaks byAddress;
    private final FailureStreaks byClient;
    private final Counter failures;
    private final Counter throttled;

    @Autowired
    FailedAuthentications(MeterRegistry meters) {
        this(meters, Clock.systemUTC());
    }

    FailedAuthentications(MeterRegistry meters, Clock clock) {
        this.byAddress = new FailureStreaks(FREE_PER_ADDRESS, LONGEST_WAIT, QUIET, MAX_TRACKED, clock);
        this.byClient = new FailureStreaks(FREE_PER_CLIENT, LONGEST_WAIT, QUIET, MAX_TRACKED, clock);
        this.failures = Counter.builder("ndx.registry.token.failures")
                .description("Token requests whose client authentication failed").register(meters);
        this.throttled = Counter.builder("ndx.registry.token.throttled")
                .description("Token requests refused unchecked because their address or client kept failing").register(meters);
    }

    /** How long a request from {@code address} naming {@code clientId} must still wait; zero when it may try. */
    Duration wait(String address, @Nullable String clientId) {
        Duration wait = byAddress.wait(address);
        if (clientId != null) {
            Duration client = byClient.wait(clientKey(address, clientId));
            wait = client.compareTo(wait) > 0 ? client : wait;
        }
        if (!wait.isZero()) {
            throttled.increment();
        }
        return wait;
    }

    void failed(String address, @Nullable String clientId) {
        failures.increment();
        byAddress.failed(address);
        if (clientId != null) {
            byClient.failed(clientKey(address, clientId));
        }
    }

    /** A client that authenticated starts afresh from that address; the address keeps its own streak. */
    void succeeded(String address, String clientId) {
        byClient.forget(clientKey(address, clientId));
    }

    private static String clientKey(String address, String clientId) {
        return clientId + " " + address;
    }
}
