package vn.ndx.exchange.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import vn.ndx.exchange.ExchangeProperties;

/**
 * The state of every record seen since the oldest one Kafka still holds, rebuilt from the records and
 * record status topics at every start. Bounded: past {@code statusCapacity} records the oldest are
 * forgotten here (their records and statuses stay in Kafka, and a record still waiting in an inbox is
 * delivered regardless); their status then answers 404.
 */
@Component
public class RecordStates {

    private static final int EARLY_CAPACITY = 10_000;

    /** What a sender or recipient sees of a record: metadata only, never its payload. */
    public record View(String transactionId, State state, String senderAgency, String senderSystem,
                       String recipientAgency, String recipientSystem, String channel, Instant acceptedAt,
                       Instant updatedAt, int deliveries, @Nullable String lastError) {

        public boolean involves(String agency, String system) {
            return senderAgency.equals(agency) && senderSystem.equals(system)
                    || recipientAgency.equals(agency) && recipientSystem.equals(system);
        }
    }

    private final int capacity;
    private final Map<String, View> states;
    /** Changes read before their record, applied when it comes; bounded, as most are of records long forgotten. */
    private final Map<String, List<RecordStatus>> early = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<RecordStatus>> eldest) {
            return size() > EARLY_CAPACITY;
        }
    };

    RecordStates(ExchangeProperties properties) {
        this.capacity = properties.statusCapacity();
        this.states = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, View> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized void accepted(String transactionId, String senderAgency, String senderSystem,
                                      String recipientAgency, String recipientSystem, String channel, Instant at) {
        View known = states.get(transactionId);
        if (known == null) {
            states.put(transactionId, new View(transactionId, State.ACCEPTED, senderAgency, senderSystem,
                    recipientAgency, recipientSystem, channel, at, at, 0, null));
            List<RecordStatus> before = early.remove(transactionId);
            if (before != null) {
                before.forEach(this::changed);
            }
        }
    }

    /** Applies a change, read from Kafka or made here; changes arrive more than once and in any order. */
    public synchronized void changed(RecordStatus change) {
        View known = states.get(change.transactionId());
        if (known == null) {
            // its record not read yet (the topics are read side by side), or forgotten long ago
            early.computeIfAbsent(change.transactionId(), id -> new ArrayList<>(2)).add(change);
            return;
        }
        if (change.at().isBefore(known.updatedAt()) || !known.state().mayBecome(change.status())) {
            return; // an older change read back after a newer one made here, or a repeat
        }
        int deliveries = Math.max(known.deliveries(), change.deliveries() == null ? 0 : change.deliveries());
        State state = change.status();
        Instant updated = change.at();
        String error = change.error() != null ? change.error() : known.lastError();
        states.put(known.transactionId(), new View(known.transactionId(), state, known.senderAgency(), known.senderSystem(),
                known.recipientAgency(), known.recipientSystem(), known.channel(), known.acceptedAt(), updated, deliveries, error));
    }

    public synchronized @Nullable View get(String transactionId) {
        return states.get(transactionId);
    }
}
