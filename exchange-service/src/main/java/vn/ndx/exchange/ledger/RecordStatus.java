package vn.ndx.exchange.ledger;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A delivery state change of a record, as written to the record status topic (keyed by transaction id).
 *
 * @param deliveries how many times the record had been handed to its recipient when this was written
 * @param error      what went wrong, for DEAD_LETTERED and failed deliveries; never payload content
 * @param invisibleUntil for DELIVERED: until when no exchange instance hands the record out again (its
 *                   recipient's time to acknowledge it); absent from statuses written before it existed
 */
public record RecordStatus(String transactionId, State status, Instant at, @Nullable Integer deliveries,
                           @Nullable String error, @Nullable Instant invisibleUntil) {

    public RecordStatus(String transactionId, State status, Instant at, @Nullable Integer deliveries, @Nullable String error) {
        this(transactionId, status, at, deliveries, error, null);
    }

    public RecordStatus(String transactionId, State status, Instant at) {
        this(transactionId, status, at, null, null);
    }
}
