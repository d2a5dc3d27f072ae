package vn.ndx.registry.replication;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.RegistrySnapshot;
import vn.ndx.contract.RegistrySnapshot.Client;
import vn.ndx.contract.Topics;
import vn.ndx.registry.store.RegistryData;
import vn.ndx.registry.store.RegistryStore;
import vn.ndx.registry.token.SigningKey;

/**
 * Publishes the registry, without any secret, as one snapshot on the compacted registry topic: at start
 * (retrying until Kafka takes it) and then periodically, which heals a topic that lost its data. The
 * service is not healthy until Kafka has acknowledged a snapshot: before that, no gateway can know it.
 */
@Component("registryReplication")
class SnapshotPublisher implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(SnapshotPublisher.class);
    static final String KEY = "registry";

    private final RegistryStore store;
    private final SigningKey key;
    private final KafkaTemplate<String, byte[]> kafka;
    private final JsonMapper json;
    private final AtomicLong publishedVersion = new AtomicLong(-1);

    SnapshotPublisher(RegistryStore store, SigningKey key, KafkaTemplate<String, byte[]> kafka, JsonMapper json) {
        this.store = store;
        this.key = key;
        this.kafka = kafka;
        this.json = json;
    }

    @Scheduled(initialDelay = 0, fixedDelayString = "${ndx.registry.republish-interval}")
    void publishPeriodically() {
        publish();
    }

    /** Publishes the current registry; quicker retries until the first snapshot is acknowledged. */
    @Scheduled(initialDelay = 2_000, fixedDelay = 2_000)
    void retryUntilFirstPublished() {
        if (publishedVersion.get() < 0) {
            publish();
        }
    }

    void publish() {
        RegistryData data = store.current();
        var snapshot = new RegistrySnapshot(data.version(), Instant.now(), data.agencies(), data.systems(), data.services(),
                data.grants(), data.clients().stream()
                        .map(client -> new Client(client.clientId(), client.agencyCode(), client.systemCode(), client.enabled()))
                        .toList(),
                key.publicKeySet());
        try {
            kafka.send(Topics.REGISTRY, KEY, json.writeValueAsBytes(snapshot)).get(10, TimeUnit.SECONDS);
            if (publishedVersion.getAndSet(data.version()) != data.version()) {
                log.info("Registry snapshot version {} replicated", data.version());
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("Registry snapshot not replicated yet: {}", e.toString());
        }
    }

    @Override
    public Health health() {
        long version = publishedVersion.get();
        return version < 0 ? Health.down().withDetail("reason", "no snapshot acknowledged by Kafka yet").build()
                : Health.up().withDetail("version", version).build();
    }
}
