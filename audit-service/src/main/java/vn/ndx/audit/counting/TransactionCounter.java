package vn.ndx.audit.counting;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.Headers;
import vn.ndx.contract.Topics;
import vn.ndx.contract.TransactionEvent;

/**
 * Reads every transaction event (the transactions topic, and the header of every accepted record) and
 * counts it exactly once.
 *
 * <p>Why a consumer that stores offsets with the counts, and not Kafka Streams: the statistics operators
 * ask for (breakdowns, search, paging, a hash chain over the log) are SQL queries, and a database that
 * commits the counts and the offsets in one transaction gives the same exactly-once guarantee as
 * {@code exactly_once_v2}, across crashes and redelivery, with the primary key on the transaction id
 * absorbing duplicates whoever emitted them. On assignment each partition resumes at the offset stored
 * with the counts; Kafka's committed offsets serve only to show consumer lag. Any number of instances count
 * in one consumer group, each fenced from partitions it no longer holds ({@link CountingStore#claim}).
 */
@Component
class TransactionCounter implements ConsumerSeekAware {

    private static final Logger log = LoggerFactory.getLogger(TransactionCounter.class);
    private static final int MAX_PROVIDER_LABELS = 1_000;

    private final CountingStore store;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final Counter malformed;
    private final Timer lag;
    private final Set<String> providerLabels = ConcurrentHashMap.newKeySet();
    private final Counter fenced;
    /** The epoch each partition this instance holds was claimed with: only the consumer's thread uses these. */
    private final Map<TopicPartition, Long> epochs = new HashMap<>();
    /** The first offset of each held partition not yet counted, where known. */
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    /** This instance, as operators see it in consumer_offsets.owner. */
    private final String owner = ManagementFactory.getRuntimeMXBean().getName();

    TransactionCounter(CountingStore store, JsonMapper json, MeterRegistry meters) {
        this.store = store;
        this.json = json;
        this.meters = meters;
        this.malformed = Counter.builder("ndx.audit.events.malformed")
                .description("Events that could not be read and were skipped").register(meters);
        this.lag = Timer.builder("ndx.audit.lag").description("From a transaction's start to its counting")
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(10)).register(meters);
        this.fenced = Counter.builder("ndx.audit.partitions.fenced")
                .description("Batches not committed because another instance had claimed one of their partitions").register(meters);
    }

    /**
     * Claims the partitions Kafka gave this instance in the database, which fences the instance that had them
     * before, and resumes each at the offset stored with its counts.
     */
    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        if (assignments.isEmpty()) {
            return;
        }
        Map<TopicPartition, CountingStore.Claim> claims = store.claim(assignments.keySet(), owner);
        var unseen = new ArrayList<TopicPartition>();
        claims.forEach((partition, claim) -> {
            epochs.put(partition, claim.epoch());
            if (claim.nextOffset() != null) {
                positions.put(partition, claim.nextOffset());
                callback.seek(partition.topic(), partition.partition(), claim.nextOffset());
            } else {
                positions.remove(partition);
                unseen.add(partition);
            }
        });
        // Never Kafka's committed offset: it only shows lag, and is not committed with the counts.
        // A partition the database knows nothing of is counted from its beginning; the log absorbs repeats.
        if (!unseen.isEmpty()) {
            callback.seekToBeginning(unseen);
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> {
            epochs.remove(partition);
            positions.remove(partition);
        });
    }

    @KafkaListener(id = "audit-counter", idIsGroup = false, topics = {Topics.TRANSACTIONS, Topics.RECORDS}, batch = "true")
    void count(List<ConsumerRecord<String, byte[]>> batch) {
        var events = new ArrayList<TransactionEvent>(batch.size());
        var nextOffsets = new HashMap<TopicPartition, Long>();
        for (ConsumerRecord<String, byte[]> record : batch) {
            var partition = new TopicPartition(record.topic(), record.partition());
            Long position = positions.get(partition);
            // A batch retried after a rebalance may hold events of a partition no longer this instance's, or
            // counted since by the instance that had it meanwhile: those are not this batch's to commit.
            if (!epochs.containsKey(partition) || position != null && record.offset() < position) {
                continue;
            }
            nextOffsets.merge(partition, record.offset() + 1, Math::max);
            TransactionEvent event = read(record);
            if (event != null) {
                events.add(event);
            }
        }
        if (nextOffsets.isEmpty()) {
            return;
        }
        List<TransactionEvent> counted;
        try {
            counted = store.count(events, nextOffsets, epochs);
        } catch (CountingStore.PartitionFencedException e) {
            // another instance holds a partition of this batch: nothing was committed, and the batch is
            // retried once this consumer's group has rebalanced (a partition still its own is claimed again)
            fenced.increment();
            log.warn("{}; the batch waits for the consumer group to rebalance", e.getMessage());
            throw e;
        }
        positions.putAll(nextOffsets);
        Instant now = Instant.now();
        var byLabels = new HashMap<List<String>, Long>();
        for (TransactionEvent event : counted) {
            byLabels.merge(List.of(event.kind().name(), event.outcome().name(), providerLabel(event.providerAgency())), 1L, Long::sum);
            Duration eventLag = Duration.between(event.startedAt(), now);
            if (!eventLag.isNegative()) { // a clock ahead of ours: no lag worth recording
                lag.record(eventLag);
            }
        }
        // one look-up per label set and batch, not per event: counting replays millions of events
        byLabels.forEach((labels, total) -> meters.counter("ndx.audit.transactions", "kind", labels.get(0),
                "outcome", labels.get(1), "provider_agency", labels.get(2)).increment(total));
    }

    /**
     * A refused call may name any agency code it likes: after {@link #MAX_PROVIDER_LABELS} distinct codes the
     * rest share one label, so a caller cannot grow the metrics without bound. The statistics stay exact.
     */
    private String providerLabel(@Nullable String agency) {
        if (agency == null) {
            return "none";
        }
        if (providerLabels.contains(agency)) {
            return agency;
        }
        if (providerLabels.size() < MAX_PROVIDER_LABELS) {
            providerLabels.add(agency);
            return agency;
        }
        return "other";
    }

    private @Nullable TransactionEvent read(ConsumerRecord<String, byte[]> record) {
        byte @Nullable [] value;
        if (Topics.RECORDS.equals(record.topic())) {
            Header header = record.headers().lastHeader(Headers.TRANSACTION_EVENT);
            value = header == null ? null : header.value();
        } else {
            value = record.value();
        }
        try {
            if (value == null) {
                throw new IllegalArgumentException("no event");
            }
            return json.readValue(value, TransactionEvent.class);
        } catch (RuntimeException e) {
            malformed.increment();
            log.warn("Skipping an unreadable event at {}-{}@{}", record.topic(), record.partition(), record.offset());
            return null;
        }
    }
}
