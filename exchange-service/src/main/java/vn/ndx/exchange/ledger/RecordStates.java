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

    /** Whether this record is held and was redriven after {@code at}: what happened before belongs to its earlier life. */
    public synchronized boolean redrivenAfter(String transactionId, Instant at) {
        long[] id = uuid(transactionId);
        int place = id == null ? -1 : ring.find(id[0], id[1]);
        return place >= 0 && STATES[ring.state(place)] == State.REDRIVEN && micros(at) < ring.updatedMicros(place);
    }

    /** Whether this record's state is held (accepted, and not yet forgotten past the capacity). */
    public synchronized boolean known(String transactionId) {
        long[] id = uuid(transactionId);
        return id != null && ring.find(id[0], id[1]) >= 0;
    }

    /**
     * Applies a change, read from Kafka or made here, to a record held; changes arrive more than once and in
     * any order. Returns whether it applied: false for a repeat, for a change older than the last one applied
     * (read back after a newer one made here) or one the record's state does not allow, and for a record not held.
     */
    public synchronized boolean changed(RecordStatus change) {
        long[] id = uuid(change.transactionId());
        int place = id == null ? -1 : ring.find(id[0], id[1]);
        if (place < 0) {
            return false;
        }
        long at = micros(change.at());
        if (at < ring.updatedMicros(place) || !STATES[ring.state(place)].mayBecome(change.status())) {
            return false; // an older change read back after a newer one made here, or a repeat
        }
        int deliveries = Math.max(ring.deliveries(place), change.deliveries() == null ? 0 : change.deliveries());
        String error = change.error() != null ? change.error() : ring.lastError(place);
        ring.set(place, ring.route(place), (byte) change.status().ordinal(), deliveries, ring.acceptedMicros(place), at, error);
        return true;
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
