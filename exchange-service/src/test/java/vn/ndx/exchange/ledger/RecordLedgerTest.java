package vn.ndx.exchange.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;
import vn.ndx.exchange.ExchangeProperties;
import vn.ndx.exchange.snapshot.SnapshotFile;

/**
 * Every exchange instance holds every inbox: a record one instance hands out, the others hold back; and every
 * event, made here or read back, any number of times and ahead of its record, leaves one outcome.
 */
class RecordLedgerTest {

    static final InboxKey INBOX = new InboxKey("000.00.00.H41", "archive", "archive-push");
    static final long LEASE = Duration.ofSeconds(30).toNanos();

    final RecordStates states = new RecordStates(1_000);
    final RecordLedger ledger = new RecordLedger(new InboxIndex(properties()), states);

    @Test
    void a_record_handed_out_by_another_instance_waits_here_for_that_lease_and_counts_on_from_its_delivery() throws Exception {
        accept("first", 1);
        accept("second", 2);
        Instant now = Instant.now();

        handedOut("first", 3, now, now.plusMillis(300));
        assertThat(ledger.take(INBOX, 10, LEASE)).extracting(t -> name(t.record().transactionId())).containsExactly("second");

        Thread.sleep(400);
        ledger.release(id("second"));
        assertThat(ledger.take(INBOX, 10, LEASE)).extracting(t -> name(t.record().transactionId()) + "#" + t.delivery())
                .containsExactly("first#4", "second#2");
    }

    @Test
    void a_lease_whose_deadline_passed_hides_nothing_but_still_counts() {
        accept("first", 1);
        Instant now = Instant.now();

        handedOut("first", 2, now.minusSeconds(31), now.minusSeconds(1));

        assertThat(ledger.take(INBOX, 1, LEASE)).extracting(Taken::delivery).containsExactly(3);
    }

    @Test
    void a_clock_ahead_of_this_one_hides_a_record_no_longer_than_its_lease() throws Exception {
        accept("first", 1);
        accept("second", 2);
        Instant ahead = Instant.now().plus(Duration.ofMinutes(30));

        handedOut("first", 1, ahead, ahead.plusMillis(300));
        handedOut("second", 1, ahead, ahead.plus(Duration.ofDays(2))); // no lease the platform takes: ignored
        assertThat(ledger.take(INBOX, 10, LEASE)).extracting(t -> name(t.record().transactionId())).containsExactly("second");

        Thread.sleep(400);
        assertThat(ledger.take(INBOX, 10, LEASE)).extracting(t -> name(t.record().transactionId())).containsExactly("first");
    }

    @Test
    void its_own_delivery_read_back_does_not_hide_a_record_released_since() {
        accept("first", 1);
        Instant at = Instant.now();
        Taken taken = ledger.take(INBOX, 1, LEASE).get(0);
        ledger.release(id("first")); // the push failed at once, before its status came back from Kafka

        handedOut("first", taken.delivery(), at, taken.invisibleUntil());

        assertThat(ledger.take(INBOX, 1, LEASE)).extracting(Taken::delivery).containsExactly(2);
    }

    @Test
    void a_delivery_read_before_its_record_holds_it_once_it_comes() throws Exception {
        Instant now = Instant.now();
        handedOut("early", 2, now, now.plusMillis(300)); // statuses and records are read from different partitions
        accept("early", 1);
        accept("next", 2);

        assertThat(ledger.take(INBOX, 10, LEASE)).extracting(t -> name(t.record().transactionId())).containsExactly("next");
        Thread.sleep(400);
        assertThat(ledger.take(INBOX, 10, LEASE)).extracting(t -> name(t.record().transactionId()) + "#" + t.delivery())
                .containsExactly("early#3");
    }

    @Test
    void a_delivery_read_before_a_record_acknowledged_meanwhile_leaves_nothing_behind() {
        Instant now = Instant.now();
        handedOut("done", 1, now, now.plusSeconds(30));
        ledger.apply(new RecordEvent.Acknowledged(id("done"), Instant.now()));
        accept("done", 1);

        assertThat(ledger.take(INBOX, 10, LEASE)).isEmpty();
        assertThat(ledger.early()).isZero();
        assertThat(ledger.tracked()).isZero();
    }

    @Test
    void statuses_whose_record_is_not_coming_are_forgotten_and_those_read_since_are_kept() throws Exception {
        long before = System.nanoTime();
        Thread.sleep(5);
        Instant now = Instant.now();
        ledger.apply(new RecordEvent.Acknowledged(id("deleted-by-kafka"), Instant.now()));
        ledger.apply(new RecordEvent.DeadLettered(id("dead"), 20, "503", Instant.now()));
        handedOut("pushed", 1, now, now.plusSeconds(30));
        Thread.sleep(5);
        long cutoff = System.nanoTime();
        Thread.sleep(5);
        ledger.apply(new RecordEvent.Acknowledged(id("just-read"), Instant.now()));

        assertThat(ledger.forgetEarlyReadBefore(before)).isZero();
        assertThat(ledger.forgetEarlyReadBefore(cutoff)).isEqualTo(3);
        assertThat(ledger.early()).isOne();

        accept("just-read", 1);
        assertThat(ledger.take(INBOX, 10, LEASE)).isEmpty();
        assertThat(ledger.early()).isZero();
    }

    @Test
    void a_snapshot_restores_every_inbox_dead_letter_lease_and_early_status_as_it_was(@TempDir Path directory) throws Exception {
        accept("leased", 1);
        accept("waiting", 2);
        accept("dead", 3);
        accept("acked-here", 4);
        assertThat(ledger.take(INBOX, 1, Duration.ofMillis(500).toNanos())).extracting(t -> name(t.record().transactionId())).containsExactly("leased");
        ledger.apply(new RecordEvent.DeadLettered(id("dead"), 20, "503", Instant.now()));
        ledger.apply(new RecordEvent.Acknowledged(id("acked-here"), Instant.now()));
        ledger.apply(new RecordEvent.Acknowledged(id("ack-before-record"), Instant.now()));
        Instant now = Instant.now();
        handedOut("delivered-before-record", 4, now, now.plusSeconds(30));

        var file = new SnapshotFile(directory.resolve("inboxes.snapshot"), 1);
        file.write(ledger::writeTo);
        var restored = new RecordLedger(new InboxIndex(properties()), new RecordStates(1_000));
        var in = file.read().orElseThrow();
        restored.readFrom(in);
        SnapshotFile.requireEnd(in);

        assertThat(restored.pendingCounts()).isEqualTo(Map.of(INBOX, 2));
        assertThat(restored.deadLetters(INBOX, 10)).extracting(r -> name(r.transactionId())).containsExactly("dead");
        assertThat(restored.deadLetters(INBOX, 10).get(0)).isEqualTo(ledger.deadLetters(INBOX, 10).get(0));
        assertThat(restored.view(id("dead"))).isEqualTo(ledger.view(id("dead")));
        assertThat(restored.early()).isEqualTo(2);
        restored.apply(new RecordEvent.Acknowledged(id("acked-here"), Instant.now())); // read back after the restart
        assertThat(restored.early()).as("its own acknowledgement read back: nothing waits for it").isEqualTo(2);
        assertThat(restored.take(INBOX, 10, LEASE)).as("the lease holds across the restart")
                .extracting(t -> name(t.record().transactionId()) + "#" + t.delivery() + (t.payload() == null ? " from Kafka" : ""))
                .containsExactly("waiting#1 from Kafka");
        Thread.sleep(600);
        restored.release(id("waiting"));
        assertThat(restored.take(INBOX, 10, LEASE)).extracting(t -> name(t.record().transactionId()) + "#" + t.delivery())
                .containsExactly("leased#2", "waiting#2");
        restored.apply(new RecordEvent.Accepted(INBOX, record("ack-before-record"), new byte[] {5}));
        restored.apply(new RecordEvent.Accepted(INBOX, record("delivered-before-record"), new byte[] {6}));
        assertThat(restored.take(INBOX, 10, LEASE)).as("held by the delivery read before it").isEmpty();
        assertThat(restored.pendingCounts()).isEqualTo(Map.of(INBOX, 3));
        assertThat(restored.early()).isZero();
    }

    @Test
    void every_event_applied_again_changes_nothing() {
        accept("record", 1);
        accept("other", 2);
        Instant now = Instant.now();
        var events = List.<RecordEvent>of(
                new RecordEvent.Accepted(INBOX, record("record"), new byte[] {1}),
                new RecordEvent.HandedOut(id("record"), 1, now, now.plusSeconds(30)),
                new RecordEvent.DeadLettered(id("record"), 1, "503 from the recipient", now.plusSeconds(1)),
                new RecordEvent.Redriven(id("record"), now.plusSeconds(2)),
                new RecordEvent.HandedOut(id("other"), 1, now, now.plusMillis(1)),
                new RecordEvent.Acknowledged(id("other"), now.plusSeconds(3)));
        events.forEach(ledger::apply);
        var view = ledger.view(id("record"));
        var pending = ledger.pendingCounts();

        events.forEach(ledger::apply); // read back, or read again after a restart

        assertThat(ledger.view(id("record"))).isEqualTo(view);
        assertThat(ledger.pendingCounts()).isEqualTo(pending).isEqualTo(Map.of(INBOX, 1));
        assertThat(ledger.deadLetterCounts()).isEmpty();
        assertThat(ledger.early()).isZero();
        assertThat(view.state()).isEqualTo(State.REDRIVEN);
        assertThat(ledger.take(INBOX, 10, LEASE)).extracting(t -> name(t.record().transactionId()) + "#" + t.delivery())
                .as("visible, its deliveries counted afresh since the redrive").containsExactly("record#1");
    }

    @Test
    void a_dead_lettering_read_back_after_the_redrive_that_followed_it_leaves_the_record_in_its_inbox() {
        accept("refused", 1);
        Instant now = Instant.now();
        var dead = new RecordEvent.DeadLettered(id("refused"), 20, "503 from the recipient", now);
        ledger.apply(dead); // made here
        ledger.apply(new RecordEvent.Redriven(id("refused"), now.plusMillis(5))); // made here, by the recipient

        ledger.apply(dead); // the first read back

        assertThat(ledger.deadLetterCounts()).isEmpty();
        assertThat(ledger.take(INBOX, 10, LEASE)).extracting(t -> name(t.record().transactionId()) + "#" + t.delivery())
                .as("counted afresh after the redrive").containsExactly("refused#1");
        assertThat(ledger.view(id("refused")).state()).isEqualTo(State.REDRIVEN);
    }

    @Test
    void an_acknowledgement_made_here_leaves_nothing_waiting_when_it_is_read_back() {
        accept("done", 1);
        var acknowledged = new RecordEvent.Acknowledged(id("done"), Instant.now());
        ledger.apply(acknowledged);
        ledger.apply(acknowledged);

        assertThat(ledger.early()).isZero();
        assertThat(ledger.tracked()).isZero();
        assertThat(ledger.view(id("done")).state()).isEqualTo(State.ACKNOWLEDGED);
    }

    @Test
    void events_read_before_their_record_apply_in_order_when_it_comes() {
        Instant now = Instant.now();
        ledger.apply(new RecordEvent.HandedOut(id("late"), 1, now, now.plusMillis(1)));
        ledger.apply(new RecordEvent.DeadLettered(id("late"), 1, "410 from the recipient", now.plusSeconds(1)));
        assertThat(ledger.view(id("late"))).isNull();
        assertThat(ledger.early()).isOne();

        accept("late", 1);

        assertThat(ledger.deadLetters(INBOX, 10)).extracting(r -> name(r.transactionId())).containsExactly("late");
        assertThat(ledger.view(id("late")).state()).isEqualTo(State.DEAD_LETTERED);
        assertThat(ledger.view(id("late")).lastError()).isEqualTo("410 from the recipient");
        assertThat(ledger.early()).isZero();
    }

    private static ExchangeProperties properties() {
        return new ExchangeProperties(
                new ExchangeProperties.Inbox(Duration.ofSeconds(30), 100, Duration.ofSeconds(20), DataSize.ofMegabytes(1)),
                Duration.ofDays(1), 1_000,
                new ExchangeProperties.Push(Path.of("push-key"), 20, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMillis(100)),
                new ExchangeProperties.Retention(Duration.ofDays(7), Duration.ofMinutes(1)),
                new ExchangeProperties.Snapshot(null, Duration.ofMinutes(1)));
    }

    private void accept(String name, int payload) {
        ledger.apply(new RecordEvent.Accepted(INBOX, record(name), new byte[] {(byte) payload}));
    }

    private void handedOut(String name, int delivery, Instant at, Instant until) {
        ledger.apply(new RecordEvent.HandedOut(id(name), delivery, at, until));
    }

    /** A canonical UUID for a readable name: the ledger holds states of canonical ids only, as the platform issues. */
    static String id(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    static final Map<String, String> NAMES = new java.util.concurrent.ConcurrentHashMap<>();

    static String name(String id) {
        return NAMES.getOrDefault(id, id);
    }

    private static InboxRecord record(String name) {
        String id = id(name);
        NAMES.put(id, name);
        return new InboxRecord(id, "000.00.00.H29", "one-stop-portal", INBOX.channel(), Instant.now(), "application/json", 1, 0, 0);
    }
}
