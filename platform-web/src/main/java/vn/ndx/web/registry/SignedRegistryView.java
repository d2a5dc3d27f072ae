package vn.ndx.web.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.RegistrySignatures;
import vn.ndx.contract.RegistrySnapshot;
import vn.ndx.contract.RegistrySnapshotReader;

/**
 * The registry as a data-plane reader (gateway, exchange) holds it: read from the start of the compacted
 * snapshot topic at every start, so the reader needs the registry service neither to start nor to serve.
 * Only snapshots the registry signed apply: whoever else can write to the topic, a forged snapshot is
 * counted ({@code ndx_registry_snapshots_rejected_total}) and ignored. A snapshot applies entry by entry:
 * an entry this reader cannot use is left out and counted ({@code ndx_registry_entries_rejected_total{kind}}),
 * the rest takes effect. {@code ndx_registry_view_age_seconds} measures the newest snapshot applied, so a
 * stalled view shows as stale. Not healthy until a first snapshot has arrived. One class for both readers:
 * what makes a snapshot trusted must never differ between them.
 *
 * @param <V> the reader's own view of a snapshot
 */
public abstract class SignedRegistryView<V> implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(SignedRegistryView.class);

    private final String reader;
    private final AtomicReference<@Nullable Held<V>> current = new AtomicReference<>();
    private final RegistrySnapshotReader snapshots;
    private final MeterRegistry meters;
    private final Map<String, Counter> rejectedEntries = new ConcurrentHashMap<>();
    private final RegistrySignatures.Trust trust;
    private final Counter rejected;

    private record Held<V>(long version, Instant publishedAt, V view) {
    }

    /** {@code reader}: who reads, as the log names it ("gateway", "exchange"). */
    protected SignedRegistryView(String reader, JsonMapper json, MeterRegistry meters, RegistryTrustProperties trust) {
        this.reader = reader;
        this.snapshots = new RegistrySnapshotReader(json);
        this.meters = meters;
        RegistrySnapshotReader.KINDS.forEach(kind -> rejectedEntries.put(kind, rejectedEntriesOf(kind)));
        this.trust = RegistrySignatures.Trust.fromPemFile(trust.file());
        this.rejected = Counter.builder("ndx.registry.snapshots.rejected")
                .description("Registry snapshots ignored because no trusted registry key signed them").register(meters);
        Gauge.builder("ndx.registry.view.age", this, view -> view.ageSeconds())
                .description("Seconds since the registry published the view this reader holds (NaN before the first)")
                .baseUnit("seconds").register(meters);
    }

    /** This reader's view of a signed snapshot; entries it cannot use go to {@code rejections}. */
    protected abstract V view(RegistrySnapshot snapshot, RegistrySnapshotReader.Rejections rejections);

    /** The view of the newest snapshot applied; null before the first. */
    protected final @Nullable V view() {
        Held<V> held = current.get();
        return held == null ? null : held.view();
    }

    /**
     * One record of the snapshot topic: its value, its headers by name (the signature travels there) and its
     * offset (for the log). Applied if the registry signed it and it is newer than the view held.
     */
    protected final void apply(byte @Nullable [] value, Function<String, byte @Nullable []> header, long offset) {
        if (value == null || !trust.verifies(value, header::apply)) {
            rejected.increment();
            log.warn("Ignoring a registry snapshot at offset {} that no trusted registry key signed", offset);
            return;
        }
        var left = new ArrayList<String>();
        RegistrySnapshotReader.Rejections rejections = (kind, entry, reason) -> {
            rejectedEntries.computeIfAbsent(kind, this::rejectedEntriesOf).increment();
            left.add(kind + " " + entry + " (" + reason + ")");
        };
        Held<V> next;
        try {
            RegistrySnapshot snapshot = snapshots.read(value, rejections);
            next = new Held<>(snapshot.version(), snapshot.publishedAt(), view(snapshot, rejections));
        } catch (RuntimeException e) {
            log.error("Ignoring an unreadable registry snapshot at offset {}: {}", offset, e.toString());
            return;
        }
        Held<V> previous = current.getAndUpdate(held -> held == null || next.version() >= held.version() ? next : held);
        if (previous == null || next.version() > previous.version()) {
            log.info("Registry view now at version {}", next.version());
            if (!left.isEmpty()) {
                log.warn("Registry version {} applied without {} entries this {} cannot use: {}", next.version(), left.size(), reader, left);
            }
        }
    }

    public double ageSeconds() {
        Held<V> held = current.get();
        return held == null ? Double.NaN : Duration.between(held.publishedAt(), Instant.now()).toMillis() / 1000.0;
    }

    @Override
    public Health health() {
        Held<V> held = current.get();
        return held == null
                ? Health.down().withDetail("reason", "no registry snapshot received yet").build()
                : Health.up().withDetail("version", held.version()).withDetail("ageSeconds", ageSeconds()).build();
    }

    private Counter rejectedEntriesOf(String kind) {
        return Counter.builder("ndx.registry.entries.rejected").tag("kind", kind)
                .description("Registry entries left out of a view because this reader cannot use them").register(meters);
    }
}
