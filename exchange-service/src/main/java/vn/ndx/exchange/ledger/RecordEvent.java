package vn.ndx.exchange.ledger;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What happens to a record on its way to its recipient, as the {@link RecordLedger} applies it: made here
 * (applied once Kafka holds it) or read back from Kafka, by this instance or another, in any number of
 * copies. Every event but {@link Accepted} travels on the record status topic as a {@link RecordStatus}.
 */
public sealed interface RecordEvent {

    String transactionId();

    /** When it happened, on the clock of the instance that made it. */
    Instant at();

    /** As written to the record status topic; null for {@link Accepted}, which travels as the record itself. */
    @Nullable RecordStatus status();

    /** Kafka holds the record: it waits in its inbox. */
    record Accepted(InboxKey inbox, InboxRecord record, byte[] payload) implements RecordEvent {
        @Override
        public String transactionId() {
            return record.transactionId();
        }

        @Override
        public Instant at() {
            return record.acceptedAt();
        }

        @Override
        public @Nullable RecordStatus status() {
            return null;
        }
    }

    /** Handed to its recipient for the {@code delivery}-th time, and no instance hands it out again before {@code until}. */
    record HandedOut(String transactionId, int delivery, Instant at, Instant until) implements RecordEvent {
        @Override
        public RecordStatus status() {
            return new RecordStatus(transactionId, State.DELIVERED, at, delivery, null, until);
        }
    }

    /** Its recipient confirmed it: it leaves its inbox. */
    record Acknowledged(String transactionId, Instant at) implements RecordEvent {
        @Override
        public RecordStatus status() {
            return new RecordStatus(transactionId, State.ACKNOWLEDGED, at);
        }
    }

    /** Pushed {@code delivery} times and refused each time: it leaves its inbox for the dead letters. */
    record DeadLettered(String transactionId, @Nullable Integer delivery, @Nullable String error, Instant at) implements RecordEvent {
        @Override
        public RecordStatus status() {
            return new RecordStatus(transactionId, State.DEAD_LETTERED, at, delivery, error);
        }
    }

    /** A dead letter sent back into its inbox, behind what waits there now. */
    record Redriven(String transactionId, Instant at) implements RecordEvent {
        @Override
        public RecordStatus status() {
            return new RecordStatus(transactionId, State.REDRIVEN, at);
        }
    }

    /** Its inbox's retention passed before anyone acknowledged it: gone from its inbox or the dead letters. */
    record Expired(String transactionId, Instant at) implements RecordEvent {
        @Override
        public RecordStatus status() {
            return new RecordStatus(transactionId, State.EXPIRED, at);
        }
    }

    /**
     * The event a status read from Kafka stands for, or null for an ACCEPTED status (the record itself stands
     * for that). A DELIVERED written before statuses carried the delivery number and lease counts nothing and
     * holds nothing.
     */
    static @Nullable RecordEvent of(RecordStatus status) {
        return switch (status.status()) {
            case DELIVERED -> new HandedOut(status.transactionId(), status.deliveries() == null ? 0 : status.deliveries(), status.at(),
                    status.invisibleUntil() == null ? status.at() : status.invisibleUntil());
            case ACKNOWLEDGED -> new Acknowledged(status.transactionId(), status.at());
            case DEAD_LETTERED -> new DeadLettered(status.transactionId(), status.deliveries(), status.error(), status.at());
            case REDRIVEN -> new Redriven(status.transactionId(), status.at());
            case EXPIRED -> new Expired(status.transactionId(), status.at());
            case ACCEPTED -> null;
        };
    }
}
