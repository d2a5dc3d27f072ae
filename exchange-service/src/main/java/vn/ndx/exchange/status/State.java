package vn.ndx.exchange.status;

/**
 * Where a record is on its way: ACCEPTED (Kafka holds it) → DELIVERED (handed to the recipient, perhaps
 * again) → ACKNOWLEDGED (the recipient confirmed it; it leaves the inbox), or DEAD_LETTERED / EXPIRED.
 * A state only moves forward: a late DELIVERED never hides an ACKNOWLEDGED.
 */
public enum State {
    ACCEPTED, DELIVERED, ACKNOWLEDGED, DEAD_LETTERED, EXPIRED;

    public boolean isFinal() {
        return this == ACKNOWLEDGED || this == DEAD_LETTERED || this == EXPIRED;
    }
}
