package vn.ndx.audit.silence;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import vn.ndx.audit.AuditTest;
import vn.ndx.contract.Outcome;
import vn.ndx.contract.TransactionEvent;
import vn.ndx.contract.TransactionKind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A system that called every hour like this yesterday and a week ago, and has gone quiet, is reported; no other. */
class SilentSystemsIT extends AuditTest {

    /** An agency of this test alone, so the log's other transactions never mix in. */
    static final String AGENCY = "000.00.77.H41";

    @Test
    void a_system_quiet_at_an_hour_it_usually_calls_is_reported_and_one_still_calling_or_usually_quiet_is_not() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        int sent = 0;
        for (Duration back : new Duration[] {Duration.ofDays(1), Duration.ofDays(7)}) {
            Instant hourEnd = now.minus(back);
            sent += calls("gone-quiet", hourEnd, 70);
            sent += calls("still-calling", hourEnd, 70);
            sent += calls("night-desk", hourEnd, back.toDays() == 1 ? 20 : 70); // usually too quiet at this hour to tell
        }
        // 3 in the last quarter hour (12 an hour, a sixth of its usual); the quiet one's last calls came before it
        sent += calls("still-calling", now.plus(Duration.ofMinutes(5)), 3, Duration.ofMinutes(5));
        sent += calls("gone-quiet", now.minus(Duration.ofMinutes(20)), 5, Duration.ofMinutes(5));
        int expected = sent;
        await().atMost(Duration.ofSeconds(30)).until(() -> logged() >= expected);

        JsonNode silent = json("/stats/silent-systems");
        var ours = silent.valueStream().filter(row -> AGENCY.equals(row.get("consumerAgency").asString())).toList();
        assertThat(ours).singleElement().satisfies(row -> {
            assertThat(row.get("consumerSystem").asString()).isEqualTo("gone-quiet");
            assertThat(row.get("usualPerHour").asLong()).isEqualTo(70);
            assertThat(row.get("lastQuarterHour").asLong()).isZero();
        });
        // with a higher bar, even the quiet one was not busy enough to tell
        assertThat(json("/stats/silent-systems?minPerHour=71").valueStream()
                .noneMatch(row -> AGENCY.equals(row.get("consumerAgency").asString()))).isTrue();
        assertThat(get(port, "/stats/silent-systems?minPerHour=0").statusCode()).isEqualTo(400);
        assertThat(get(port, "/stats/silent-systems?minPerHour=lots").statusCode()).isEqualTo(400);
    }

    /** {@code count} calls of one system spread over the hour up to {@code hourEnd}; how many. */
    private static int calls(String system, Instant hourEnd, int count) throws Exception {
        return calls(system, hourEnd, count, Duration.ofHours(1));
    }

    /** {@code count} calls of one system spread over {@code span} up to {@code end}; how many. */
    private static int calls(String system, Instant end, int count, Duration span) throws Exception {
        for (int i = 0; i < count; i++) {
            Instant at = end.minusSeconds(1 + i * (span.toSeconds() - 100) / count);
            sendEvent(new TransactionEvent(UUID.randomUUID().toString(), TransactionKind.QUERY, at, 1_000, AGENCY, system,
                    "client-" + system, TAX, "tax-registry", "business-tax-status", "GET", 200, Outcome.OK, null, 0, 10, "gateway",
                    null, null));
        }
        return count;
    }

    /** This test's transactions in the log, by a search over the week. */
    private long logged() throws Exception {
        String from = Instant.now().minus(Duration.ofDays(8)).atOffset(ZoneOffset.UTC).toString().replace("+", "%2B");
        String to = Instant.now().plus(Duration.ofHours(1)).atOffset(ZoneOffset.UTC).toString().replace("+", "%2B");
        long total = 0;
        for (int page = 0; ; page++) {
            JsonNode result = json("/transactions?from=" + from + "&to=" + to + "&consumerAgency=" + AGENCY + "&size=500&page=" + page);
            total += result.get("items").size();
            if (!result.get("hasMore").asBoolean()) {
                return total;
            }
        }
    }
}
