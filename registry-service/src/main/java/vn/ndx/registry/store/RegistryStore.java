package vn.ndx.registry.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import vn.ndx.contract.RegistryChange;
import vn.ndx.registry.model.RegistryData;

/**
 * The current registry, loaded from its Kafka log at start (or from the demo registry on an empty
 * cluster), changed one change at a time: a change is applied to the current version, stored with its
 * snapshot and event, and only then becomes current. Reads never wait for a change.
 */
@Component("registryStore")
public class RegistryStore implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(RegistryStore.class);

    private final RegistryLog registryLog;
    private final PublicSnapshots snapshots;
    private final AtomicReference<RegistryData> current = new AtomicReference<>();
    private volatile @Nullable Instant lastPublished;

    RegistryStore(RegistryLog registryLog, PublicSnapshots snapshots, DemoRegistry demo) {
        this.registryLog = registryLog;
        this.snapshots = snapshots;
        RegistryData loaded = registryLog.readLatest().orElse(null);
        if (loaded == null) {
            loaded = demo.seed();
            registryLog.write(loaded, snapshots.of(loaded), List.of(change("registry", "registry.imported", "demo-registry", null, loaded.version())));
            log.info("Loaded the demo registry");
        }
        current.set(loaded);
        lastPublished = Instant.now();
        log.info("Registry at version {}", loaded.version());
    }

    public RegistryData current() {
        return current.get();
    }

    /**
     * Applies one administrative change and stores it; returns the new version.
     *
     * @param agency the agency whose subtree the change concerns (for the change event)
     */
    public synchronized RegistryData change(String actor, String action, String entity, @Nullable String agency,
                                            UnaryOperator<RegistryData> change) {
        RegistryData before = current.get();
        RegistryData changed = change.apply(before);
        var next = changed.withVersion(before.version() + 1);
        registryLog.write(next, snapshots.of(next), List.of(change(actor, action, entity, agency, next.version())));
        current.set(next);
        lastPublished = Instant.now();
        return next;
    }

    /** Publishes the snapshot again: grant validity boundaries take effect, a topic that lost it heals. */
    @Scheduled(fixedDelayString = "${ndx.registry.republish-interval}")
    void republish() {
        try {
            registryLog.republish(snapshots.of(current.get()));
            lastPublished = Instant.now();
        } catch (RuntimeException e) {
            log.warn("Registry snapshot not republished: {}", e.toString());
        }
    }

    @Override
    public Health health() {
        return Health.up().withDetail("version", current.get().version())
                .withDetail("lastPublished", String.valueOf(lastPublished)).build();
    }

    private static RegistryChange change(String actor, String action, String entity, @Nullable String agency, long version) {
        return new RegistryChange(UUID.randomUUID().toString(), Instant.now(), actor, action, entity, agency, version);
    }
}
