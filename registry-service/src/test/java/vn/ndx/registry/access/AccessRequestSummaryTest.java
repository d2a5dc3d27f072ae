package vn.ndx.registry.access;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import vn.ndx.registry.model.AccessRequest;

import static org.assertj.core.api.Assertions.assertThat;

class AccessRequestSummaryTest {

    static final Instant NOW = Instant.parse("2026-12-06T03:00:00Z");

    @Test
    void counts_the_waiting_oldest_first_and_the_median_time_to_grant_of_the_last_90_days() {
        var requests = List.of(
                asked("a", Duration.ofDays(3)),
                asked("b", Duration.ofDays(9)),
                asked("c", Duration.ofHours(30)).approved("g12-admin", NOW.minus(Duration.ofHours(28)), "grant-c"),   // 2 h
                asked("d", Duration.ofDays(10)).approved("g12-admin", NOW.minus(Duration.ofDays(6)), "grant-d"),    // 4 days
                asked("e", Duration.ofDays(2)).approved("g12-admin", NOW.minus(Duration.ofDays(1)), "grant-e"),     // 1 day
                asked("f", Duration.ofDays(200)).approved("g12-admin", NOW.minus(Duration.ofDays(100)), "grant-f"), // outside
                asked("g", Duration.ofDays(5)).refused("g12-admin", NOW.minus(Duration.ofDays(4)), "no legal basis"),
                asked("h", Duration.ofDays(1)).withdrawn("h29-admin", NOW));

        var summary = AccessRequestSummary.of(requests, NOW);

        assertThat(summary.pending()).isEqualTo(2);
        assertThat(summary.waiting()).extracting(AccessRequestSummary.Waiting::id).containsExactly("b", "a");
        assertThat(summary.oldestPendingSince()).isEqualTo(NOW.minus(Duration.ofDays(9)));
        assertThat(summary.approved()).isEqualTo(3);
        assertThat(summary.refused()).isEqualTo(1);
        assertThat(summary.medianSecondsToGrant()).isEqualTo(Duration.ofDays(1).toSeconds());
    }

    @Test
    void with_nothing_waiting_or_granted_it_says_so() {
        var summary = AccessRequestSummary.of(List.of(), NOW);
        assertThat(summary.pending()).isZero();
        assertThat(summary.oldestPendingSince()).isNull();
        assertThat(summary.medianSecondsToGrant()).isNull();
    }

    private static AccessRequest asked(String id, Duration ago) {
        return AccessRequest.pending(id, "000.00.00.H29", "one-stop-portal", "000.00.18.G12", "tax-registry", "business-tax-status",
                "administrative-procedure", "Decree 278/2025", List.of(), List.of(), null, "h29-admin", NOW.minus(ago));
    }
}
