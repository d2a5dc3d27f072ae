package vn.ndx.exchange.ledger;

import java.time.Instant;

/**
 * A record waiting in an inbox: who sent it, when, and where Kafka keeps its payload ({@code size} bytes
 * at {@code offset} of the records topic's {@code partition}). The payload itself is not held here, so
 * a backlog costs the heap its metadata only.
 */
public record InboxRecord(String transactionId, String senderAgency, String senderSystem, String channel,
                   Instant acceptedAt, String contentType, int size, int partition, long offset) {
}
