package vn.ndx.exchange.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import vn.ndx.contract.Topics;

/** When a status read before its record may be forgotten: every records partition read to its end since, an hour ago at least. */
class RecordNotComingTest {

    static final TopicPartition FIRST = new TopicPartition(Topics.RECORDS, 0);
    static final TopicPartition SECOND = new TopicPartition(Topics.RECORDS, 1);
    static final long HOUR = Duration.ofHours(1).toNanos();
    static final long NOW = 5 * HOUR;

    @Test
    void nothing_while_a_partition_was_never_read_to_its_end() {
        assertThat(InboxFeeder.recordNotComing(List.of(FIRST, SECOND), Map.of(FIRST, NOW), NOW)).isEmpty();
    }

    @Test
    void statuses_read_before_the_partition_read_to_its_end_longest_ago() {
        assertThat(InboxFeeder.recordNotComing(List.of(FIRST, SECOND), Map.of(FIRST, NOW - 2 * HOUR, SECOND, NOW - 3 * HOUR), NOW))
                .hasValue(NOW - 3 * HOUR);
    }

    @Test
    void an_hour_ago_at_least_though_every_partition_was_read_to_its_end_just_now() {
        assertThat(InboxFeeder.recordNotComing(List.of(FIRST, SECOND), Map.of(FIRST, NOW, SECOND, NOW), NOW)).hasValue(NOW - HOUR);
    }

    @Test
    void the_clock_may_be_negative() {
        long now = Long.MIN_VALUE + HOUR / 2; // nanoTime has no fixed origin
        assertThat(InboxFeeder.recordNotComing(List.of(FIRST), Map.of(FIRST, now), now)).hasValue(now - HOUR);
    }
}
