package vn.ndx.exchange;

import java.time.Duration;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings of the exchange, checked at start. */
@ConfigurationProperties(ExchangeProperties.PREFIX)
public record ExchangeProperties(Inbox inbox) {

    public static final String PREFIX = "ndx.exchange";

    public ExchangeProperties {
        Objects.requireNonNull(inbox, PREFIX + ".inbox must be set");
    }

    /**
     * @param visibilityTimeout how long a pulled record stays invisible to further pulls before it is delivered again
     * @param maxBatch          the most records one pull may ask for
     */
    public record Inbox(Duration visibilityTimeout, int maxBatch) {
        public Inbox {
            if (visibilityTimeout == null || visibilityTimeout.isNegative() || visibilityTimeout.isZero()) {
                throw new IllegalArgumentException(PREFIX + ".inbox.visibility-timeout must be positive");
            }
            if (maxBatch < 1) {
                throw new IllegalArgumentException(PREFIX + ".inbox.max-batch must be positive");
            }
        }
    }
}
