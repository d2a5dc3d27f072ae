package vn.ndx.exchange.ledger;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.jspecify.annotations.Nullable;
import vn.ndx.contract.TransactionEvent;

/**
 * What the inbox needs of an accepted record's {@link TransactionEvent}: who sent it, to which inbox, and
 * the digest its idempotency key stands for. The rest (times, sizes, outcome) is skipped unread: the feeder
 * reads one event per record, and a profile of it under load put much of its time into parsing the
 * event's timestamp.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record AcceptedRecord(String transactionId, String consumerAgency, String consumerSystem, String providerAgency,
                      String providerSystem, String service, @Nullable String requestDigest) {

    /** Whether it names the record and both ends: an event without them cannot be indexed. */
    boolean complete() {
        return transactionId != null && consumerAgency != null && consumerSystem != null && providerAgency != null
                && providerSystem != null && service != null;
    }
}
