package vn.ndx.exchange.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The ring against a plain map of the same records: after every step, the same ids found, in the same places. */
class StateRingTest {

    private record Id(long high, long low) {
    }

    @Test
    void finds_exactly_the_newest_records_up_to_its_capacity_through_growth_and_eviction() {
        int capacity = 3_000; // past the first allocation, so the arrays grow twice before the ring wraps
        var ring = new StateRing(capacity);
        var held = new HashMap<Id, Integer>();
        var order = new ArrayDeque<Id>();
        var random = new Random(42);
        List<Id> forgotten = new ArrayList<>();

        for (int n = 0; n < 50_000; n++) {
            // ids that share their high half, as time-ordered ids made in one millisecond do
            var id = new Id(n / 7, random.nextLong());
            int place = ring.add(id.high(), id.low());
            ring.set(place, n, (byte) (n % 6), n, n, n, n % 5 == 0 ? "error " + n : null);
            held.put(id, place);
            order.addLast(id);
            if (order.size() > capacity) {
                Id oldest = order.removeFirst();
                held.remove(oldest);
                forgotten.add(oldest);
            }
            if (n % 997 == 0 || n == 49_999) {
                assertHolds(ring, held);
                for (Id gone : forgotten) {
                    assertThat(ring.find(gone.high(), gone.low())).as("forgotten %s", gone).isEqualTo(-1);
                }
                forgotten.clear();
            }
        }
        assertThat(ring.size()).isEqualTo(capacity);
    }

    @Test
    void a_record_never_added_is_not_found() {
        var ring = new StateRing(10);
        ring.add(1, 2);

        assertThat(ring.find(1, 2)).isZero();
        assertThat(ring.find(2, 1)).isEqualTo(-1);
        assertThat(ring.find(1, 3)).isEqualTo(-1);
    }

    private static void assertHolds(StateRing ring, Map<Id, Integer> held) {
        assertThat(ring.size()).isEqualTo(held.size());
        held.forEach((id, place) -> {
            assertThat(ring.find(id.high(), id.low())).as("place of %s", id).isEqualTo(place);
            int n = ring.route(place);
            assertThat(ring.deliveries(place)).isEqualTo(n);
            assertThat(ring.acceptedMicros(place)).isEqualTo(n);
            assertThat(ring.state(place)).isEqualTo((byte) (n % 6));
            assertThat(ring.lastError(place)).isEqualTo(n % 5 == 0 ? "error " + n : null);
        });
    }
}
