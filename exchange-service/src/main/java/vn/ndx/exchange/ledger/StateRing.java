package vn.ndx.exchange.ledger;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Record states in a few primitive arrays: the exchange's largest and longest-lived data. As a map of
 * objects, each record cost about 250 bytes in five objects, every one of them promoted to the old
 * generation, marked at each full collection and collected once forgotten; a million of them made the
 * exchange spend more time collecting than working. Here a record costs about 50 bytes and no object.
 *
 * <p>A ring: once {@code capacity} records are held, each new one overwrites the oldest. Records are found
 * by their id, a canonical UUID held as two longs, through an open-addressing table (linear probing,
 * at most half full). Arrays grow by doubling up to the capacity, so an idle exchange stays small. Not
 * thread-safe: {@link RecordStates} guards it.
 */
final class StateRing {

    private static final int FIRST_SIZE = 1024;

    private final int capacity;
    private int size;
    /** Where the next record goes once the ring is full: the oldest one's place. */
    private int oldest;

    private long[] idHigh;
    private long[] idLow;
    private int[] route;
    private byte[] state;
    private int[] deliveries;
    private long[] acceptedMicros;
    private long[] updatedMicros;
    private @Nullable String[] lastError;
    /** Places of records, by their id's hash: 0 is empty, otherwise place + 1. */
    private int[] table;

    StateRing(int capacity) {
        this.capacity = capacity;
        int length = Math.min(capacity, FIRST_SIZE);
        idHigh = new long[length];
        idLow = new long[length];
        route = new int[length];
        state = new byte[length];
        deliveries = new int[length];
        acceptedMicros = new long[length];
        updatedMicros = new long[length];
        lastError = new String[length];
        table = new int[tableLength(length)];
    }

    /** An independent copy: a snapshot writes it out while the original goes on changing. */
    StateRing copy() {
        var copy = new StateRing(capacity);
        copy.size = size;
        copy.oldest = oldest;
        copy.idHigh = idHigh.clone();
        copy.idLow = idLow.clone();
        copy.route = route.clone();
        copy.state = state.clone();
        copy.deliveries = deliveries.clone();
        copy.acceptedMicros = acceptedMicros.clone();
        copy.updatedMicros = updatedMicros.clone();
        copy.lastError = lastError.clone();
        copy.table = table.clone();
        return copy;
    }

    int size() {
        return size;
    }

    /** The places of the records held, oldest first: the order {@link #add} must see them in again. */
    int[] placesOldestFirst() {
        int[] places = new int[size];
        int first = size < capacity ? 0 : oldest;
        for (int i = 0; i < size; i++) {
            places[i] = (first + i) % size;
        }
        return places;
    }

    long idHigh(int place) {
        return idHigh[place];
    }

    long idLow(int place) {
        return idLow[place];
    }

    /** The place of the record with this id, or -1. */
    int find(long high, long low) {
        int mask = table.length - 1;
        for (int i = hash(high, low) & mask; table[i] != 0; i = (i + 1) & mask) {
            int place = table[i] - 1;
            if (idHigh[place] == high && idLow[place] == low) {
                return place;
            }
        }
        return -1;
    }

    /** A place for a record not held yet, forgetting the oldest if the ring is full; its fields are to be set. */
    int add(long high, long low) {
        int place;
        if (size < capacity) {
            if (size == idHigh.length) {
                grow(Math.min(capacity, size * 2));
            }
            place = size++;
        } else {
            place = oldest;
            oldest = (oldest + 1) % capacity;
            unlink(place);
        }
        idHigh[place] = high;
        idLow[place] = low;
        link(place);
        return place;
    }

    int route(int place) {
        return route[place];
    }

    byte state(int place) {
        return state[place];
    }

    int deliveries(int place) {
        return deliveries[place];
    }

    long acceptedMicros(int place) {
        return acceptedMicros[place];
    }

    long updatedMicros(int place) {
        return updatedMicros[place];
    }

    @Nullable String lastError(int place) {
        return lastError[place];
    }

    void set(int place, int route, byte state, int deliveries, long acceptedMicros, long updatedMicros, @Nullable String lastError) {
        this.route[place] = route;
        this.state[place] = state;
        this.deliveries[place] = deliveries;
        this.acceptedMicros[place] = acceptedMicros;
        this.updatedMicros[place] = updatedMicros;
        this.lastError[place] = lastError;
    }

    private void grow(int length) {
        idHigh = Arrays.copyOf(idHigh, length);
        idLow = Arrays.copyOf(idLow, length);
        route = Arrays.copyOf(route, length);
        state = Arrays.copyOf(state, length);
        deliveries = Arrays.copyOf(deliveries, length);
        acceptedMicros = Arrays.copyOf(acceptedMicros, length);
        updatedMicros = Arrays.copyOf(updatedMicros, length);
        lastError = Arrays.copyOf(lastError, length);
        table = new int[tableLength(length)];
        for (int place = 0; place < size; place++) {
            link(place);
        }
    }

    /** A power of two at least twice the places: probes stay short. */
    private static int tableLength(int places) {
        return Integer.highestOneBit(Math.max(2, places) * 2 - 1) * 2;
    }

    private void link(int place) {
        int mask = table.length - 1;
        int i = hash(idHigh[place], idLow[place]) & mask;
        while (table[i] != 0) {
            i = (i + 1) & mask;
        }
        table[i] = place + 1;
    }

    /** Removes a place from the table, moving back the entries after it that would be unreachable otherwise. */
    private void unlink(int place) {
        int mask = table.length - 1;
        int hole = hash(idHigh[place], idLow[place]) & mask;
        while (table[hole] != place + 1) {
            hole = (hole + 1) & mask;
        }
        for (int i = (hole + 1) & mask; table[i] != 0; i = (i + 1) & mask) {
            int home = hash(idHigh[table[i] - 1], idLow[table[i] - 1]) & mask;
            // an entry may fill the hole unless its home lies after the hole, up to the entry (cyclically)
            boolean staysReachable = hole <= i ? hole < home && home <= i : hole < home || home <= i;
            if (!staysReachable) {
                table[hole] = table[i];
                hole = i;
            }
        }
        table[hole] = 0;
    }

    private static int hash(long high, long low) {
        long h = (high ^ Long.rotateLeft(low, 32)) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
