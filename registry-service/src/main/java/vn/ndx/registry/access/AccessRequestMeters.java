package vn.ndx.registry.access;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;
import vn.ndx.registry.model.AccessRequest;
import vn.ndx.registry.model.AccessRequest.State;
import vn.ndx.registry.store.RegistryStore;

/**
 * How long agencies wait for access: {@code ndx_registry_access_request_wait_seconds}, the time from a
 * request to its decision by {@code decision} (approved, refused, withdrawn), in buckets from an hour to a
 * month; and, read from the registry at each scrape, the requests pending now and how long the oldest of
 * them has waited ({@code ndx_registry_access_requests_pending},
 * {@code ndx_registry_access_request_oldest_pending_seconds}, 0 when none waits), which the
 * NdxAccessRequestWaiting alert watches. The registry has one writer, so these are the platform's figures.
 */
@Component
class AccessRequestMeters {

    private final Map<State, Timer> waits = new EnumMap<>(State.class);

    AccessRequestMeters(MeterRegistry meters, RegistryStore store) {
        for (State decision : List.of(State.APPROVED, State.REFUSED, State.WITHDRAWN)) {
            waits.put(decision, Timer.builder("ndx.registry.access.request.wait")
                    .description("From an access request to its decision")
                    .tag("decision", decision.name().toLowerCase(Locale.ROOT))
                    .serviceLevelObjectives(Duration.ofHours(1), Duration.ofHours(4), Duration.ofDays(1), Duration.ofDays(2),
                            Duration.ofDays(5), Duration.ofDays(10), Duration.ofDays(30))
                    .register(meters));
        }
        Gauge.builder("ndx.registry.access.requests.pending", store, s -> s.current().accessRequests().stream()
                        .filter(AccessRequest::pending).count())
                .description("Access requests waiting for the provider's decision").register(meters);
        Gauge.builder("ndx.registry.access.request.oldest.pending", store, AccessRequestMeters::oldestPendingSeconds)
                .baseUnit("seconds").description("How long the oldest pending access request has waited; 0 when none waits")
                .register(meters);
    }

    void decided(AccessRequest request) {
        Timer wait = waits.get(request.state());
        if (wait != null && request.decidedAt() != null) {
            wait.record(request.waited(request.decidedAt()));
        }
    }

    private static double oldestPendingSeconds(RegistryStore store) {
        Instant now = Instant.now();
        return store.current().accessRequests().stream().filter(AccessRequest::pending)
                .mapToDouble(request -> request.waited(now).toMillis() / 1_000.0).max().orElse(0);
    }
}
