package vn.ndx.exchange.inbox;

import java.time.Instant;

/** A record waiting in an inbox: who sent it, when, and its payload as accepted. */
record InboxRecord(String transactionId, String senderAgency, String senderSystem, String channel,
                   Instant acceptedAt, String contentType, byte[] payload) {
}
