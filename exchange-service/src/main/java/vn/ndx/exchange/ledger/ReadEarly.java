package vn.ndx.exchange.ledger;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.BiConsumer;
import java.util.function.BinaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * Events read before their record, by transaction id, each kept until its record comes or until the
 * feeder knows it is not coming (Kafka deleted it first, or it was skipped as unreadable). In the order they
 * were read, so forgetting stops at the first one read after the cutoff. Not thread-safe: {@link RecordLedger}
 * holds its lock around every call.
 */
final class ReadEarly<V> {

    private record Waiting<V>(V value, long since) {
    }

    private final LinkedHashMap<String, Waiting<V>> waiting = new LinkedHashMap<>();

    /** Keeps {@code value}, or merges it with the one kept already; it counts as read when the first was. */
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

    /** What is kept, in the order it was read. */
    void forEach(BiConsumer<String, V> action) {
        waiting.forEach((id, kept) -> action.accept(id, kept.value()));
    }

    void clear() {
        waiting.clear();
    }

    int size() {
        return waiting.size();
    }

    /** Drops what was read before {@code nanoTime}; returns how many. */
    int forgetReadBefore(long nanoTime) {
        int forgotten = 0;
        Iterator<Waiting<V>> oldest = waiting.values().iterator();
        while (oldest.hasNext() && oldest.next().since() - nanoTime < 0) {
            oldest.remove();
            forgotten++;
        }
        return forgotten;
    }
}
