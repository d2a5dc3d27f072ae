package vn.ndx.gateway.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

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
import vn.ndx.contract.RegistrySnapshotReader;
import vn.ndx.contract.Topics;

/**
 * The registry as replicated to this gateway over Kafka. Read from the start of the compacted topic at
 * every start, so a gateway needs the registry service neither to start nor to serve: a registry outage
 * stops no traffic. Not healthy until a first snapshot has arrived. Only snapshots the registry signed are
 * applied: whoever else can write to the topic, a forged snapshot is counted and ignored. A snapshot applies
 * entry by entry: an entry this gateway cannot use is left out and counted, and the rest takes effect.
 */
@Component("registryView")
public class RegistryView implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(RegistryView.class);

    private final AtomicReference<@Nullable RegistryIndex> current = new AtomicReference<>();
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
        RegistryIndex index = current.get();
        return index == null ? Double.NaN : Duration.between(index.publishedAt(), Instant.now()).toMillis() / 1000.0;
    }

    /** The newest snapshot; null only before the first arrived, when the gateway reports itself down. */
    public @Nullable RegistryIndex current() {
        return current.get();
    }

    @KafkaListener(id = "gateway-registry-view", groupId = "ndx-gateway-registry-view",
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
        var left = new ArrayList<String>();
        RegistrySnapshotReader.Rejections rejections = (kind, entry, reason) -> {
            rejectedEntries.computeIfAbsent(kind, this::rejectedEntriesOf).increment();
            left.add(kind + " " + entry + " (" + reason + ")");
        };
        RegistryIndex next;
        try {
            next = new RegistryIndex(reader.read(value, rejections), rejections);
        } catch (RuntimeException e) {
            log.error("Ignoring an unreadable registry snapshot at offset {}: {}", record.offset(), e.toString());
            return;
        }
        RegistryIndex previous = current.getAndUpdate(held -> held == null || next.version() >= held.version() ? next : held);
        if (previous == null || next.version() > previous.version()) {
            log.info("Registry view now at version {}", next.version());
            if (!left.isEmpty()) {
                log.warn("Registry version {} applied without {} entries this gateway cannot use: {}", next.version(), left.size(), left);
            }
        }
    }

    @Override
    public Health health() {
        RegistryIndex index = current.get();
        return index == null
                ? Health.down().withDetail("reason", "no registry snapshot received yet").build()
                : Health.up().withDetail("version", index.version()).withDetail("ageSeconds", ageSeconds()).build();
    }
}
