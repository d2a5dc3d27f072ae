package vn.ndx.exchange;

import java.time.Duration;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the exchange, checked at start.
 *
 * @param inbox             how recipients pull
 * @param idempotencyWindow how long a sender's {@code Idempotency-Key} is remembered after its record was accepted
 * @param statusCapacity    how many records' states are kept for {@code GET /records/{id}}
 */
@ConfigurationProperties(ExchangeProperties.PREFIX)
public record ExchangeProperties(Inbox inbox, Duration idempotencyWindow, int statusCapacity) {

    public static final String PREFIX = "ndx.exchange";

    public ExchangeProperties {
        Objects.requireNonNull(inbox, PREFIX + ".inbox must be set");
        if (idempotencyWindow == null || idempotencyWindow.isNegative() || idempotencyWindow.isZero()) {
            throw new IllegalArgumentException(PREFIX + ".idempotency-window must be positive");
        }
        if (statusCapacity < 1) {
            throw new IllegalArgumentException(PREFIX + ".status-capacity must be positive");
        }
    }

    /**
     * @param visibilityTimeout how long a pulled record stays invisible to further pulls before it is delivered again
     * @param maxBatch          the most records one pull may ask for
     * @param maxWait           the longest a pull may wait for a record to arrive ({@code waitSeconds})
     */
    public record Inbox(Duration visibilityTimeout, int maxBatch, Duration maxWait) {
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
        }
    }
}
