package vn.ndx.exchange.ledger;

/**
 * Where a record is on its way: ACCEPTED (Kafka holds it) → DELIVERED (handed to the recipient, perhaps
 * again) → ACKNOWLEDGED (the recipient confirmed it; it leaves the inbox). A pushed record the recipient
 * kept refusing is DEAD_LETTERED after the configured attempts, until the recipient REDRIVEN it back into
 * delivery. EXPIRED: its channel's retention passed before anyone acknowledged it.
 */
public enum State {
    ACCEPTED, DELIVERED, ACKNOWLEDGED, DEAD_LETTERED, REDRIVEN, EXPIRED;

    /** Whether a record in this state may move to {@code next}; anything else is a stale or repeated change. */
    public boolean mayBecome(State next) {
        return switch (this) {
            case ACCEPTED, DELIVERED, REDRIVEN -> next == DELIVERED || next == ACKNOWLEDGED || next == DEAD_LETTERED || next == EXPIRED;
            case DEAD_LETTERED -> next == REDRIVEN || next == EXPIRED;
            case ACKNOWLEDGED, EXPIRED -> false;
        };
    }
}
