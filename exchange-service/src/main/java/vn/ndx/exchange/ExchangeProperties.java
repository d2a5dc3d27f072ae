package vn.ndx.exchange;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the exchange, checked at start.
 *
 * @param inbox             how recipients pull
 * @param idempotencyWindow how long a sender's {@code Idempotency-Key} is remembered after its record was accepted
 * @param statusCapacity    how many records' states are kept for {@code GET /records/{id}}
 * @param push              how records of channels with an address are pushed
 * @param retention         how long records wait unacknowledged before they expire
 * @param snapshot          where and how often the exchange keeps what it rebuilt from Kafka, so that a restart
 *                          reads only what came after
 */
@ConfigurationProperties(ExchangeProperties.PREFIX)
public record ExchangeProperties(Inbox inbox, Duration idempotencyWindow, int statusCapacity, Push push, Retention retention,
                                 Snapshot snapshot) {

    public static final String PREFIX = "ndx.exchange";

    public ExchangeProperties {
        Objects.requireNonNull(inbox, PREFIX + ".inbox must be set");
        if (idempotencyWindow == null || idempotencyWindow.isNegative() || idempotencyWindow.isZero()) {
            throw new IllegalArgumentException(PREFIX + ".idempotency-window must be positive");
        }
        if (statusCapacity < 1) {
            throw new IllegalArgumentException(PREFIX + ".status-capacity must be positive");
        }
        Objects.requireNonNull(push, PREFIX + ".push must be set");
        Objects.requireNonNull(retention, PREFIX + ".retention must be set");
        Objects.requireNonNull(snapshot, PREFIX + ".snapshot must be set");
    }

    /**
     * @param directory where this instance keeps its snapshot; none, and every start reads both topics from the
     *                  beginning. One directory per instance, readable by the exchange's user only: the snapshot
     *                  holds who sent what to whom (never a payload)
     * @param every     how often a snapshot is written while records or statuses come (and at every orderly
     *                  stop): after a crash, the longest stretch a restart reads beyond it
     */
    public record Snapshot(@Nullable Path directory, Duration every) {
        public Snapshot {
            if (every == null || every.isNegative() || every.isZero()) {
                throw new IllegalArgumentException(PREFIX + ".snapshot.every must be positive");
            }
        }
    }

    /**
     * @param standard      retention of a channel that has none of its own in the registry; keep it (and every
     *                      channel's) well below the records topic's own retention, or Kafka deletes records
     *                      before they could expire
     * @param sweepInterval how often inboxes are searched for records past their retention
     */
    public record Retention(Duration standard, Duration sweepInterval) {
        public Retention {
            if (standard == null || standard.isNegative() || standard.isZero() || sweepInterval == null
                    || sweepInterval.isNegative() || sweepInterval.isZero()) {
                throw new IllegalArgumentException(PREFIX + ".retention.standard and sweep-interval must be positive");
            }
        }
    }

    /**
     * @param keyFile      the secret every channel's signing secret is derived from; made on first start,
     *                     shared by all exchange instances
     * @param maxAttempts  deliveries of one record before it becomes a dead letter
     * @param firstBackoff wait after a first failed delivery; doubled after each further one, with jitter
     * @param maxBackoff   the longest wait between two deliveries
     * @param scanInterval how often channels waiting for a retry or a new record are looked at
     */
    public record Push(Path keyFile, int maxAttempts, Duration firstBackoff, Duration maxBackoff, Duration scanInterval) {
        public Push {
            Objects.requireNonNull(keyFile, PREFIX + ".push.key-file must be set");
            if (maxAttempts < 1) {
                throw new IllegalArgumentException(PREFIX + ".push.max-attempts must be positive");
            }
            if (firstBackoff == null || maxBackoff == null || scanInterval == null || scanInterval.isZero()
                    || firstBackoff.compareTo(maxBackoff) > 0) {
                throw new IllegalArgumentException(PREFIX + ".push backoffs and scan interval must be set, first <= max");
            }
        }
    }

    /**
     * @param visibilityTimeout how long a pulled record stays invisible to further pulls before it is delivered again
     * @param maxBatch          the most records one pull may ask for
     * @param maxWait           the longest a pull may wait for a record to arrive ({@code waitSeconds})
     * @param payloadCache      how much of the newest waiting records' payloads is kept in memory; older ones
     *                          are read back from Kafka when delivered, so this and not the backlog bounds the heap
     */
    public record Inbox(Duration visibilityTimeout, int maxBatch, Duration maxWait, DataSize payloadCache) {
        public Inbox {
            if (visibilityTimeout == null || visibilityTimeout.isNegative() || visibilityTimeout.isZero()) {
                throw new IllegalArgumentException(PREFIX + ".inbox.visibility-timeout must be positive");
            }
            if (maxBatch < 1) {
                throw new IllegalArgumentException(PREFIX + ".inbox.max-batch must be positive");
            }
            if (maxWait == null || maxWait.isNegative()) {
                throw new IllegalArgumentException(PREFIX + ".inbox.max-wait must not be negative");
            }
            if (payloadCache == null || payloadCache.isNegative()) {
                throw new IllegalArgumentException(PREFIX + ".inbox.payload-cache must be set (0 reads every payload from Kafka)");
            }
        }
    }
}
