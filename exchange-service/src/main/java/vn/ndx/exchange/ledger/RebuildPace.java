package vn.ndx.exchange.ledger;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import vn.ndx.contract.Topics;

/**
 * Which partitions a rebuild pauses so that it reads the two topics in step by time, as the live exchange
 * read them. A record stays in the index from when it is read until its acknowledgement (or expiry) is
 * read, so every record read ahead of the statuses costs heap until they catch up.
 *
 * <p>Statuses read no further than the records: a status is written after its record, so one read first
 * would have to be remembered until its record came. Records partitions keep in step with each other too:
 * they are not filled evenly (one holding a busy inbox may have ten times the records of another), a
 * fetch brings about the same bytes from each, and so the thin ones raced hours ahead in time while the
 * statuses waited for the thickest. The index then held millions of records long since acknowledged. A
 * records partition now pauses once it is {@link #STEP} ahead of the slowest one still behind, and a
 * status partition once it reaches the slowest.
 */
final class RebuildPace {

    /** How far in time a records partition may read ahead of the slowest. */
    static final Duration STEP = Duration.ofSeconds(1);

    private RebuildPace() {
    }

    /**
     * @param partitions every partition read
     * @param behind     those not yet read up to where they ended at start (or, for statuses, up to now)
     * @param lastRead   the timestamp of the last message read from each partition, absent before the first
     */
    static Set<TopicPartition> paused(Collection<TopicPartition> partitions, Set<TopicPartition> behind,
                                      Map<TopicPartition, Long> lastRead) {
        long slowest = behind.stream().filter(RebuildPace::isRecords)
                .mapToLong(p -> lastRead.getOrDefault(p, Long.MIN_VALUE)).min().orElse(Long.MAX_VALUE);
        var paused = new HashSet<TopicPartition>();
        if (slowest == Long.MAX_VALUE) {
            return paused; // every records partition has caught up: nothing left to keep in step with
        }
        for (TopicPartition partition : partitions) {
            long read = lastRead.getOrDefault(partition, Long.MIN_VALUE);
            boolean ahead = isRecords(partition)
                    ? behind.contains(partition) && read > slowest + STEP.toMillis()
                    : read >= slowest;
            if (ahead) {
                paused.add(partition);
            }
        }
        return paused;
    }

    private static boolean isRecords(TopicPartition partition) {
        return Topics.RECORDS.equals(partition.topic());
    }
}
