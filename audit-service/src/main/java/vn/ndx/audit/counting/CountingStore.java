package vn.ndx.audit.counting;

import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import vn.ndx.audit.CalendarDays;
import vn.ndx.audit.chain.HashChain;
import vn.ndx.contract.TransactionEvent;

/**
 * Counts a batch of events and records how far counting got, in one database transaction: either the
 * new transactions, their links in the hash chain, their totals and the offsets all commit, or none does.
 * A transaction id already in the log is not counted again, whoever emitted it and however often Kafka
 * delivered it.
 *
 * <p>Several instances count side by side, each the partitions Kafka gave it. Each commit is fenced by the
 * epoch its instance claimed the partition with ({@link #claim}), so an instance that lost a partition in a
 * rebalance and has not noticed yet cannot commit for it: its offsets would undo the new owner's, and the
 * transaction id alone would be left to keep the counts exact. Every counting transaction locks the chain's
 * head first, which orders the chain and the dedup look-up across instances.
 *
 * <p>A batch costs a fixed number of statements whatever its size (lock, one lookup of the ids, then
 * batched inserts and updates): counting keeps up with replays of millions of events.
 */
@Component
class CountingStore {

    private static final String ALREADY_COUNTED = "SELECT transaction_id FROM transaction_log WHERE transaction_id = ANY(?)";
    private static final String INSERT = """
            INSERT INTO transaction_log (transaction_id, calendar_day, started_at, kind, outcome, status, consumer_agency,
                consumer_system, client_id, provider_agency, provider_system, service, method, problem_code,
                request_bytes, response_bytes, duration_micros, emitter, request_digest, response_digest,
                seq, counted_at, prev_hash, entry_hash, purpose, subject_digest)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String ADD_TO_TOTAL = """
            UPDATE daily_counts SET total = total + ? WHERE calendar_day = ? AND kind = ? AND outcome = ?
                AND consumer_agency = ? AND provider_agency = ? AND service = ?""";
    private static final String NEW_TOTAL = """
            INSERT INTO daily_counts (calendar_day, kind, outcome, consumer_agency, provider_agency, service, total)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";
    private static final String SAVE_OFFSET = "UPDATE consumer_offsets SET next_offset = ? WHERE topic = ? AND partition_id = ? AND epoch = ?";
    private static final String CLAIM = """
            INSERT INTO consumer_offsets (topic, partition_id, next_offset, epoch, owner) VALUES (?, ?, NULL, 1, ?)
            ON CONFLICT (topic, partition_id) DO UPDATE SET epoch = consumer_offsets.epoch + 1, owner = EXCLUDED.owner
            RETURNING next_offset, epoch""";

    private final JdbcTemplate jdbc;
    private final HashChain chain;

    CountingStore(JdbcTemplate jdbc, HashChain chain) {
        this.jdbc = jdbc;
        this.chain = chain;
    }

    /** Key of a daily total. Null parties become '' so the key can be a primary key. */
    private record TotalKey(LocalDate day, String kind, String outcome, String consumerAgency, String providerAgency,
                            String service) {
        static TotalKey of(TransactionEvent event) {
            return new TotalKey(CalendarDays.dayOf(event.startedAt()), event.kind().name(), event.outcome().name(),
                    orEmpty(event.consumerAgency()), orEmpty(event.providerAgency()), orEmpty(event.service()));
        }
    }

    /**
     * Where counting resumes in a partition this instance was just given, and the epoch it counts it under.
     *
     * @param nextOffset the first offset not yet counted, or null when the partition was never counted
     */
    record Claim(@Nullable Long nextOffset, long epoch) {
    }

    /** An instance's commit for a partition that another instance has claimed since. */
    static final class PartitionFencedException extends RuntimeException {
        PartitionFencedException(TopicPartition partition) {
            super("Partition " + partition + " was claimed by another instance: its counts are not committed here");
        }
    }

    /**
     * Takes {@code partitions} for {@code owner}: raises each one's epoch, so that an instance that counted it
     * before can commit nothing more for it, and returns where counting resumes. The rows are locked in one
     * order, so two instances claiming at once cannot deadlock.
     */
    @Transactional
    public Map<TopicPartition, Claim> claim(Collection<TopicPartition> partitions, String owner) {
        var claims = new HashMap<TopicPartition, Claim>();
        partitions.stream().sorted(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition))
                .forEach(partition -> claims.put(partition, jdbc.queryForObject(CLAIM,
                        (row, n) -> new Claim(row.getObject(1, Long.class), row.getLong(2)),
                        partition.topic(), partition.partition(), owner)));
        return claims;
    }

    /**
     * Counts what is new among {@code events} and moves each partition to its next offset, under the epoch
     * this instance claimed it with; returns the events counted now (not before). Nothing is committed when
     * any partition was claimed by another instance since.
     *
     * @throws PartitionFencedException when a partition of the batch is no longer this instance's
     */
    @Transactional
    public List<TransactionEvent> count(List<TransactionEvent> events, Map<TopicPartition, Long> nextOffsets,
                                        Map<TopicPartition, Long> epochs) {
        // the chain's head first, as every counting transaction does: one lock order, no deadlock
        HashChain.Head head = chain.lockHead();
        // one round trip for every partition of the batch, not one each: this is the consumer's hot path
        var partitions = new ArrayList<>(nextOffsets.keySet());
        var rows = new ArrayList<Object[]>(partitions.size());
        for (TopicPartition partition : partitions) {
            Long epoch = epochs.get(partition);
            if (epoch == null) {
                throw new PartitionFencedException(partition);
            }
            rows.add(new Object[] {nextOffsets.get(partition), partition.topic(), partition.partition(), epoch});
        }
        int[] saved = jdbc.batchUpdate(SAVE_OFFSET, rows);
        for (int i = 0; i < saved.length; i++) {
            if (saved[i] == 0) {
                throw new PartitionFencedException(partitions.get(i));
            }
        }
        List<TransactionEvent> fresh = notYetCounted(events);
        List<HashChain.Link> links = chain.link(head, fresh, Instant.now());
        jdbc.batchUpdate(INSERT, links.stream().map(CountingStore::logRow).toList());
        chain.advance(links);
        addToTotals(fresh);
        return fresh;
    }

    /** The events whose id is neither earlier in the batch nor in the log, in batch order. */
    private List<TransactionEvent> notYetCounted(List<TransactionEvent> events) {
        var unique = new ArrayList<TransactionEvent>(events.size());
        var ids = new HashSet<String>();
        for (TransactionEvent event : events) {
            if (ids.add(event.transactionId())) {
                unique.add(event);
            }
        }
        if (unique.isEmpty()) {
            return unique;
        }
        Set<String> counted = new HashSet<>(jdbc.queryForList(ALREADY_COUNTED, String.class, (Object) ids.toArray(String[]::new)));
        if (!counted.isEmpty()) {
            unique.removeIf(event -> counted.contains(event.transactionId()));
        }
        return unique;
    }

    private void addToTotals(List<TransactionEvent> counted) {
        var totals = new HashMap<TotalKey, Long>();
        counted.forEach(event -> totals.merge(TotalKey.of(event), 1L, Long::sum));
        var keys = new ArrayList<>(totals.keySet());
        int[] updated = jdbc.batchUpdate(ADD_TO_TOTAL, keys.stream().map(key -> new Object[] {totals.get(key),
                Date.valueOf(key.day()), key.kind(), key.outcome(), key.consumerAgency(), key.providerAgency(), key.service()}).toList());
        var fresh = new ArrayList<Object[]>();
        for (int i = 0; i < updated.length; i++) {
            if (updated[i] == 0) {
                TotalKey key = keys.get(i);
                fresh.add(new Object[] {Date.valueOf(key.day()), key.kind(), key.outcome(), key.consumerAgency(),
                        key.providerAgency(), key.service(), totals.get(key)});
            }
        }
        jdbc.batchUpdate(NEW_TOTAL, fresh);
    }

    private static Object[] logRow(HashChain.Link link) {
        var e = link.entry();
        return new Object[] {e.transactionId(), Date.valueOf(CalendarDays.dayOf(e.startedAt())),
                e.startedAt().atOffset(ZoneOffset.UTC), e.kind(), e.outcome(), e.status(), e.consumerAgency(),
                e.consumerSystem(), e.clientId(), e.providerAgency(), e.providerSystem(), e.service(), e.method(),
                e.problemCode(), e.requestBytes(), e.responseBytes(), e.durationMicros(), e.emitter(), e.requestDigest(),
                e.responseDigest(), e.seq(), e.countedAt().atOffset(ZoneOffset.UTC), link.previousHash(), link.hash(), e.purpose(),
                e.subjectDigest()};
    }

    private static String orEmpty(@Nullable String value) {
        return value == null ? "" : value;
    }
}
