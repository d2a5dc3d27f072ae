package vn.ndx.exchange.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import vn.ndx.exchange.ExchangeProperties;

/** Every exchange instance holds every inbox: a record one instance hands out, the others hold back. */
class InboxIndexTest {

    static final InboxKey INBOX = new InboxKey("000.00.00.H41", "archive", "archive-push");
    static final long LEASE = Duration.ofSeconds(30).toNanos();

    final InboxIndex index = new InboxIndex(new ExchangeProperties(
            new ExchangeProperties.Inbox(Duration.ofSeconds(30), 100, Duration.ofSeconds(20), DataSize.ofMegabytes(1)),
            Duration.ofDays(1), 1_000,
            new ExchangeProperties.Push(Path.of("push-key"), 20, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMillis(100)),
            new ExchangeProperties.Retention(Duration.ofDays(7), Duration.ofMinutes(1))));

    @Test
    void a_record_handed_out_by_another_instance_waits_here_for_that_deadline_and_counts_on_from_its_delivery() {
        index.add(INBOX, record("first"), new byte[] {1});
        index.add(INBOX, record("second"), new byte[] {2});

        index.handedOut("first", 3, Instant.now().plusSeconds(60));

        List<InboxIndex.Taken> taken = index.take(INBOX, 10, LEASE);
        assertThat(taken).extracting(t -> t.record().transactionId()).containsExactly("second");

        index.handedOut("second", 1, Instant.now().minusSeconds(1)); // its deadline passed: nothing held back
        index.release("second");
        assertThat(index.take(INBOX, 10, LEASE)).extracting(InboxIndex.Taken::delivery).containsExactly(2);
    }

    @Test
    void its_own_delivery_read_back_does_not_hide_a_record_released_since() {
        index.add(INBOX, record("first"), new byte[] {1});
        InboxIndex.Taken taken = index.take(INBOX, 1, LEASE).get(0);
        index.release("first"); // the push failed at once, before its status came back from Kafka

        index.handedOut("first", taken.delivery(), taken.invisibleUntil());

        assertThat(index.take(INBOX, 1, LEASE)).extracting(InboxIndex.Taken::delivery).containsExactly(2);
    }

    @Test
    void a_delivery_read_before_its_record_is_not_tracked() {
        index.handedOut("unknown", 1, Instant.now().plusSeconds(60));
        index.add(INBOX, record("unknown"), new byte[] {1});

        assertThat(index.take(INBOX, 1, LEASE)).extracting(InboxIndex.Taken::delivery).containsExactly(1);
    }

    private static InboxRecord record(String id) {
        return new InboxRecord(id, "000.00.00.H29", "one-stop-portal", INBOX.channel(), Instant.now(), "application/json", 1, 0, 0);
    }
}
