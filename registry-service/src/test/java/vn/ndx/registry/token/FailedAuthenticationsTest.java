package vn.ndx.registry.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FailedAuthenticationsTest {

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-12-06T03:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final TestClock clock = new TestClock();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final FailedAuthentications failures = new FailedAuthentications(meters, clock);

    @Test
    void a_client_id_failing_from_one_address_waits_twice_as_long_each_time_and_others_do_not() {
        for (int i = 0; i < FailedAuthentications.FREE_PER_CLIENT; i++) {
            assertThat(failures.wait("203.0.113.9", "h29-portal")).isZero();
            failures.failed("203.0.113.9", "h29-portal");
        }
        assertThat(failures.wait("203.0.113.9", "h29-portal")).isZero();
        failures.failed("203.0.113.9", "h29-portal");
        assertThat(failures.wait("203.0.113.9", "h29-portal")).isEqualTo(Duration.ofSeconds(1));
        clock.now = clock.now.plusSeconds(1);
        failures.failed("203.0.113.9", "h29-portal");
        assertThat(failures.wait("203.0.113.9", "h29-portal")).isEqualTo(Duration.ofSeconds(2));

        // the same client id from another address, and another client from the same address, are not held back
        assertThat(failures.wait("198.51.100.7", "h29-portal")).isZero();
        assertThat(failures.wait("203.0.113.9", "h41-portal")).isZero();
        // a success there starts that client afresh
        failures.succeeded("203.0.113.9", "h29-portal");
        assertThat(failures.wait("203.0.113.9", "h29-portal")).isZero();
        assertThat(meters.get("ndx.registry.token.failures").counter().count()).isEqualTo(7);
        assertThat(meters.get("ndx.registry.token.throttled").counter().count()).isEqualTo(2);
    }

    @Test
    void an_address_trying_many_client_ids_waits_too_and_is_forgotten_after_a_quiet_while() {
        for (int i = 0; i <= FailedAuthentications.FREE_PER_ADDRESS; i++) {
            failures.failed("203.0.113.9", "guess-" + i);
        }
        assertThat(failures.wait("203.0.113.9", "guess-new")).isPositive();
        assertThat(failures.wait("203.0.113.9", null)).isPositive();
        clock.now = clock.now.plus(FailedAuthentications.QUIET).plusSeconds(1);
        assertThat(failures.wait("203.0.113.9", "guess-new")).isZero();
        failures.failed("203.0.113.9", "guess-new");
        assertThat(failures.wait("203.0.113.9", "guess-new")).as("a fresh streak").isZero();
    }

    @Test
    void the_wait_grows_to_fifteen_minutes_and_no_further() {
        var longest = FailedAuthentications.LONGEST_WAIT;
        assertThat(vn.ndx.contract.FailureStreaks.backoff(1, longest)).isEqualTo(Duration.ofSeconds(1));
        assertThat(vn.ndx.contract.FailureStreaks.backoff(4, longest)).isEqualTo(Duration.ofSeconds(8));
        assertThat(vn.ndx.contract.FailureStreaks.backoff(10, longest)).isEqualTo(Duration.ofSeconds(512));
        assertThat(vn.ndx.contract.FailureStreaks.backoff(11, longest)).isEqualTo(longest);
        assertThat(vn.ndx.contract.FailureStreaks.backoff(64, longest)).isEqualTo(longest);
    }
}
