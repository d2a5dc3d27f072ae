package vn.ndx.exchange.inbox;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.BinaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * Statuses read before their record, by transaction id, each kept until its record comes or until it has
 * waited so long that the record is not coming (Kafka deleted it first, or it was never indexed). Oldest
 * first, so forgetting stops at the first one young enough to keep. Not thread-safe: {@link InboxIndex}
 * holds its lock around every call.
 */
final class ReadEarly<V> {

    private record Waiting<V>(V value, long since) {
    }

    private final LinkedHashMap<String, Waiting<V>> waiting = new LinkedHashMap<>();

    /** Keeps {@code value}, or merges it with the one kept already; the wait counts from the first. */
    void put(String transactionId, V value, BinaryOperator<V> merge) {
        waiting.merge(transactionId, new Waiting<>(value, System.nanoTime()),
                (kept, late) -> new Waiting<>(merge.apply(kept.value(), late.value()), kept.since()));
    }

    void put(String transactionId, V value) {
        put(transactionId, value, (kept, late) -> kept);
    }

    /** What was kept for this record, now taken out, or null. */
    @Nullable V remove(String transactionId) {
        Waiting<V> kept = waiting.remove(transactionId);
        return kept == null ? null : kept.value();
    }

    int size() {
        return waiting.size();
    }

    /** Drops what has waited at least {@code nanos}; returns how many. */
    int forgetOlderThan(long nanos) {
        long now = System.nanoTime();
        int forgotten = 0;
        Iterator<Waiting<V>> oldest = waiting.values().iterator();
        while (oldest.hasNext() && now - oldest.next().since() >= nanos) {
            oldest.remove();
            forgotten++;
        }
        return forgotten;
    }
}
