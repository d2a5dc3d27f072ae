package vn.ndx.exchange.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import vn.ndx.exchange.ExchangeProperties;
import vn.ndx.exchange.snapshot.SnapshotInput;
import vn.ndx.exchange.snapshot.SnapshotOutput;

/**
 * The state of every record seen since the oldest one Kafka still holds, rebuilt from the records and
 * record status topics at every start. Bounded: past {@code statusCapacity} records the oldest are
 * forgotten here (their records and statuses stay in Kafka, and a record still waiting in an inbox is
 * delivered regardless); their status then answers 404. Held in a {@link StateRing}, times to the
 * microsecond; a record whose id is not a canonical UUID (the platform issues no other) is not held.
 */
@Component
public class RecordStates {

    private static final State[] STATES = State.values();

    /** What a sender or recipient sees of a record: metadata only, never its payload. */
    public record View(String transactionId, State state, String senderAgency, String senderSystem,
                       String recipientAgency, String recipientSystem, String channel, Instant acceptedAt,
                       Instant updatedAt, int deliveries, @Nullable String lastError) {

        public boolean involves(String agency, String system) {
            return senderAgency.equals(agency) && senderSystem.equals(system)
                    || recipientAgency.equals(agency) && recipientSystem.equals(system);
        }
    }

    /** Sender and inbox of a record: few distinct ones, so each record keeps the number of its own. */
    private record Route(String senderAgency, String senderSystem, String recipientAgency, String recipientSystem,
                         String channel) {
    }

    private final int capacity;
    private StateRing ring;
    private final List<Route> routes = new ArrayList<>();
    private final Map<Route, Integer> routeNumbers = new HashMap<>();
    @Autowired
    RecordStates(ExchangeProperties properties) {
        this(properties.statusCapacity());
    }

    RecordStates(int capacity) {
        this.capacity = capacity;
        this.ring = new StateRing(capacity);
    }

    public synchronized void accepted(String transactionId, String senderAgency, String senderSystem,
                                      String recipientAgency, String recipientSystem, String channel, Instant at) {
        long[] id = uuid(transactionId);
        if (id == null || ring.find(id[0], id[1]) >= 0) {
            return;
        }
        int place = ring.add(id[0], id[1]);
        long micros = micros(at);
        ring.set(place, route(new Route(senderAgency, senderSystem, recipientAgency, recipientSystem, channel)),
                (byte) State.ACCEPTED.ordinal(), 0, micros, micros, null);
    }

    /** Whether this record's state is held (accepted, and not yet forgotten past the capacity). */
    public synchronized boolean known(String transactionId) {
        long[] id = uuid(transactionId);
        return id != null && ring.find(id[0], id[1]) >= 0;
    }

    /** What a change did to the state of its record. */
    public enum Verdict {
        /** Applied: the record's state is now the change's. */
        APPLIED,
        /** Older than the record's redrive: it belongs to the record's life before that. */
        BEFORE_REDRIVE,
        /** A repeat, older than the last change applied, or one the record's state does not allow. */
        REFUSED,
        /** The record is not held: not accepted yet, or forgotten past the capacity. */
        NOT_HELD
    }

    /**
     * Applies a change, read from Kafka or made here, to a record held; changes arrive more than once and in
     * any order, so only one the record's state allows and not older than its last change applies.
     */
    public synchronized Verdict change(RecordStatus change) {
        long[] id = uuid(change.transactionId());
        int place = id == null ? -1 : ring.find(id[0], id[1]);
        if (place < 0) {
            return Verdict.NOT_HELD;
        }
        long at = micros(change.at());
        State now = STATES[ring.state(place)];
        if (at < ring.updatedMicros(place)) {
            // an older change read back after a newer one made here
            return now == State.REDRIVEN ? Verdict.BEFORE_REDRIVE : Verdict.REFUSED;
        }
        if (!now.mayBecome(change.status())) {
            return Verdict.REFUSED; // a repeat, or a change the state does not allow
        }
        int deliveries = Math.max(ring.deliveries(place), change.deliveries() == null ? 0 : change.deliveries());
        String error = change.error() != null ? change.error() : ring.lastError(place);
        ring.set(place, ring.route(place), (byte) change.status().ordinal(), deliveries, ring.acceptedMicros(place), at, error);
        return Verdict.APPLIED;
    }

    /** {@link #change}, and whether it applied. */
    public boolean changed(RecordStatus change) {
        return change(change) == Verdict.APPLIED;
    }

    public synchronized @Nullable View get(String transactionId) {
        long[] id = uuid(transactionId);
        int place = id == null ? -1 : ring.find(id[0], id[1]);
        if (place < 0) {
            return null;
        }
        Route route = routes.get(ring.route(place));
        return new View(transactionId, STATES[ring.state(place)], route.senderAgency(), route.senderSystem(),
                route.recipientAgency(), route.recipientSystem(), route.channel(), instant(ring.acceptedMicros(place)),
                instant(ring.updatedMicros(place)), ring.deliveries(place), ring.lastError(place));
    }

    /** Everything held, for a snapshot: routes, then states oldest first. */
    public synchronized void writeTo(SnapshotOutput out) {
        out.writeInt(routes.size());
        for (Route route : routes) {
            out.writeString(route.senderAgency());
            out.writeString(route.senderSystem());
            out.writeString(route.recipientAgency());
            out.writeString(route.recipientSystem());
            out.writeString(route.channel());
        }
        int[] places = ring.placesOldestFirst();
        out.writeInt(places.length);
        for (int place : places) {
            out.writeLong(ring.idHigh(place));
            out.writeLong(ring.idLow(place));
            out.writeInt(ring.route(place));
            out.writeByte(ring.state(place));
            out.writeInt(ring.deliveries(place));
            out.writeLong(ring.acceptedMicros(place));
            out.writeLong(ring.updatedMicros(place));
            out.writeNullableString(ring.lastError(place));
        }
    }

    /** Replaces everything held by what {@link #writeTo} wrote; past this instance's capacity, the oldest are left out. */
    public synchronized void readFrom(SnapshotInput in) {
        clear();
        for (int i = in.readCount(); i > 0; i--) {
            route(new Route(in.readName(), in.readName(), in.readName(), in.readName(), in.readName()));
        }
        for (int i = in.readCount(); i > 0; i--) {
            long high = in.readLong();
            long low = in.readLong();
            int route = in.readInt();
            byte state = in.readByte();
            int deliveries = in.readInt();
            long accepted = in.readLong();
            long updated = in.readLong();
            String error = in.readNullableString();
            if (route < 0 || route >= routes.size() || state < 0 || state >= STATES.length) {
                throw new SnapshotInput.Damaged("a record state out of range");
            }
            if (ring.find(high, low) < 0) {
                ring.set(ring.add(high, low), route, state, deliveries, accepted, updated, error);
            }
        }
    }

    /** An independent copy, made in a few array copies: a snapshot writes it out without holding this one's lock. */
    synchronized RecordStates copy() {
        var copy = new RecordStates(capacity);
        copy.ring = ring.copy();
        copy.routes.addAll(routes);
        copy.routeNumbers.putAll(routeNumbers);
        return copy;
    }

    /** Forgets everything: what a rebuild from the beginning starts from. */
    public synchronized void clear() {
        ring = new StateRing(capacity);
        routes.clear();
        routeNumbers.clear();
    }

    private int route(Route route) {
        return routeNumbers.computeIfAbsent(route, key -> {
            routes.add(key);
            return routes.size() - 1;
        });
    }

    /** The two halves of a canonical UUID (lowercase, hyphens at 8, 13, 18 and 23), or null if it is not one. */
    static long @Nullable [] uuid(String id) {
        if (id.length() != 36) {
            return null;
        }
        long high = 0;
        long low = 0;
        int digits = 0;
        for (int i = 0; i < 36; i++) {
            char c = id.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return null;
                }
                continue;
            }
            int value = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (value < 0) {
                return null;
            }
            if (digits++ < 16) {
                high = high << 4 | value;
            } else {
                low = low << 4 | value;
            }
        }
        return new long[] {high, low};
    }

    static long micros(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
