package vn.ndx.gateway.transaction;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import vn.ndx.contract.Outcome;
import vn.ndx.contract.TransactionKind;
import vn.ndx.gateway.call.Transaction;

/**
 * The gateway's transaction metrics. Each meter is looked up once per label set and kept: building its tags
 * and id and finding it in the registry on every call cost more than counting. Labels are bounded by the
 * registry and the contract's enums: agency and service only when the registry knows them ("none"
 * otherwise), never a raw path or id, so these maps stay as small as the series they name.
 */
final class TransactionMeters {

    /**
     * Fixed buckets, from a fast local answer to a provider's longest timeout: 14 series per label set
     * instead of the 70-odd of a percentile histogram, with the resolution quantiles need here.
     */
    private static final Duration[] LATENCY_BUCKETS = java.util.stream.LongStream.of(1, 2, 5, 10, 25, 50, 100, 250, 500,
            1_000, 2_500, 5_000, 10_000, 30_000).mapToObj(Duration::ofMillis).toArray(Duration[]::new);

    private record Served(TransactionKind kind, Outcome outcome, String providerAgency, String service, int statusClass) {
    }

    private record Sent(TransactionKind kind, String consumerAgency) {
    }

    private record Timed(TransactionKind kind, String providerAgency, Outcome outcome) {
    }

    private final MeterRegistry meters;
    private final Map<Served, Counter> served = new ConcurrentHashMap<>();
    private final Map<Sent, Counter> sent = new ConcurrentHashMap<>();
    private final Map<Timed, Timer> latency = new ConcurrentHashMap<>();
    private final Map<String, Counter> refusals = new ConcurrentHashMap<>();

    TransactionMeters(MeterRegistry meters) {
        this.meters = meters;
    }

    /**
     * One finished transaction. Latency histograms leave the service out: one per provider agency keeps the
     * series count in hundreds, not hundreds of thousands.
     */
    void record(TransactionKind kind, Transaction transaction, Outcome outcome, int status) {
        String agency = orNone(transaction.providerAgency());
        served.computeIfAbsent(new Served(kind, outcome, agency, orNone(transaction.service()), status / 100),
                key -> meters.counter("ndx.gateway.transactions", "kind", key.kind().name(), "outcome", key.outcome().name(),
                        "provider_agency", key.providerAgency(), "service", key.service(), "status_class", key.statusClass() + "xx"))
                .increment();
        // who sends: an agency whose traffic stops is the failure operators must notice first
        sent.computeIfAbsent(new Sent(kind, orNone(transaction.consumerAgency())),
                key -> meters.counter("ndx.gateway.consumer.transactions", "kind", key.kind().name(), "consumer_agency", key.consumerAgency()))
                .increment();
        latency.computeIfAbsent(new Timed(kind, agency, outcome),
                key -> Timer.builder("ndx.gateway.latency").description("From receipt to the last byte of the answer")
                        .tags("kind", key.kind().name(), "provider_agency", key.providerAgency(), "outcome", key.outcome().name())
                        .serviceLevelObjectives(LATENCY_BUCKETS)
                        .register(meters))
                .record(transaction.elapsedMicros(), TimeUnit.MICROSECONDS);
        String problem = transaction.problemCode();
        if (problem != null) {
            refusals.computeIfAbsent(problem, code -> meters.counter("ndx.gateway.refusals", "code", code)).increment();
        }
    }

    private static String orNone(@Nullable String label) {
        return label == null ? "none" : label;
    }
}
