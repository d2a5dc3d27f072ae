package vn.ndx.exchange.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import vn.ndx.contract.Topics;

class RebuildPaceTest {

    private static final TopicPartition THICK = new TopicPartition(Topics.RECORDS, 0);
    private static final TopicPartition THIN = new TopicPartition(Topics.RECORDS, 1);
    private static final TopicPartition STATUS = new TopicPartition(Topics.RECORD_STATUS, 0);
    private static final List<TopicPartition> ALL = List.of(THICK, THIN, STATUS);
    private static final long STEP = RebuildPace.STEP.toMillis();

    @Test
    void aRecordsPartitionAheadOfTheSlowestWaitsForIt() {
        var paused = RebuildPace.paused(ALL, Set.of(THICK, THIN, STATUS),
                Map.of(THICK, 10_000L, THIN, 10_000L + STEP + 1, STATUS, 9_000L));

        assertThat(paused).containsExactly(THIN);
    }

    @Test
    void recordsPartitionsWithinAStepReadOnAndStatusesStopAtTheSlowest() {
        var paused = RebuildPace.paused(ALL, Set.of(THICK, THIN, STATUS),
                Map.of(THICK, 10_000L, THIN, 10_000L + STEP, STATUS, 10_000L));

        assertThat(paused).containsExactly(STATUS);
    }

    @Test
    void nothingIsReadAheadOfARecordsPartitionNotYetRead() {
        var paused = RebuildPace.paused(ALL, Set.of(THICK, THIN, STATUS), Map.of(THICK, 10_000L, STATUS, 1L));

        assertThat(paused).containsExactlyInAnyOrder(THICK, STATUS);
    }

    @Test
    void aRecordsPartitionReadToItsEndHoldsNothingBack() {
        var paused = RebuildPace.paused(ALL, Set.of(THICK, STATUS),
                Map.of(THICK, 10_000L, THIN, 50_000L, STATUS, 9_000L));

        assertThat(paused).isEmpty();
    }

    @Test
    void onceTheRecordsCaughtUpEverythingReadsOn() {
        var paused = RebuildPace.paused(ALL, Set.of(STATUS), Map.of(THICK, 10_000L, THIN, 50_000L, STATUS, 90_000L));

        assertThat(paused).isEmpty();
    }
}
