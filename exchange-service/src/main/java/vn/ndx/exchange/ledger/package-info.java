/**
 * Every record's life as one ledger: the events that make it (accepted, handed out, acknowledged,
 * dead-lettered, redriven, expired), applied the same way whether made here or read back from Kafka; the
 * inboxes, dead letters and record states they leave; the feeder that rebuilds it all from Kafka at start,
 * from the last snapshot on; and where Kafka keeps each waiting record's payload.
 */
@NullMarked
package vn.ndx.exchange.ledger;

import org.jspecify.annotations.NullMarked;
