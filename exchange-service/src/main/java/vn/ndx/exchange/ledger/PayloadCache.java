package vn.ndx.exchange.ledger;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The payloads of the newest waiting records, up to a byte budget: a recipient that keeps up is served
 * from memory, while one that fell behind has its older records read back from Kafka. The budget, not
 * the backlog, bounds the memory payloads take. Not thread-safe: {@link InboxIndex} guards it.
 */
final class PayloadCache {

    private final long budget;
    private final Map<String, byte[]> payloads = new LinkedHashMap<>();
    private long bytes;

    PayloadCache(long budget) {
        this.budget = budget;
    }

    void put(String transactionId, byte[] payload) {
        if (payload.length > budget) {
            return;
        }
        remove(transactionId);
        payloads.put(transactionId, payload);
        bytes += payload.length;
        for (Iterator<byte[]> oldest = payloads.values().iterator(); bytes > budget; ) {
            bytes -= oldest.next().length;
            oldest.remove();
        }
    }

    @Nullable byte[] get(String transactionId) {
        return payloads.get(transactionId);
    }

    void remove(String transactionId) {
        byte[] removed = payloads.remove(transactionId);
        if (removed != null) {
            bytes -= removed.length;
        }
    }

    void clear() {
        payloads.clear();
        bytes = 0;
    }

    long bytes() {
        return bytes;
    }
}
