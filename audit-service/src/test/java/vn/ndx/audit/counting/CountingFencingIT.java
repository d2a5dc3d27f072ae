package vn.ndx.audit.counting;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.ndx.audit.AuditTest;
import vn.ndx.contract.TransactionEvent;
import vn.ndx.contract.TransactionKind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An instance that lost a partition to another, and has not noticed yet, commits nothing for it: neither
 * counts nor an offset. The store is driven directly, as two instances' consumers would drive it, on a
 * partition of a topic nobody produces to.
 */
class CountingFencingIT extends AuditTest {

    @Autowired
    CountingStore store;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void a_commit_under_an_epoch_taken_over_by_another_instance_is_refused_whole() {
        var partition = new TopicPartition("fencing-" + UUID.randomUUID(), 0);
        LocalDate day = LocalDate.of(2036, 3, 3);

        CountingStore.Claim first = store.claim(List.of(partition), "instance-a").get(partition);
        assertThat(first.nextOffset()).as("never counted").isNull();
        TransactionEvent counted = event(UUID.randomUUID().toString(), noonOf(day), TransactionKind.QUERY);
        assertThat(store.count(List.of(counted), Map.of(partition, 5L), Map.of(partition, first.epoch()))).containsExactly(counted);

        CountingStore.Claim second = store.claim(List.of(partition), "instance-b").get(partition);
        assertThat(second.nextOffset()).isEqualTo(5L);
        assertThat(second.epoch()).isGreaterThan(first.epoch());

        // instance a, a rebalance late, counts on under the epoch it had
        TransactionEvent late = event(UUID.randomUUID().toString(), noonOf(day), TransactionKind.QUERY);
        assertThatThrownBy(() -> store.count(List.of(late), Map.of(partition, 9L), Map.of(partition, first.epoch())))
                .isInstanceOf(CountingStore.PartitionFencedException.class);
        assertThat(countedIds(late)).as("the fenced batch's transaction").isZero();
        assertThat(offset(partition)).isEqualTo(5L);
        assertThat(owner(partition)).isEqualTo("instance-b");

        // instance b counts the same events under its own epoch
        assertThat(store.count(List.of(late), Map.of(partition, 9L), Map.of(partition, second.epoch()))).containsExactly(late);
        assertThat(countedIds(late)).isEqualTo(1);
        assertThat(offset(partition)).isEqualTo(9L);
    }

    @Test
    void a_partition_not_claimed_at_all_cannot_be_committed() {
        var partition = new TopicPartition("fencing-" + UUID.randomUUID(), 0);
        TransactionEvent event = event(UUID.randomUUID().toString(), noonOf(LocalDate.of(2036, 3, 4)), TransactionKind.QUERY);
        assertThatThrownBy(() -> store.count(List.of(event), Map.of(partition, 1L), Map.of(partition, 1L)))
                .isInstanceOf(CountingStore.PartitionFencedException.class);
        assertThat(countedIds(event)).isZero();
    }

    private int countedIds(TransactionEvent event) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM transaction_log WHERE transaction_id = ?", Integer.class, event.transactionId());
    }

    private long offset(TopicPartition partition) {
        return jdbc.queryForObject("SELECT next_offset FROM consumer_offsets WHERE topic = ? AND partition_id = ?", Long.class,
                partition.topic(), partition.partition());
    }

    private String owner(TopicPartition partition) {
        return jdbc.queryForObject("SELECT owner FROM consumer_offsets WHERE topic = ? AND partition_id = ?", String.class,
                partition.topic(), partition.partition());
    }
}
