package vn.ndx.exchange.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import vn.ndx.exchange.snapshot.SnapshotInput;
import vn.ndx.exchange.snapshot.SnapshotOutput;

/**
 * Every record's life, from its acceptance until it is acknowledged or expires: which inbox it waits in,
 * which delivery it is on and until when it is leased, which are dead letters, and each record's state for
 * its sender and recipient. Changed only by {@link #apply}ing {@link RecordEvent}s, one way whoever made the
 * event: this instance once Kafka holds it, or any instance as it is read back from Kafka at start and after.
 *
 * <p>Applying is idempotent, so an event this instance made and applied changes nothing when it is read
 * back, and an event read again after a restart changes nothing either:
 * <ul>
 *   <li>a hand-out counts only if its delivery number is beyond the one counted here, and not if the record
 *       was redriven since (deliveries are counted afresh after a redrive);</li>
 *   <li>an acknowledgement or expiry removes a record that may be gone already;</li>
 *   <li>a dead-lettering or redrive applies only if the record's state allows it and it is not older than the
 *       record's last change ({@link State#mayBecome}), so an echo of a dead-lettering read back after the
 *       redrive that followed it does not move the record back.</li>
 * </ul>
 * An event of a record not accepted yet waits for it (the records and status topics are read side by side),
 * and is applied in order when it comes; one whose record is not coming (Kafka deleted it first) is
 * forgotten once the feeder knows ({@link #forgetEarlyReadBefore}).
 */
@Component
public class RecordLedger {

    private final InboxIndex index;
    private final RecordStates states;
    /** Events read before their record's acceptance, in the order read. */
    private final ReadEarly<List<RecordEvent>> early = new ReadEarly<>();

    RecordLedger(InboxIndex index, RecordStates states) {
        this.index = index;
        this.states = states;
    }

    /** Applies an event made here (once Kafka holds it) or read from Kafka; safe to apply any number of times. */
    public void apply(RecordEvent event) {
        List<Runnable> woken;
        synchronized (this) {
            woken = applyLocked(event);
        }
        woken.forEach(Runnable::run); // outside every lock: a woken pull takes records at once
    }

    private List<Runnable> applyLocked(RecordEvent event) {
        String id = event.transactionId();
        if (event instanceof RecordEvent.Accepted accepted) {
            if (states.known(id) || index.holds(id)) {
                return List.of(); // read again
            }
            InboxRecord record = accepted.record();
            InboxKey inbox = accepted.inbox();
            states.accepted(id, record.senderAgency(), record.senderSystem(), inbox.agency(), inbox.system(), inbox.channel(),
                    record.acceptedAt());
            List<Runnable> woken = index.add(inbox, record, accepted.payload());
            List<RecordEvent> before = early.remove(id);
            if (before != null) {
                before.forEach(this::applyHeld);
            }
            return woken;
        }
        RecordStates.Verdict verdict = states.change(statusOf(event));
        if (verdict == RecordStates.Verdict.NOT_HELD && !index.holds(id)) {
            // its record not read yet, or forgotten long ago (past the states' capacity and out of every inbox)
            early.put(id, new ArrayList<>(List.of(event)), (kept, late) -> {
                kept.addAll(late);
                return kept;
            });
            return List.of();
        }
        applyToIndex(event, verdict);
        return List.of();
    }

    private void applyHeld(RecordEvent event) {
        applyToIndex(event, states.change(statusOf(event)));
    }

    /**
     * What the event does to the inboxes, given what it did to its record's state; a record whose state is not
     * held (past the capacity) but still waits follows the event.
     */
    private void applyToIndex(RecordEvent event, RecordStates.Verdict verdict) {
        String id = event.transactionId();
        boolean follows = verdict == RecordStates.Verdict.APPLIED || verdict == RecordStates.Verdict.NOT_HELD;
        if (event instanceof RecordEvent.HandedOut out) {
            if (verdict != RecordStates.Verdict.BEFORE_REDRIVE) {
                index.hold(id, out.delivery(), out.at(), out.until());
            }
        } else if (event instanceof RecordEvent.Acknowledged || event instanceof RecordEvent.Expired) {
            index.remove(id);
        } else if (event instanceof RecordEvent.DeadLettered && follows) {
            index.toDeadLetters(id);
        } else if (event instanceof RecordEvent.Redriven && follows) {
            index.redrive(id);
        }
    }

    /** Every event but an acceptance travels, and is judged, as a status. */
    private static RecordStatus statusOf(RecordEvent event) {
        return Objects.requireNonNull(event.status(), "an acceptance is the record itself");
    }

    /** Up to {@code max} records of this inbox visible now, oldest first; leased to the caller for {@code invisibleForNanos}. */
    public List<Taken> take(InboxKey inbox, int max, long invisibleForNanos) {
        return index.take(inbox, max, invisibleForNanos);
    }

    /** A record handed out whose delivery failed: visible again at once. */
    public void release(String transactionId) {
        index.release(transactionId);
    }

    /** Calls {@code arrival} once a record waits in this inbox; returns what cancels the wait. */
    public Runnable onArrival(InboxKey inbox, Runnable arrival) {
        return index.onArrival(inbox, arrival);
    }

    /** Which of these ids wait in this inbox (only those may be acknowledged by its owner). */
    public List<String> pendingIn(InboxKey inbox, List<String> transactionIds) {
        return index.pendingIn(inbox, transactionIds);
    }

    public List<InboxRecord> deadLetters(InboxKey inbox, int max) {
        return index.deadLetters(inbox, max);
    }

    public boolean isDeadLetter(InboxKey inbox, String transactionId) {
        return index.isDeadLetter(inbox, transactionId);
    }

    /** The inbox whose dead letter this is, or null when it is none. */
    public @Nullable InboxKey deadLetterInbox(String transactionId) {
        return index.deadLetterInbox(transactionId);
    }

    /** How many records wait in each inbox that has any. */
    public Map<InboxKey, Integer> pendingCounts() {
        return index.pendingCounts();
    }

    /** How many dead letters each inbox that has any holds. */
    public Map<InboxKey, Integer> deadLetterCounts() {
        return index.deadLetterCounts();
    }

    /** Up to {@code max} records, waiting or dead letters, whose inbox's retention ended before {@code now}. */
    public List<Expiring> pastRetention(Instant now, Function<InboxKey, Duration> retention, int max) {
        return index.pastRetention(now, retention, max);
    }

    /** What a record's sender and recipient see of it, or null when it is not held. */
    public RecordStates.@Nullable View view(String transactionId) {
        return states.get(transactionId);
    }

    /** Records waiting or dead-lettered, in every inbox. */
    public int tracked() {
        return index.tracked();
    }

    public long cachedPayloadBytes() {
        return index.cachedPayloadBytes();
    }

    /** Events read before their record and waiting for it. */
    public synchronized int early() {
        return early.size();
    }

    /**
     * Forgets events read before {@code nanoTime} (on {@link System#nanoTime()}'s clock) whose record has not
     * come; the feeder knows when their record can no longer come. Returns how many records' events were forgotten.
     */
    public synchronized int forgetEarlyReadBefore(long nanoTime) {
        return early.forgetReadBefore(nanoTime);
    }

    /**
     * Everything held, for a snapshot: the inboxes, the states, and the events waiting for their record. Copied
     * under the locks (array and map copies), written out after them: the pulls and pushes that take those
     * locks on event loops never wait for the snapshot's disk.
     */
    public void writeTo(SnapshotOutput out) {
        InboxIndex inboxes;
        RecordStates held;
        var waiting = new ArrayList<List<RecordEvent>>();
        synchronized (this) {
            inboxes = index.copy();
            held = states.copy();
            early.forEach((id, events) -> waiting.add(List.copyOf(events)));
        }
        inboxes.writeTo(out);
        held.writeTo(out);
        out.writeInt(waiting.size());
        for (List<RecordEvent> events : waiting) {
            out.writeInt(events.size());
            for (RecordEvent event : events) {
                RecordStatus status = statusOf(event);
                out.writeString(status.transactionId());
                out.writeByte(status.status().ordinal());
                out.writeInstant(status.at());
                out.writeInt(status.deliveries() == null ? -1 : status.deliveries());
                out.writeNullableString(status.error());
                out.writeNullableInstant(status.invisibleUntil());
            }
        }
    }

    /** Replaces everything held by what {@link #writeTo} wrote. */
    public synchronized void readFrom(SnapshotInput in) {
        index.readFrom(in);
        states.readFrom(in);
        early.clear();
        State[] kinds = State.values();
        for (int i = in.readCount(); i > 0; i--) {
            var events = new ArrayList<RecordEvent>(2);
            for (int j = in.readCount(); j > 0; j--) {
                String id = in.readString();
                byte kind = in.readByte();
                if (kind < 0 || kind >= kinds.length) {
                    throw new SnapshotInput.Damaged("a state out of range");
                }
                Instant at = in.readInstant();
                int deliveries = in.readInt();
                RecordEvent event = RecordEvent.of(new RecordStatus(id, kinds[kind], at, deliveries < 0 ? null : deliveries,
                        in.readNullableString(), in.readNullableInstant()));
                if (event != null) {
                    events.add(event);
                }
            }
            if (!events.isEmpty()) {
                early.put(events.get(0).transactionId(), events);
            }
        }
    }

    /** Forgets everything: what a rebuild from the beginning starts from. */
    public synchronized void clear() {
        index.clear();
        states.clear();
        early.clear();
    }
}
