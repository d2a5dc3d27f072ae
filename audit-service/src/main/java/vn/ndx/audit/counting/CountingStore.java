package vn.ndx.audit.counting;

import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import vn.ndx.audit.CalendarDays;
import vn.ndx.contract.TransactionEvent;

/**
 * Counts a batch of events and records how far counting got, in one database transaction: either the
 * new transactions, their totals and the offsets all commit, or none does. A transaction id already in
 * the log is not counted again, whoever emitted it and however often Kafka delivered it.
 */
@Component
class CountingStore {

    private static final String INSERT_NEW = """
            INSERT INTO transaction_log (transaction_id, calendar_day, started_at, kind, outcome, status, consumer_agency,
                consumer_system, client_id, provider_agency, provider_system, service, method, problem_code,
                request_bytes, response_bytes, duration_micros, emitter, request_digest, response_digest)
            SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM DUAL
            WHERE NOT EXISTS (SELECT 1 FROM transaction_log WHERE transaction_id = ?)""";
    private static final String ADD_TO_TOTAL = """
            UPDATE daily_counts SET total = total + ? WHERE calendar_day = ? AND kind = ? AND outcome = ?
                AND consumer_agency = ? AND provider_agency = ? AND service = ?""";
    private static final String NEW_TOTAL = """
            INSERT INTO daily_counts (calendar_day, kind, outcome, consumer_agency, provider_agency, service, total)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";
    private static final String SAVE_OFFSET = "MERGE INTO consumer_offsets (topic, partition_id, next_offset) KEY (topic, partition_id) VALUES (?, ?, ?)";

    private final JdbcTemplate jdbc;

    CountingStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Key of a daily total. Null parties become '' so the key can be a primary key. */
    private record TotalKey(java.time.LocalDate day, String kind, String outcome, String consumerAgency,
                            String providerAgency, String service) {
        static TotalKey of(TransactionEvent event) {
            return new TotalKey(CalendarDays.dayOf(event.startedAt()), event.kind().name(), event.outcome().name(),
                    orEmpty(event.consumerAgency()), orEmpty(event.providerAgency()), orEmpty(event.service()));
        }
    }

    /** Counts what is new among {@code events}; returns the events counted now (not before). */
    @Transactional
    public List<TransactionEvent> count(List<TransactionEvent> events, Map<TopicPartition, Long> nextOffsets) {
        List<TransactionEvent> counted = insertNew(events);
        addToTotals(counted);
        jdbc.batchUpdate(SAVE_OFFSET, nextOffsets.entrySet().stream()
                .map(entry -> new Object[] {entry.getKey().topic(), entry.getKey().partition(), entry.getValue()}).toList());
        return counted;
    }

    /** Offsets at which counting resumes, per partition. */
    public Map<TopicPartition, Long> storedOffsets() {
        var offsets = new HashMap<TopicPartition, Long>();
        jdbc.query("SELECT topic, partition_id, next_offset FROM consumer_offsets", row -> {
            offsets.put(new TopicPartition(row.getString(1), row.getInt(2)), row.getLong(3));
        });
        return offsets;
    }

    private List<TransactionEvent> insertNew(List<TransactionEvent> events) {
        var unique = new ArrayList<TransactionEvent>(events.size());
        var ids = new java.util.HashSet<String>();
        for (TransactionEvent event : events) {
            if (ids.add(event.transactionId())) {
                unique.add(event);
            }
        }
        int[] inserted = jdbc.batchUpdate(INSERT_NEW, unique.stream().map(CountingStore::logRow).toList());
        var counted = new ArrayList<TransactionEvent>(unique.size());
        for (int i = 0; i < inserted.length; i++) {
            if (inserted[i] > 0) {
                counted.add(unique.get(i));
            }
        }
        return counted;
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

    private static Object[] logRow(TransactionEvent e) {
        return new Object[] {e.transactionId(), Date.valueOf(CalendarDays.dayOf(e.startedAt())),
                Timestamp.from(e.startedAt()), e.kind().name(), e.outcome().name(), e.status(), e.consumerAgency(),
                e.consumerSystem(), e.clientId(), e.providerAgency(), e.providerSystem(), e.service(), e.method(),
                e.problemCode(), e.requestBytes(), e.responseBytes(), e.durationMicros(), e.emitter(), e.requestDigest(),
                e.responseDigest(), e.transactionId()};
    }

    private static String orEmpty(@org.jspecify.annotations.Nullable String value) {
        return value == null ? "" : value;
    }
}
