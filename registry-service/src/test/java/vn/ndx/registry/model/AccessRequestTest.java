package vn.ndx.registry.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AccessRequestTest {

    static final Instant ASKED_AT = Instant.parse("2026-12-01T02:00:00Z");
    static final Instant UNTIL = Instant.parse("2027-06-30T00:00:00Z");

    @Test
    void an_approval_may_narrow_what_was_asked_for_but_not_widen_it() {
        var asked = request(List.of("GET", "HEAD"), List.of("/business/*", "/business/{taxCode}/history"), UNTIL);

        assertThat(asked.wideningOf(List.of(), List.of(), null)).as("as asked").isEmpty();
        assertThat(asked.wideningOf(List.of("GET"), List.of("/business/*"), UNTIL.minus(Duration.ofDays(90)))).as("narrower").isEmpty();
        assertThat(asked.wideningOf(List.of("GET", "POST"), List.of("/business/**"), UNTIL.plusSeconds(1)))
                .containsOnlyKeys("methods[1]", "paths[0]", "until");
    }

    @Test
    void what_was_asked_without_limits_may_be_limited_in_any_way() {
        var asked = request(List.of(), List.of(), null);

        assertThat(asked.wideningOf(List.of("POST"), List.of("/anything/**"), UNTIL)).isEmpty();
    }

    @Test
    void a_decision_keeps_what_was_asked_and_says_how_long_it_waited() {
        var asked = request(List.of("GET"), List.of(), UNTIL);
        var approved = asked.approved("g12-admin", ASKED_AT.plus(Duration.ofHours(5)), "grant-1");

        assertThat(asked.pending()).isTrue();
        assertThat(approved.pending()).isFalse();
        assertThat(approved.state()).isEqualTo(AccessRequest.State.APPROVED);
        assertThat(approved.grantId()).isEqualTo("grant-1");
        assertThat(approved.methods()).isEqualTo(asked.methods());
        assertThat(approved.waited(Instant.MAX)).isEqualTo(Duration.ofHours(5));
        assertThat(asked.waited(ASKED_AT.plus(Duration.ofDays(6)))).isEqualTo(Duration.ofDays(6));
        assertThat(asked.refused("g12-admin", ASKED_AT, "no basis").refusalReason()).isEqualTo("no basis");
        assertThat(asked.sameAccessAs(approved)).isTrue();
    }

    private static AccessRequest request(List<String> methods, List<String> paths, Instant until) {
        return AccessRequest.pending("r-1", "000.00.00.H29", "permits-desk", "000.00.18.G12", "tax-registry", "business-tax-status",
                "business-licensing", "Decree 278/2025", methods, paths, until, "h29-admin", ASKED_AT);
    }
}
