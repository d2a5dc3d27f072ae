package vn.ndx.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the gateway, checked at start so a bad setting fails fast with its name.
 *
 * @param registryUrl where token requests are forwarded (the only traffic that reaches the registry)
 * @param exchangeUrl where record submissions and inbox reads are forwarded
 * @param token       how access tokens are checked
 * @param events      how transaction events leave the request path
 */
@ConfigurationProperties(GatewayProperties.PREFIX)
public record GatewayProperties(URI registryUrl, URI exchangeUrl, Token token, Events events) {

    public static final String PREFIX = "ndx.gateway";

    public GatewayProperties {
        Objects.requireNonNull(registryUrl, PREFIX + ".registry-url must be set");
        Objects.requireNonNull(exchangeUrl, PREFIX + ".exchange-url must be set");
        Objects.requireNonNull(token, PREFIX + ".token must be set");
        Objects.requireNonNull(events, PREFIX + ".events must be set");
    }

    /**
     * @param issuer    the {@code iss} the registry signs tokens with
     * @param clockSkew tolerance for the {@code exp} check, for clocks that drift between hosts
     */
    public record Token(String issuer, Duration clockSkew) {
    }

    /** @param queueCapacity events waiting for the Kafka producer before new ones are dropped (and counted) */
    public record Events(int queueCapacity) {
        public Events {
            if (queueCapacity < 1) {
                throw new IllegalArgumentException(PREFIX + ".events.queue-capacity must be positive");
            }
        }
    }
}
