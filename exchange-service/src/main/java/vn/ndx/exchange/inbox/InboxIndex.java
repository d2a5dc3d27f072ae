package vn.ndx.exchange.inbox;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

/**
 * Records not yet acknowledged, per inbox in arrival order, with the deadline of each record handed out
 * and not yet acknowledged. Fed from Kafka by {@link InboxFeeder} and rebuilt from it at every start, so
 * the index itself may be lost at any time without losing a record.
 *
 * <p>This index holds payloads in memory, which bounds the backlog an exchange instance can hold by its
 * heap; moving it to a persistent store (payload stays in Kafka, the index keeps offsets) is the next step.
 */
@Component
class InboxIndex {

    private final Map<InboxKey, LinkedHashMap<String, InboxRecord>> pending = new HashMap<>();
    private final Map<String, InboxKey> inboxOf = new HashMap<>();
    private final Map<String, Long> invisibleUntil = new HashMap<>();
    private final Map<String, Integer> deliveries = new HashMap<>();
    /** Pulls waiting for a record to arrive in an inbox (long polling). */
    private final Map<InboxKey, List<Runnable>> waiters = new HashMap<>();
    /** Acknowledgements read before their record (the two topics are read side by side at start). */
    private final Set<String> acknowledgedEarly = new HashSet<>();
    /** Acknowledged through this instance and not yet seen back from Kafka. */
    private final Set<String> acknowledgedHere = new HashSet<>();

    void add(InboxKey inbox, InboxRecord record) {
        List<Runnable> woken;
        synchronized (this) {
            if (acknowledgedEarly.remove(record.transactionId())) {
                return;
            }
            pending.computeIfAbsent(inbox, key -> new LinkedHashMap<>()).putIfAbsent(record.transactionId(), record);
            inboxOf.put(record.transactionId(), inbox);
            woken = waiters.remove(inbox);
        }
        if (woken != null) {
            woken.forEach(Runnable::run); // outside the lock: a woken pull takes records at once
        }
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

    /** An acknowledgement read from Kafka. */
    synchronized void acknowledged(String transactionId) {
        if (acknowledgedHere.remove(transactionId)) {
            return;
        }
        if (!remove(transactionId)) {
            acknowledgedEarly.add(transactionId);
        }
    }

    /** An acknowledgement this instance has written to Kafka: effective at once, before it is read back. */
    synchronized void acknowledgedHere(String transactionId) {
        if (remove(transactionId)) {
            acknowledgedHere.add(transactionId);
        }
    }

    /** A record handed out, and how many times it has been, this time included. */
    record Taken(InboxRecord record, int delivery) {
    }

    /** Up to {@code max} records visible now, oldest first; they stay invisible until {@code invisibleForNanos} pass. */
    synchronized List<Taken> take(InboxKey inbox, int max, long invisibleForNanos) {
        var records = pending.get(inbox);
        if (records == null) {
            return List.of();
        }
        long now = System.nanoTime();
        var taken = new ArrayList<Taken>(Math.min(max, records.size()));
        for (InboxRecord record : records.values()) {
            Long until = invisibleUntil.get(record.transactionId());
            if (until == null || until - now <= 0) {
                invisibleUntil.put(record.transactionId(), now + invisibleForNanos);
                taken.add(new Taken(record, deliveries.merge(record.transactionId(), 1, Integer::sum)));
                if (taken.size() == max) {
                    break;
                }
            }
        }
        return taken;
    }

    /** Which of these ids wait in this inbox (only those may be acknowledged by its owner). */
    synchronized List<String> pendingIn(InboxKey inbox, List<String> transactionIds) {
        return transactionIds.stream().distinct().filter(id -> inbox.equals(inboxOf.get(id))).toList();
    }

    synchronized int size(InboxKey inbox) {
        var records = pending.get(inbox);
        return records == null ? 0 : records.size();
    }

    private boolean remove(String transactionId) {
        InboxKey inbox = inboxOf.remove(transactionId);
        invisibleUntil.remove(transactionId);
        deliveries.remove(transactionId);
        if (inbox == null) {
            return false;
        }
        var records = pending.get(inbox);
        if (records != null) {
            records.remove(transactionId);
        }
        return true;
    }
}
