package vn.ndx.audit.registry;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.RegistryChange;
import vn.ndx.contract.Topics;

/**
 * Keeps every registry change event once: the change id is the primary key, so redelivery after a
 * crash adds nothing. Changes are few (administrators' actions), so each batch is simply inserted.
 */
@Component
class RegistryChangeLog {

    private static final Logger log = LoggerFactory.getLogger(RegistryChangeLog.class);
    private static final String KEEP = """
            INSERT INTO registry_changes (change_id, changed_at, actor, action, entity, agency, version)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (change_id) DO NOTHING""";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    RegistryChangeLog(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @KafkaListener(id = "audit-registry-changes", groupId = "${ndx.audit.registry-changes-group:ndx-audit-registry-changes}", topics = Topics.REGISTRY_CHANGES, batch = "true")
    void keep(List<ConsumerRecord<String, byte[]>> batch) {
        var rows = batch.stream().map(this::read).filter(change -> change != null)
                .map(c -> new Object[] {c.changeId(), Timestamp.from(c.at()), c.actor(), c.action(), c.entity(), c.agency(), c.version()})
                .toList();
        jdbc.batchUpdate(KEEP, rows);
    }

    /** Changes in a time range, newest first, optionally of one agency. */
    List<RegistryChange> between(Instant from, Instant to, @Nullable String agency, int offset, int limit) {
        return jdbc.query("""
                        SELECT change_id, changed_at, actor, action, entity, agency, version FROM registry_changes
                        WHERE changed_at >= ? AND changed_at < ? AND (CAST(? AS VARCHAR) IS NULL OR agency = ?)
                        ORDER BY changed_at DESC, change_id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY""",
                (row, n) -> new RegistryChange(row.getString(1), row.getTimestamp(2).toInstant(), row.getString(3),
                        row.getString(4), row.getString(5), row.getString(6), row.getLong(7)),
                Timestamp.from(from), Timestamp.from(to), agency, agency, offset, limit);
    }

    private @Nullable RegistryChange read(ConsumerRecord<String, byte[]> record) {
        try {
            return json.readValue(record.value(), RegistryChange.class);
        } catch (RuntimeException e) {
            log.warn("Skipping an unreadable registry change at {}-{}@{}", record.topic(), record.partition(), record.offset());
            return null;
        }
    }
}
