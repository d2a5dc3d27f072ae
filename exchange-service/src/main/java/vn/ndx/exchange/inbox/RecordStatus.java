package vn.ndx.exchange.inbox;

import java.time.Instant;

/** A delivery state change of a record, as written to the record status topic. */
record RecordStatus(String transactionId, Status status, Instant at) {

    enum Status { ACKNOWLEDGED }
}
