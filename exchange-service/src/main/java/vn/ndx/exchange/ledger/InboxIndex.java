package vn.ndx.exchange.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import vn.ndx.exchange.ExchangeProperties;
import vn.ndx.exchange.snapshot.SnapshotInput;
import vn.ndx.exchange.snapshot.SnapshotOutput;

/**
 * Records not yet acknowledged, per inbox in arrival order, with the deadline of each record handed out
 * and not yet acknowledged, and the dead letters. Changed by the {@link RecordLedger} as it applies events
 * (which decides whether an event still applies) and by the hand-outs themselves; rebuilt from Kafka at every
 * start, so the index itself may be lost at any time without losing a record.
 *
 * <p>The index holds each record's metadata and where Kafka keeps its payload; payloads themselves only
 * for the newest records, within the {@link PayloadCache}'s budget. The rest are read back from Kafka when
 * delivered ({@link PayloadReader}), so a recipient that stops pulling for a day costs the heap a few
 * hundred bytes per waiting record, not the records themselves.
 */
@Component
class InboxIndex {

    /** Longer than any lease taken here (a pull's visibility timeout, three times a push channel's timeout). */
    private static final Duration LONGEST_LEASE = Duration.ofHours(1);

    private final PayloadCache payloads;
    /** One instance of each inbox's key, shared by all its records. */
    private final Map<InboxKey, InboxKey> keys = new HashMap<>();

    private final Map<InboxKey, LinkedHashMap<String, InboxRecord>> pending = new HashMap<>();
    private final Map<String, InboxKey> inboxOf = new HashMap<>();
    private final Map<String, Long> invisibleUntil = new HashMap<>();
    private final Map<String, Integer> deliveries = new HashMap<>();
    /** Pushed records their recipient kept refusing, per inbox, until redriven. */
    private final Map<InboxKey, LinkedHashMap<String, InboxRecord>> deadLetters = new HashMap<>();
    /** Pulls waiting for a record to arrive in an inbox (long polling). */
    private final Map<InboxKey, List<Runnable>> waiters = new HashMap<>();

    @Autowired
    InboxIndex(ExchangeProperties properties) {
        this(properties.inbox().payloadCache().toBytes());
    }

    private InboxIndex(long payloadBudget) {
        this.payloads = new PayloadCache(payloadBudget);
    }

    /**
     * A copy of what a snapshot holds (the records, dead letters, deliveries and leases; neither payloads nor
     * waiting pulls), made under this index's lock and written out without it, so pulls do not wait for a disk.
     */
    synchronized InboxIndex copy() {
        var copy = new InboxIndex(0);
        copy.keys.putAll(keys);
        pending.forEach((inbox, records) -> copy.pending.put(inbox, new LinkedHashMap<>(records)));
        deadLetters.forEach((inbox, records) -> copy.deadLetters.put(inbox, new LinkedHashMap<>(records)));
        copy.deliveries.putAll(deliveries);
        copy.invisibleUntil.putAll(invisibleUntil);
        return copy;
    }

    /**
     * A record accepted, with its payload (kept only while the cache has room for it); returns the pulls it
     * wakes, for the caller to run outside every lock (a woken pull takes records at once).
     */
    synchronized List<Runnable> add(InboxKey key, InboxRecord record, byte[] payload) {
        InboxKey inbox = keys.computeIfAbsent(key, k -> k);
        inboxOf.put(record.transactionId(), inbox);
        if (pending.computeIfAbsent(inbox, k -> new LinkedHashMap<>()).putIfAbsent(record.transactionId(), record) == null) {
            payloads.put(record.transactionId(), payload);
        }
        List<Runnable> woken = waiters.remove(inbox);
        return woken == null ? List.of() : woken;
    }

    /** Whether the record waits in an inbox or among the dead letters. */
    synchronized boolean holds(String transactionId) {
        return inboxOf.containsKey(transactionId);
    }

    /**
     * Calls {@code arrival} once when a record next arrives in this inbox, or at once if one waits already;
     * returns what cancels the wait (a pull that timed out or went away).
     */
    Runnable onArrival(InboxKey inbox, Runnable arrival) {
        synchronized (this) {
            var records = pending.get(inbox);
            if (records == null || records.isEmpty() || records.keySet().stream().allMatch(this::inFlight)) {
                waiters.computeIfAbsent(inbox, key -> new ArrayList<>()).add(arrival);
                return () -> {
                    synchronized (this) {
                        var list = waiters.get(inbox);
                        if (list != null) {
                            list.remove(arrival);
                            if (list.isEmpty()) {
                                waiters.remove(inbox);
                            }
                        }
                    }
                };
            }
        }
        arrival.run();
        return () -> { };
    }

    private boolean inFlight(String transactionId) {
        Long until = invisibleUntil.get(transactionId);
        return until != null && until - System.nanoTime() > 0;
    }

    /** Up to {@code max} records visible now, oldest first; they stay invisible until {@code invisibleForNanos} pass. */
    synchronized List<Taken> take(InboxKey inbox, int max, long invisibleForNanos) {
        var records = pending.get(inbox);
        if (records == null) {
            return List.of();
        }
        long now = System.nanoTime();
        Instant until = Instant.now().plusNanos(invisibleForNanos);
        var taken = new ArrayList<Taken>(Math.min(max, records.size()));
        for (InboxRecord record : records.values()) {
            Long hidden = invisibleUntil.get(record.transactionId());
            if (hidden == null || hidden - now <= 0) {
                invisibleUntil.put(record.transactionId(), now + invisibleForNanos);
                taken.add(new Taken(record, deliveries.merge(record.transactionId(), 1, Integer::sum), until,
                        payloads.get(record.transactionId())));
                if (taken.size() == max) {
                    break;
                }
            }
        }
        return taken;
    }

    /**
     * A record handed out for the {@code delivery}-th time, from {@code at} to {@code until} on the clock of
     * whoever handed it out. One handed out here (its delivery counted here already), or handed out later
     * here, changes nothing; one another instance handed out stays invisible here too until that delivery's
     * deadline, and the next delivery here counts on from it. So when a push channel moves to this instance
     * while its old owner still waits for the recipient's answer, this one does not push the same record
     * beside it; and a record pulled through one instance is not pulled again through another. The hold lasts
     * no longer than the lease itself, so a clock ahead of this one's cannot hide a record longer than its lease.
     */
    synchronized void hold(String id, int delivery, Instant at, Instant until) {
        InboxKey inbox = inboxOf.get(id);
        var records = inbox == null ? null : pending.get(inbox);
        if (records == null || !records.containsKey(id) || deliveries.getOrDefault(id, 0) >= delivery) {
            return; // not waiting, or handed out here (or later here) already
        }
        deliveries.put(id, delivery);
        Duration lease = Duration.between(at, until);
        Duration left = Duration.between(Instant.now(), until);
        if (lease.isNegative() || lease.compareTo(LONGEST_LEASE) > 0) {
            return; // not a lease this platform takes
        }
        Duration hold = left.compareTo(lease) < 0 ? left : lease;
        if (!hold.isNegative() && !hold.isZero()) {
            invisibleUntil.merge(id, System.nanoTime() + hold.toNanos(), (old, late) -> late - old > 0 ? late : old);
        }
    }

    /** A record handed out whose delivery failed: visible again at once (a push retries it after its backoff). */
    synchronized void release(String transactionId) {
        invisibleUntil.remove(transactionId);
    }

    /** A record moved out of its inbox to the dead letters; its deliveries are counted afresh if it is redriven. */
    synchronized void toDeadLetters(String transactionId) {
        InboxKey inbox = inboxOf.get(transactionId);
        var records = inbox == null ? null : pending.get(inbox);
        InboxRecord record = records == null ? null : records.remove(transactionId);
        if (record != null) {
            invisibleUntil.remove(transactionId);
            payloads.remove(transactionId);
            deliveries.remove(transactionId);
            deadLetters.computeIfAbsent(inbox, key -> new LinkedHashMap<>()).put(transactionId, record);
        }
    }

    /** A dead letter sent back into its inbox, delivered after what waits there now. */
    synchronized void redrive(String transactionId) {
        InboxKey inbox = inboxOf.get(transactionId);
        var dead = inbox == null ? null : deadLetters.get(inbox);
        InboxRecord record = dead == null ? null : dead.remove(transactionId);
        if (record != null) {
            deliveries.remove(transactionId);
            pending.computeIfAbsent(inbox, key -> new LinkedHashMap<>()).put(transactionId, record);
        }
    }

    /** A record gone for good (acknowledged, or past its retention): out of its inbox or the dead letters. */
    synchronized void remove(String transactionId) {
        InboxKey inbox = inboxOf.remove(transactionId);
        invisibleUntil.remove(transactionId);
        payloads.remove(transactionId);
        deliveries.remove(transactionId);
        if (inbox == null) {
            return;
        }
        for (var held : List.of(pending, deadLetters)) {
            var records = held.get(inbox);
            if (records != null) {
                records.remove(transactionId);
            }
        }
    }

    /** Up to {@code max} records, waiting or dead letters, whose inbox's retention ended before {@code now}. */
    synchronized List<Expiring> pastRetention(Instant now, Function<InboxKey, Duration> retention, int max) {
        var found = new ArrayList<Expiring>();
        for (var inboxes : List.of(pending, deadLetters)) {
            for (var entry : inboxes.entrySet()) {
                Instant cutoff = now.minus(retention.apply(entry.getKey()));
                for (InboxRecord record : entry.getValue().values()) {
                    if (found.size() == max) {
                        return found;
                    }
                    if (record.acceptedAt().isBefore(cutoff)) {
                        found.add(new Expiring(entry.getKey(), record));
                    }
                }
            }
        }
        return found;
    }

    synchronized List<InboxRecord> deadLetters(InboxKey inbox, int max) {
        var dead = deadLetters.get(inbox);
        return dead == null ? List.of() : dead.values().stream().limit(max).toList();
    }

    /** How many records wait (unacknowledged) in each inbox that has any. */
    synchronized Map<InboxKey, Integer> pendingCounts() {
        var counts = new HashMap<InboxKey, Integer>();
        pending.forEach((inbox, records) -> {
            if (!records.isEmpty()) {
                counts.put(inbox, records.size());
            }
        });
        return counts;
    }

    /** How many dead letters each inbox that has any holds. */
    synchronized Map<InboxKey, Integer> deadLetterCounts() {
        var counts = new HashMap<InboxKey, Integer>();
        deadLetters.forEach((inbox, dead) -> {
            if (!dead.isEmpty()) {
                counts.put(inbox, dead.size());
            }
        });
        return counts;
    }

    /** The inbox whose dead letter this is, or null when it is none. */
    synchronized @Nullable InboxKey deadLetterInbox(String transactionId) {
        InboxKey inbox = inboxOf.get(transactionId);
        return inbox != null && isDeadLetter(inbox, transactionId) ? inbox : null;
    }

    synchronized boolean isDeadLetter(InboxKey inbox, String transactionId) {
        var dead = deadLetters.get(inbox);
        return dead != null && dead.containsKey(transactionId);
    }

    /** Which of these ids wait in this inbox (only those may be acknowledged by its owner). */
    synchronized List<String> pendingIn(InboxKey inbox, List<String> transactionIds) {
        var records = pending.get(inbox);
        return records == null ? List.of() : transactionIds.stream().distinct().filter(records::containsKey).toList();
    }

    synchronized int size(InboxKey inbox) {
        var records = pending.get(inbox);
        return records == null ? 0 : records.size();
    }

    /** Records indexed and not yet acknowledged, expired or lost, in every inbox and dead letter. */
    synchronized int tracked() {
        return inboxOf.size();
    }

    /** Bytes of payload held in memory now. */
    synchronized long cachedPayloadBytes() {
        return payloads.bytes();
    }

    /**
     * Everything a restart needs, for a snapshot: inboxes and their records in arrival order, dead letters,
     * delivery counts and leases (as instants: {@link System#nanoTime()} means nothing to another process).
     * Payloads are not written: they are read back from Kafka when delivered.
     */
    synchronized void writeTo(SnapshotOutput out) {
        var inboxes = new ArrayList<>(keys.keySet());
        var numbers = new HashMap<InboxKey, Integer>();
        out.writeInt(inboxes.size());
        for (InboxKey inbox : inboxes) {
            numbers.put(inbox, numbers.size());
            out.writeString(inbox.agency());
            out.writeString(inbox.system());
            out.writeString(inbox.channel());
        }
        for (var held : List.of(pending, deadLetters)) {
            var nonEmpty = held.entrySet().stream().filter(entry -> !entry.getValue().isEmpty()).toList();
            out.writeInt(nonEmpty.size());
            for (var entry : nonEmpty) {
                out.writeInt(numbers.get(entry.getKey()));
                out.writeInt(entry.getValue().size());
                entry.getValue().values().forEach(record -> write(out, record));
            }
        }
        out.writeInt(deliveries.size());
        deliveries.forEach((id, count) -> {
            out.writeString(id);
            out.writeInt(count);
        });
        long now = System.nanoTime();
        Instant wallNow = Instant.now();
        var leases = invisibleUntil.entrySet().stream().filter(entry -> entry.getValue() - now > 0).toList();
        out.writeInt(leases.size());
        for (var lease : leases) {
            out.writeString(lease.getKey());
            out.writeInstant(wallNow.plusNanos(lease.getValue() - now));
        }
    }

    /** Replaces everything held by what {@link #writeTo} wrote; pulls waiting now stay waiting. */
    synchronized void readFrom(SnapshotInput in) {
        clear();
        var inboxes = new ArrayList<InboxKey>();
        for (int i = in.readCount(); i > 0; i--) {
            InboxKey inbox = new InboxKey(in.readName(), in.readName(), in.readName());
            inboxes.add(keys.computeIfAbsent(inbox, k -> k));
        }
        for (var held : List.of(pending, deadLetters)) {
            for (int i = in.readCount(); i > 0; i--) {
                int number = in.readInt();
                if (number < 0 || number >= inboxes.size()) {
                    throw new SnapshotInput.Damaged("an inbox out of range");
                }
                InboxKey inbox = inboxes.get(number);
                var records = held.computeIfAbsent(inbox, k -> new LinkedHashMap<>());
                for (int j = in.readCount(); j > 0; j--) {
                    InboxRecord record = read(in);
                    records.put(record.transactionId(), record);
                    inboxOf.put(record.transactionId(), inbox);
                }
            }
        }
        for (int i = in.readCount(); i > 0; i--) {
            deliveries.put(in.readString(), in.readInt());
        }
        long now = System.nanoTime();
        Instant wallNow = Instant.now();
        for (int i = in.readCount(); i > 0; i--) {
            String id = in.readString();
            Duration left = Duration.between(wallNow, in.readInstant());
            if (!left.isNegative() && left.compareTo(LONGEST_LEASE) <= 0) {
                invisibleUntil.put(id, now + left.toNanos());
            }
        }
    }

    /** Forgets every record (pulls waiting now stay waiting): what a rebuild from the beginning starts from. */
    synchronized void clear() {
        keys.clear();
        pending.clear();
        inboxOf.clear();
        invisibleUntil.clear();
        deliveries.clear();
        deadLetters.clear();
        payloads.clear();
    }

    private static void write(SnapshotOutput out, InboxRecord record) {
        out.writeString(record.transactionId());
        out.writeString(record.senderAgency());
        out.writeString(record.senderSystem());
        out.writeString(record.channel());
        out.writeInstant(record.acceptedAt());
        out.writeString(record.contentType());
        out.writeInt(record.size());
        out.writeInt(record.partition());
        out.writeLong(record.offset());
    }

    private static InboxRecord read(SnapshotInput in) {
        return new InboxRecord(in.readString(), in.readName(), in.readName(), in.readName(), in.readInstant(), in.readName(),
                in.readInt(), in.readInt(), in.readLong());
    }

}
