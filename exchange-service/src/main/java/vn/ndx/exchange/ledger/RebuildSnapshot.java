package vn.ndx.exchange.ledger;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;
import vn.ndx.contract.Topics;
import vn.ndx.exchange.ExchangeProperties;
import vn.ndx.exchange.record.IdempotencyKeys;
import vn.ndx.exchange.snapshot.SnapshotFile;
import vn.ndx.exchange.snapshot.SnapshotInput;

/**
 * What the inbox feeder rebuilt from Kafka (the record ledger and the idempotency keys) with the offset of each
 * partition it covers, kept in a local file. At start the feeder restores it and reads on from those offsets:
 * a restart reads what came after the snapshot, not the topics' whole retention.
 *
 * <p>A snapshot is taken on the feeder's thread between two polls, so it holds exactly what was read up to
 * its offsets, plus changes this instance made and stored in Kafka but had not read back yet. Reading those
 * again after the offsets changes nothing: every change is applied idempotently, as it must be anyway when
 * this instance reads its own changes back.
 *
 * <p>Why a local file and not a compacted Kafka topic: the snapshot is a cache of what the topics say, not a
 * fact of its own, so losing it costs one full rebuild and nothing else; a file costs the brokers nothing
 * (tens of megabytes per instance per minute would, in messages split to fit), needs no ACL, and each instance
 * reads its own. A snapshot from other topics (recreated: another topic id), or with an offset Kafka no longer
 * holds or never held, is refused whole, as is one whose checksum fails; the feeder then reads from the
 * beginning, and says why.
 */
@Component
class RebuildSnapshot {

    private static final Logger log = LoggerFactory.getLogger(RebuildSnapshot.class);
    /** The format: a snapshot of another is refused (a full rebuild), never misread. */
    private static final int VERSION = 2;
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(15);

    private final @Nullable SnapshotFile file;
    private final Duration every;
    private final RecordLedger ledger;
    private final IdempotencyKeys keys;
    private final KafkaProperties kafkaProperties;
    private final Timer writes;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong writtenAt = new AtomicLong();
    /** The topics' ids when this instance started: a topic deleted and made again has another. */
    private @Nullable Map<String, String> topicIds;

    RebuildSnapshot(ExchangeProperties properties, RecordLedger ledger, IdempotencyKeys keys, KafkaProperties kafkaProperties, MeterRegistry meters) {
        var directory = properties.snapshot().directory();
        this.file = directory == null ? null : new SnapshotFile(directory.resolve("inboxes.snapshot"), VERSION);
        this.every = properties.snapshot().every();
        this.ledger = ledger;
        this.keys = keys;
        this.kafkaProperties = kafkaProperties;
        this.writes = Timer.builder("ndx.exchange.snapshot.write")
                .description("Writing the snapshot a restart reads on from (the feeder reads nothing meanwhile)").register(meters);
        Gauge.builder("ndx.exchange.snapshot.size", bytes, AtomicLong::get).baseUnit("bytes")
                .description("Size of the last snapshot written").register(meters);
        Gauge.builder("ndx.exchange.snapshot.written.timestamp", writtenAt, at -> at.get() / 1_000.0).baseUnit("seconds")
                .description("When the last snapshot was written (0: none since start)").register(meters);
    }

    boolean enabled() {
        return file != null;
    }

    /** How often a snapshot is written while something is read. */
    Duration every() {
        return every;
    }

    /**
     * Restores the last snapshot into the ledger and the keys, if it is one of these topics that
     * Kafka still holds every offset after; returns where each partition goes on from. Empty when there is
     * none to use: then nothing is restored, and the feeder reads from the beginning.
     */
    Map<TopicPartition, Long> restore(KafkaConsumer<String, byte[]> kafka, List<TopicPartition> partitions) {
        if (file == null) {
            log.info("No snapshot directory set: inboxes are rebuilt from the beginning of the topics");
            return Map.of();
        }
        Map<String, String> ids = topicIds();
        Optional<SnapshotInput> found;
        try {
            found = file.read();
        } catch (IOException | SnapshotInput.Damaged e) {
            log.warn("Snapshot {} not usable ({}): inboxes are rebuilt from the beginning of the topics", file.path(), e.getMessage());
            return Map.of();
        }
        if (found.isEmpty()) {
            log.info("No snapshot at {} yet: inboxes are rebuilt from the beginning of the topics", file.path());
            return Map.of();
        }
        SnapshotInput in = found.get();
        try {
            Instant written = in.readInstant();
            Map<String, String> snapshotIds = new HashMap<>();
            for (int i = in.readCount(); i > 0; i--) {
                snapshotIds.put(in.readString(), in.readString());
            }
            Map<TopicPartition, Long> offsets = new HashMap<>();
            for (int i = in.readCount(); i > 0; i--) {
                offsets.put(new TopicPartition(in.readString(), in.readInt()), in.readLong());
            }
            String refused = refusal(kafka, partitions, ids, snapshotIds, offsets);
            if (refused != null) {
                log.warn("Snapshot {} of {} not usable ({}): inboxes are rebuilt from the beginning of the topics",
                        file.path(), written, refused);
                return Map.of();
            }
            ledger.readFrom(in);
            keys.readFrom(in);
            SnapshotFile.requireEnd(in);
            log.info("Restored the snapshot of {} ({} records waiting or dead-lettered): reading on from its offsets", written,
                    ledger.tracked());
            return offsets;
        } catch (SnapshotInput.Damaged e) {
            ledger.clear();
            keys.clear();
            log.warn("Snapshot {} not usable ({}): inboxes are rebuilt from the beginning of the topics", file.path(), e.getMessage());
            return Map.of();
        }
    }

    /** Why a snapshot with these topic ids and offsets cannot be read on from, or null when it can. */
    private static @Nullable String refusal(KafkaConsumer<String, byte[]> kafka, List<TopicPartition> partitions,
                                            Map<String, String> ids, Map<String, String> snapshotIds,
                                            Map<TopicPartition, Long> offsets) {
        if (!ids.equals(snapshotIds)) {
            return "written for topics " + snapshotIds + ", these are " + ids;
        }
        if (!partitions.containsAll(offsets.keySet())) {
            return "it covers partitions the topics do not have";
        }
        Map<TopicPartition, Long> beginning = kafka.beginningOffsets(offsets.keySet());
        Map<TopicPartition, Long> end = kafka.endOffsets(offsets.keySet());
        for (var offset : offsets.entrySet()) {
            long first = beginning.get(offset.getKey());
            long last = end.get(offset.getKey());
            if (offset.getValue() < first || offset.getValue() > last) {
                return offset.getKey() + " goes on from " + offset.getValue() + ", Kafka holds " + first + " to " + last;
            }
        }
        return null;
    }

    /**
     * Writes a snapshot of what was read up to {@code next}; on the feeder's thread only, between two polls.
     * A failure is logged and changes nothing: the last snapshot stays, and the next attempt comes.
     */
    void save(Map<TopicPartition, Long> next) {
        if (file == null) {
            return;
        }
        long started = System.nanoTime();
        try {
            Map<String, String> ids = topicIds();
            Instant now = Instant.now();
            long size = file.write(out -> {
                out.writeInstant(now);
                out.writeInt(ids.size());
                ids.forEach((topic, id) -> {
                    out.writeString(topic);
                    out.writeString(id);
                });
                out.writeInt(next.size());
                next.forEach((partition, offset) -> {
                    out.writeString(partition.topic());
                    out.writeInt(partition.partition());
                    out.writeLong(offset);
                });
                ledger.writeTo(out);
                keys.writeTo(out);
            });
            bytes.set(size);
            writtenAt.set(now.toEpochMilli());
        } catch (IOException | RuntimeException e) {
            log.warn("Snapshot not written to {}: {}", file.path(), e.toString());
        } finally {
            writes.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private Map<String, String> topicIds() {
        if (topicIds == null) {
            try (Admin admin = Admin.create(kafkaProperties.buildAdminProperties())) {
                var described = admin.describeTopics(List.of(Topics.RECORDS, Topics.RECORD_STATUS)).allTopicNames()
                        .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                Map<String, String> ids = new HashMap<>();
                described.forEach((topic, description) -> ids.put(topic, description.topicId().toString()));
                topicIds = ids;
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("Topics not described: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted", e);
            }
        }
        return topicIds;
    }
}
