package vn.ndx.exchange.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.annotation.PartitionOffset;
import org.springframework.kafka.annotation.TopicPartition;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.RegistrySignatures;
import vn.ndx.contract.RegistrySnapshot.Egress;
import vn.ndx.contract.RegistrySnapshot.Service;
import vn.ndx.contract.RegistrySnapshot;
import vn.ndx.contract.RegistrySnapshotReader;
import vn.ndx.contract.ServiceAddress;
import vn.ndx.contract.Topics;

/**
 * The registry's channels as replicated over Kafka, read from the start of the compacted topic at every
 * start: the exchange never calls the registry. Not healthy until a first snapshot has arrived. Only
 * snapshots the registry signed are applied: a forged one is counted and ignored.
 */
@Component("registryView")
public class RegistryView implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(RegistryView.class);

    private record Channels(long version, Instant publishedAt, Map<String, Service> byKey, Map<String, Egress> egress) {
    }

    private final AtomicReference<@Nullable Channels> current = new AtomicReference<>();
    private final RegistrySnapshotReader reader;
    private final MeterRegistry meters;
    private final Map<String, Counter> rejectedEntries = new ConcurrentHashMap<>();
    private final RegistrySignatures.Trust trust;
    private final Counter rejected;

    RegistryView(JsonMapper json, MeterRegistry meters, RegistryTrustProperties trust) {
        this.reader = new RegistrySnapshotReader(json);
        this.meters = meters;
        RegistrySnapshotReader.KINDS.forEach(kind -> rejectedEntries.put(kind, rejectedEntriesOf(kind)));
        this.trust = RegistrySignatures.Trust.fromPemFile(trust.file());
        this.rejected = Counter.builder("ndx.registry.snapshots.rejected")
                .description("Registry snapshots ignored because no trusted registry key signed them").register(meters);
        Gauge.builder("ndx.registry.view.age", this, view -> view.ageSeconds())
                .description("Seconds since the registry published the view this reader holds (NaN before the first)")
                .baseUnit("seconds").register(meters);
    }

    private Counter rejectedEntriesOf(String kind) {
        return Counter.builder("ndx.registry.entries.rejected").tag("kind", kind)
                .description("Registry entries left out of a view because this reader cannot use them").register(meters);
    }

    double ageSeconds() {
        Channels channels = current.get();
        return channels == null ? Double.NaN : Duration.between(channels.publishedAt(), Instant.now()).toMillis() / 1000.0;
    }

    /** The channel {@code code} owned by an agency's system, if the registry has it. */
    public @Nullable Service channel(String agency, String system, String code) {
        Channels channels = current.get();
        return channels == null ? null : channels.byKey().get(key(agency, system, code));
    }

    /** Every channel the registry has. */
    public List<Service> channels() {
        Channels channels = current.get();
        return channels == null ? List.of() : List.copyOf(channels.byKey().values());
    }

    /** Channels whose records are pushed to an address rather than pulled. */
    public List<Service> pushChannels() {
        Channels channels = current.get();
        return channels == null ? List.of() : channels.byKey().values().stream().filter(s -> s.upstreamUrl() != null).toList();
    }

    /** What the platform may reach for an agency beyond public HTTPS addresses, or null: nothing more. */
    public @Nullable Egress egressOf(String agency) {
        Channels channels = current.get();
        return channels == null ? null : channels.egress().get(agency);
    }

    public boolean ready() {
        return current.get() != null;
    }

    @KafkaListener(id = "exchange-registry-view", groupId = "ndx-exchange-registry-view",
            topicPartitions = @TopicPartition(topic = Topics.REGISTRY,
                    partitionOffsets = @PartitionOffset(partition = "0", initialOffset = "0")))
    void onSnapshot(ConsumerRecord<String, byte @Nullable []> record) {
        byte[] value = record.value();
        if (value == null || !trust.verifies(value, name -> {
            Header header = record.headers().lastHeader(name);
            return header == null ? null : header.value();
        })) {
            rejected.increment();
            log.warn("Ignoring a registry snapshot at offset {} that no trusted registry key signed", record.offset());
            return;
        }
        var left = new java.util.ArrayList<String>();
        RegistrySnapshot snapshot;
        try {
            snapshot = reader.read(value, (kind, entry, reason) -> {
                rejectedEntries.computeIfAbsent(kind, this::rejectedEntriesOf).increment();
                left.add(kind + " " + entry + " (" + reason + ")");
            });
        } catch (RuntimeException e) {
            log.error("Ignoring an unreadable registry snapshot at offset {}: {}", record.offset(), e.toString());
            return;
        }
        var next = new Channels(snapshot.version(), snapshot.publishedAt(), snapshot.services().stream()
                .filter(service -> service.kind() == Service.Kind.CHANNEL)
                .collect(Collectors.toUnmodifiableMap(s -> key(s.agencyCode(), s.systemCode(), s.code()), Function.identity())),
                snapshot.egress().stream().collect(Collectors.toUnmodifiableMap(Egress::agencyCode, Function.identity(), (a, b) -> a)));
        Channels previous = current.getAndUpdate(held -> held == null || next.version() >= held.version() ? next : held);
        if (!left.isEmpty() && (previous == null || next.version() > previous.version())) {
            log.warn("Registry version {} applied without {} entries this exchange cannot use: {}", next.version(), left.size(), left);
        }
    }

    @Override
    public Health health() {
        Channels channels = current.get();
        return channels == null
                ? Health.down().withDetail("reason", "no registry snapshot received yet").build()
                : Health.up().withDetail("version", channels.version()).withDetail("ageSeconds", ageSeconds()).build();
    }

    private static String key(String agency, String system, String code) {
        return new ServiceAddress(agency, system, code).toString();
    }
}
