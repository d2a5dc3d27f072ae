package vn.ndx.exchange.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;
import vn.ndx.exchange.ExchangeProperties;
import vn.ndx.exchange.snapshot.SnapshotFile;

/** Every exchange instance holds every inbox: a record one instance hands out, the others hold back. */
class InboxIndexTest {

    static final InboxKey INBOX = new InboxKey("000.00.00.H41", "archive", "archive-push");
    static final long LEASE = Duration.ofSeconds(30).toNanos();

    final InboxIndex index = new InboxIndex(properties());

    @Test
    void a_record_handed_out_by_another_instance_waits_here_for_that_lease_and_counts_on_from_its_delivery() throws Exception {
        index.add(INBOX, record("first"), new byte[] {1});
        index.add(INBOX, record("second"), new byte[] {2});
        Instant now = Instant.now();

        index.handedOut("first", 3, now, now.plusMillis(300));
        assertThat(index.take(INBOX, 10, LEASE)).extracting(t -> t.record().transactionId()).containsExactly("second");

        Thread.sleep(400);
        index.release("second");
        assertThat(index.take(INBOX, 10, LEASE)).extracting(t -> t.record().transactionId() + "#" + t.delivery())
                .containsExactly("first#4", "second#2");
    }

    @Test
    void a_lease_whose_deadline_passed_hides_nothing_but_still_counts() {
        index.add(INBOX, record("first"), new byte[] {1});
        Instant now = Instant.now();

        index.handedOut("first", 2, now.minusSeconds(31), now.minusSeconds(1));

        assertThat(index.take(INBOX, 1, LEASE)).extracting(InboxIndex.Taken::delivery).containsExactly(3);
    }

    @Test
    void a_clock_ahead_of_this_one_hides_a_record_no_longer_than_its_lease() throws Exception {
        index.add(INBOX, record("first"), new byte[] {1});
        index.add(INBOX, record("second"), new byte[] {2});
        Instant ahead = Instant.now().plus(Duration.ofMinutes(30));

        index.handedOut("first", 1, ahead, ahead.plusMillis(300));
        index.handedOut("second", 1, ahead, ahead.plus(Duration.ofDays(2))); // no lease the platform takes: ignored
        assertThat(index.take(INBOX, 10, LEASE)).extracting(t -> t.record().transactionId()).containsExactly("second");

        Thread.sleep(400);
        assertThat(index.take(INBOX, 10, LEASE)).extracting(t -> t.record().transactionId()).containsExactly("first");
    }

    @Test
    void its_own_delivery_read_back_does_not_hide_a_record_released_since() {
        index.add(INBOX, record("first"), new byte[] {1});
        Instant at = Instant.now();
        InboxIndex.Taken taken = index.take(INBOX, 1, LEASE).get(0);
        index.release("first"); // the push failed at once, before its status came back from Kafka

        index.handedOut("first", taken.delivery(), at, taken.invisibleUntil());

        assertThat(index.take(INBOX, 1, LEASE)).extracting(InboxIndex.Taken::delivery).containsExactly(2);
    }

    @Test
    void a_delivery_read_before_its_record_holds_it_once_it_comes() throws Exception {
        Instant now = Instant.now();
        index.handedOut("early", 2, now, now.plusMillis(300)); // statuses and records are read from different partitions
        index.add(INBOX, record("early"), new byte[] {1});
        index.add(INBOX, record("next"), new byte[] {2});

        assertThat(index.take(INBOX, 10, LEASE)).extracting(t -> t.record().transactionId()).containsExactly("next");
        Thread.sleep(400);
        assertThat(index.take(INBOX, 10, LEASE)).extracting(t -> t.record().transactionId() + "#" + t.delivery())
                .containsExactly("early#3");
    }

    @Test
    void a_delivery_read_before_a_record_acknowledged_meanwhile_leaves_nothing_behind() {
        Instant now = Instant.now();
        index.handedOut("done", 1, now, now.plusSeconds(30));
        index.acknowledged("done");
        index.add(INBOX, record("done"), new byte[] {1});

        assertThat(index.take(INBOX, 10, LEASE)).isEmpty();
        assertThat(index.early()).isZero();
        assertThat(index.tracked()).isZero();
    }

    @Test
    void statuses_whose_record_is_not_coming_are_forgotten_and_those_read_since_are_kept() throws Exception {
        long before = System.nanoTime();
        Thread.sleep(5);
        Instant now = Instant.now();
        index.acknowledged("deleted-by-kafka");
        index.deadLettered("dead");
        index.handedOut("pushed", 1, now, now.plusSeconds(30));
        Thread.sleep(5);
        long cutoff = System.nanoTime();
        Thread.sleep(5);
        index.acknowledged("just-read");

        assertThat(index.forgetEarlyReadBefore(before)).isZero();
        assertThat(index.forgetEarlyReadBefore(cutoff)).isEqualTo(3);
        assertThat(index.early()).isOne();

        index.add(INBOX, record("just-read"), new byte[] {1});
        assertThat(index.take(INBOX, 10, LEASE)).isEmpty();
        assertThat(index.early()).isZero();
    }

    @Test
    void a_snapshot_restores_every_inbox_dead_letter_lease_and_early_status_as_it_was(@TempDir Path directory) throws Exception {
        index.add(INBOX, record("leased"), new byte[] {1});
        index.add(INBOX, record("waiting"), new byte[] {2});
        index.add(INBOX, record("dead"), new byte[] {3});
        index.add(INBOX, record("acked-here"), new byte[] {4});
        assertThat(index.take(INBOX, 1, Duration.ofMillis(500).toNanos())).extracting(t -> t.record().transactionId()).containsExactly("leased");
        index.deadLettered("dead");
        index.acknowledgedHere("acked-here");
        index.acknowledged("ack-before-record");
        Instant now = Instant.now();
        index.handedOut("delivered-before-record", 4, now, now.plusSeconds(30));

        var file = new SnapshotFile(directory.resolve("inboxes.snapshot"), 1);
        file.write(index::writeTo);
        var restored = new InboxIndex(properties());
        var in = file.read().orElseThrow();
        restored.readFrom(in);
        SnapshotFile.requireEnd(in);

        assertThat(restored.pendingCounts()).isEqualTo(Map.of(INBOX, 2));
        assertThat(restored.deadLetters(INBOX, 10)).extracting(InboxRecord::transactionId).containsExactly("dead");
        assertThat(restored.deadLetters(INBOX, 10).get(0)).isEqualTo(index.deadLetters(INBOX, 10).get(0));
        assertThat(restored.early()).isEqualTo(2);
        restored.acknowledged("acked-here"); // its own acknowledgement read back after the restart: nothing to remove
        assertThat(restored.early()).isEqualTo(2);
        assertThat(restored.take(INBOX, 10, LEASE)).as("the lease holds across the restart")
                .extracting(t -> t.record().transactionId() + "#" + t.delivery() + (t.payload() == null ? " from Kafka" : ""))
                .containsExactly("waiting#1 from Kafka");
        Thread.sleep(600);
        restored.release("waiting");
        assertThat(restored.take(INBOX, 10, LEASE)).extracting(t -> t.record().transactionId() + "#" + t.delivery())
                .containsExactly("leased#2", "waiting#2");
        restored.add(INBOX, record("ack-before-record"), new byte[] {5});
        restored.add(INBOX, record("delivered-before-record"), new byte[] {6});
        assertThat(restored.take(INBOX, 10, LEASE)).as("held by the delivery read before it").isEmpty();
        assertThat(restored.pendingCounts()).isEqualTo(Map.of(INBOX, 3));
    }

    private static ExchangeProperties properties() {
        return new ExchangeProperties(
                new ExchangeProperties.Inbox(Duration.ofSeconds(30), 100, Duration.ofSeconds(20), DataSize.ofMegabytes(1)),
                Duration.ofDays(1), 1_000,
                new ExchangeProperties.Push(Path.of("push-key"), 20, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMillis(100)),
                new ExchangeProperties.Retention(Duration.ofDays(7), Duration.ofMinutes(1)),
                new ExchangeProperties.Snapshot(null, Duration.ofMinutes(1)));
    }

    private static InboxRecord record(String id) {
        return new InboxRecord(id, "000.00.00.H29", "one-stop-portal", INBOX.channel(), Instant.now(), "application/json", 1, 0, 0);
    }
}
