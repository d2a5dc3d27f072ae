package vn.ndx.exchange.ledger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.Headers;
import vn.ndx.contract.Topics;
import vn.ndx.exchange.KafkaLoop;
import vn.ndx.exchange.record.IdempotencyKeys;

/**
 * Feeds the record ledger and the senders' idempotency keys from Kafka: every accepted
 * record and every status change, read at each start by a consumer of its own (no consumer group: each
 * instance needs all of it) from where the last {@link RebuildSnapshot} ends, or from the beginning when
 * there is none to use. The exchange is not healthy until it has read up to
 * where the topics ended when it started, so a restarted exchange never answers a pull from a half-built
 * index. A new consumer after a failure goes on where the last one stopped.
 */
@Component("inbox")
public class InboxFeeder extends KafkaLoop implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(InboxFeeder.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    /**
     * How long a status at least waits for its record, beyond every records partition having been read to its
     * end since the status came: the second alone proves the record is not coming, unless this instance's
     * view of a partition's end is stale (a broker it cannot reach while others can).
     */
    private static final Duration RECORD_NOT_COMING = Duration.ofHours(1);

    private final RecordLedger ledger;
    private final IdempotencyKeys idempotencyKeys;
    private final JsonMapper json;
    private final Counter unreadable;
    private final RebuildSnapshot snapshot;
    private volatile boolean caughtUp;
    /** Whether the last snapshot was looked for (once, at the first connection). Feeder thread only. */
    private boolean restoreTried;
    /** Messages read before the inboxes were rebuilt: the whole topics, or what came after the snapshot. */
    private final AtomicLong readToRebuild = new AtomicLong();
    /** Messages read since the last snapshot was written, and when it was. Feeder thread only. */
    private long readSinceSnapshot;
    private long snapshotAt = System.nanoTime();
    /** Where each partition's next record is: a new consumer after a failure goes on from there. Feeder thread only. */
    private final Map<TopicPartition, Long> next = new HashMap<>();

    InboxFeeder(RecordLedger ledger, IdempotencyKeys idempotencyKeys, RebuildSnapshot snapshot, JsonMapper json,
                KafkaProperties kafkaProperties, MeterRegistry meters) {
        super("inbox-feeder", kafkaProperties);
        this.snapshot = snapshot;
        Gauge.builder("ndx.exchange.rebuild.read", readToRebuild, AtomicLong::get).baseUnit("messages")
                .description("Records and statuses read at the last start before the inboxes were rebuilt").register(meters);
        this.unreadable = Counter.builder("ndx.exchange.inbox.unreadable")
                .description("Records and statuses the inbox feeder could not read and skipped").register(meters);
        this.ledger = ledger;
        this.idempotencyKeys = idempotencyKeys;
        this.json = json;
    }

    /** Whether every inbox has been rebuilt from Kafka: before that, the index shows a past state of them. */
    public boolean caughtUp() {
        return caughtUp;
    }

    @Override
    public Health health() {
        return caughtUp ? Health.up().build()
                : Health.down().withDetail("reason", "rebuilding inboxes from Kafka").build();
    }

    @Override
    protected void consume(KafkaConsumer<String, byte[]> kafka) {
        List<TopicPartition> partitions = partitions(kafka);
        kafka.assign(partitions);
        if (!restoreTried) {
            next.putAll(snapshot.restore(kafka, partitions));
            restoreTried = true;
        }
        // the index holds what was read up to here: read again from the start, it would pass through past
        // states (records acknowledged long ago waiting again) while it answers pulls
        kafka.seekToBeginning(partitions.stream().filter(p -> !next.containsKey(p)).toList());
        partitions.stream().filter(next::containsKey).forEach(p -> kafka.seek(p, next.get(p)));
        Map<TopicPartition, Long> startedAt = new HashMap<>(kafka.endOffsets(partitions));
        List<TopicPartition> statuses = partitions.stream().filter(p -> Topics.RECORD_STATUS.equals(p.topic())).toList();
        List<TopicPartition> records = partitions.stream().filter(p -> Topics.RECORDS.equals(p.topic())).toList();
        Map<TopicPartition, Long> lastRead = new HashMap<>();
        Map<TopicPartition, Long> readToEndAt = new HashMap<>();
        boolean statusesToNow = false;
        long checkAt = System.nanoTime() + PROGRESS_EVERY.toNanos();
        while (isRunning()) {
            ConsumerRecords<String, byte[]> read = kafka.poll(Duration.ofMillis(500));
            for (TopicPartition partition : read.partitions()) {
                List<ConsumerRecord<String, byte[]>> batch = read.records(partition);
                batch.forEach(this::index);
                ConsumerRecord<String, byte[]> last = batch.get(batch.size() - 1);
                next.put(partition, last.offset() + 1);
                readSinceSnapshot += batch.size();
                if (!caughtUp) {
                    lastRead.put(partition, last.timestamp());
                    readToRebuild.addAndGet(batch.size());
                }
            }
            if (!caughtUp) {
                startedAt.entrySet().removeIf(end -> kafka.position(end.getKey()) >= end.getValue());
                var paused = RebuildPace.paused(partitions, startedAt.keySet(), lastRead);
                kafka.pause(paused);
                kafka.resume(partitions.stream().filter(p -> !paused.contains(p)).toList());
                if (System.nanoTime() - checkAt > 0) {
                    checkAt = System.nanoTime() + PROGRESS_EVERY.toNanos();
                    logProgress(lastRead);
                }
                if (startedAt.isEmpty() && statusesToNow) {
                    caughtUp = true;
                    log.info("Inboxes rebuilt from Kafka ({} records and statuses read)", readToRebuild.get());
                    saveSnapshot();
                } else if (startedAt.isEmpty()) {
                    // records read on past the statuses held behind them: statuses up to now come next, or a
                    // record handed out or acknowledged meanwhile would look waiting to whoever pushes it
                    statusesToNow = true;
                    startedAt.putAll(kafka.endOffsets(statuses));
                }
            } else {
                long now = System.nanoTime();
                for (TopicPartition partition : records) {
                    if (kafka.currentLag(partition).orElse(-1) == 0) {
                        readToEndAt.put(partition, now);
                    }
                }
                if (now - checkAt > 0) {
                    checkAt = now + PROGRESS_EVERY.toNanos();
                    forgetStatusesWithoutRecord(records, readToEndAt, now);
                }
                if (readSinceSnapshot > 0 && now - snapshotAt - snapshot.every().toNanos() > 0) {
                    saveSnapshot();
                }
            }
        }
    }

    /** An orderly stop, or a consumer that failed: what was read so far is kept for the next start. */
    @Override
    protected void disconnected() {
        if (caughtUp && readSinceSnapshot > 0) {
            saveSnapshot();
        }
    }

    /** Between two polls, on this thread: the snapshot holds exactly what was read up to {@link #next}. */
    private void saveSnapshot() {
        snapshot.save(next);
        readSinceSnapshot = 0;
        snapshotAt = System.nanoTime();
    }

    private void forgetStatusesWithoutRecord(List<TopicPartition> records, Map<TopicPartition, Long> readToEndAt, long now) {
        OptionalLong before = recordNotComing(records, readToEndAt, now);
        int forgotten = before.isPresent() ? ledger.forgetEarlyReadBefore(before.getAsLong()) : 0;
        if (forgotten > 0) {
            log.info("Forgot {} statuses whose record was not read (deleted by Kafka first, or skipped)", forgotten);
        }
    }

    /**
     * Statuses read before their record wait for it. A record is written before any status of it, so once
     * every records partition has been read to its end after a status came, its record is not coming: Kafka
     * deleted it first (the two topics' segments expire at different times) or it was skipped as unreadable.
     * Returns the time (on {@link System#nanoTime()}'s clock) before which a status came for such a record,
     * also {@link #RECORD_NOT_COMING} ago at least; empty while some records partition was never read to its end.
     */
    static OptionalLong recordNotComing(List<TopicPartition> records, Map<TopicPartition, Long> readToEndAt, long now) {
        long before = now - RECORD_NOT_COMING.toNanos();
        for (TopicPartition partition : records) {
            Long at = readToEndAt.get(partition);
            if (at == null) {
                return OptionalLong.empty();
            }
            before = at - before < 0 ? at : before;
        }
        return OptionalLong.of(before);
    }

    /** A rebuild of a large topic takes minutes: says how far it is and what it holds meanwhile. */
    private void logProgress(Map<TopicPartition, Long> lastRead) {
        log.info("Rebuilding inboxes: records read up to {}, statuses up to {}; {} records waiting, {} statuses ahead of their record",
                slowest(lastRead, Topics.RECORDS), slowest(lastRead, Topics.RECORD_STATUS), ledger.tracked(), ledger.early());
    }

    private static String slowest(Map<TopicPartition, Long> lastRead, String topic) {
        var read = lastRead.entrySet().stream().filter(entry -> entry.getKey().topic().equals(topic))
                .mapToLong(Map.Entry::getValue).min();
        return read.isPresent() ? Instant.ofEpochMilli(read.getAsLong()).toString() : "nothing yet";
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> kafka) {
        var partitions = new ArrayList<TopicPartition>();
        for (String topic : List.of(Topics.RECORDS, Topics.RECORD_STATUS)) {
            var infos = kafka.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("Topic " + topic + " does not exist yet");
            }
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        return partitions;
    }

    /**
     * One record or status into the index; or, when it cannot be read, nothing at all: it is skipped, its
     * place logged and counted. Stopping at it would stop every inbox, at every start, for good.
     */
    private void index(ConsumerRecord<String, byte[]> record) {
        boolean isRecord = Topics.RECORDS.equals(record.topic());
        String fault;
        try {
            fault = record.value() == null ? "no value" : isRecord ? indexRecord(record) : indexStatus(record);
        } catch (JacksonException e) {
            fault = e.getClass().getSimpleName();
        }
        if (fault != null) {
            unreadable.increment();
            // where, and what kind of fault, never the content: a payload must not reach the log
            log.error("Unreadable {} at {}-{}@{}: skipped ({})", isRecord ? "record" : "status",
                    record.topic(), record.partition(), record.offset(), fault);
        }
    }

    /** Indexes an accepted record; or, if it lacks what the index needs, changes nothing and says what is missing. */
    private @Nullable String indexRecord(ConsumerRecord<String, byte[]> record) {
        Header eventHeader = record.headers().lastHeader(Headers.TRANSACTION_EVENT);
        if (eventHeader == null || eventHeader.value() == null) {
            return "no transaction event";
        }
        AcceptedRecord event = json.readValue(eventHeader.value(), AcceptedRecord.class);
        if (!event.complete()) {
            return "transaction event incomplete";
        }
        Header type = record.headers().lastHeader(Headers.CONTENT_TYPE);
        String contentType = type == null || type.value() == null ? "application/json"
                : new String(type.value(), StandardCharsets.UTF_8).intern();
        Instant acceptedAt = Instant.ofEpochMilli(record.timestamp());
        // names repeat across millions of records held here: one instance of each, not one per record
        String sender = event.consumerAgency().intern();
        String senderSystem = event.consumerSystem().intern();
        var inbox = new InboxKey(event.providerAgency().intern(), event.providerSystem().intern(), event.service().intern());
        Header key = record.headers().lastHeader(Headers.IDEMPOTENCY_KEY);
        if (key != null && key.value() != null && event.requestDigest() != null) {
            idempotencyKeys.remember(IdempotencyKeys.scoped(event.consumerAgency(), event.consumerSystem(),
                    new String(key.value(), StandardCharsets.UTF_8)), event.transactionId(), event.requestDigest(), acceptedAt);
        }
        ledger.apply(new RecordEvent.Accepted(inbox, new InboxRecord(event.transactionId(), sender, senderSystem, inbox.channel(),
                acceptedAt, contentType, record.value().length, record.partition(), record.offset()), record.value()));
        return null;
    }

    /** Applies a status change; or, if it lacks what is needed, changes nothing and says so. */
    private @Nullable String indexStatus(ConsumerRecord<String, byte[]> record) {
        RecordStatus status = json.readValue(record.value(), RecordStatus.class);
        if (status.transactionId() == null || status.status() == null || status.at() == null) {
            return "status incomplete";
        }
        RecordEvent event = RecordEvent.of(status);
        if (event != null) {
            ledger.apply(event);
        }
        return null;
    }
}
