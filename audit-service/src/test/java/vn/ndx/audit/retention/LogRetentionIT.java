package vn.ndx.audit.retention;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import vn.ndx.audit.AuditTest;
import vn.ndx.audit.CalendarDays;
import vn.ndx.contract.TransactionKind;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention removes the detailed log and nothing else: totals, roots and a verifiable chain remain. An
 * audit of its own (its own consumer group and database), since it removes a whole day of counting.
 */
class LogRetentionIT extends AuditTest {

    @DynamicPropertySource
    static void ownGroup(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.consumer.group-id", () -> "ndx-audit-retention-" + UUID.randomUUID());
    }

    @Autowired
    LogRetention retention;

    @Test
    void an_expired_day_loses_its_entries_but_keeps_its_totals_and_root() throws Exception {
        LocalDate day = LocalDate.of(2035, 5, 5);
        var ids = new ArrayList<String>();
        for (int i = 0; i < 4; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            sendEvent(event(id, noonOf(day), TransactionKind.QUERY));
        }
        assertThat(awaitTotal(port, day, 4)).isEqualTo(4);
        String today = CalendarDays.today().toString();
        JsonNode rootBefore = json("/audit/roots?from=" + today + "&to=" + today).get(0);

        // today's counting day, as if it were older than log-days (the schedule never prunes today: log-days >= 1)
        long removed = retention.pruneBefore(CalendarDays.today().plusDays(1));

        assertThat(removed).isGreaterThanOrEqualTo(4);
        assertThat(get(port, "/transactions/" + ids.get(0)).statusCode()).isEqualTo(404);
        assertThat(total(port, day)).as("totals are kept forever").isEqualTo(4);
        JsonNode rootAfter = json("/audit/roots?from=" + today + "&to=" + today).get(0);
        assertThat(rootAfter.get("root").asString()).isEqualTo(rootBefore.get("root").asString());
        assertThat(rootAfter.get("pruned").asBoolean()).isTrue();
        JsonNode report = json("/audit/verify?from=" + today + "&to=" + today);
        assertThat(report.get("intact").asBoolean()).isTrue();
        assertThat(report.get("entriesChecked").asLong()).isZero();
        assertThat(retention.pruneBefore(CalendarDays.today().plusDays(1))).as("nothing twice").isZero();
    }
}
