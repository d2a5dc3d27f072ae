package vn.ndx.exchange.ledger;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A record handed out, how many times it has been (this time included), until when no instance hands it
 * out again, and its payload when the cache still held it; {@link PayloadReader} reads the others from Kafka.
 */
public record Taken(InboxRecord record, int delivery, Instant invisibleUntil, byte @Nullable [] payload) {

    public Taken withPayload(byte[] read) {
        return new Taken(record, delivery, invisibleUntil, read);
    }
}
