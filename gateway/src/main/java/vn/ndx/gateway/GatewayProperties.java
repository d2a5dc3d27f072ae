package vn.ndx.gateway;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the gateway, checked at start so a bad setting fails fast with its name.
 *
 * @param registryUrl where token requests are forwarded (the only traffic that reaches the registry)
 * @param exchangeUrl where record submissions and inbox reads are forwarded
 * @param auditUrl    where operators' questions (statistics, transaction log, chain checks) are forwarded
 * @param token       how access tokens are checked
 * @param events      how transaction events leave the request path
 * @param providers   how each provider service is protected from floods and the platform from failing providers
 * @param clientLimits the limits of a client the registry gives none
 * @param assertion   how the gateway vouches to a provider for the consumer it forwards
 * @param dataSubject how the gateway keeps the citizens a call names: as keyed digests
 */
@ConfigurationProperties(GatewayProperties.PREFIX)
public record GatewayProperties(URI registryUrl, URI exchangeUrl, URI auditUrl, Token token, Events events, Providers providers,
                                Limits clientLimits, Assertion assertion, InternalProof internalProof,
                                DataSubject dataSubject) {

    public static final String PREFIX = "ndx.gateway";

    public GatewayProperties {
        Objects.requireNonNull(registryUrl, PREFIX + ".registry-url must be set");
        Objects.requireNonNull(exchangeUrl, PREFIX + ".exchange-url must be set");
        Objects.requireNonNull(auditUrl, PREFIX + ".audit-url must be set");
        Objects.requireNonNull(token, PREFIX + ".token must be set");
        Objects.requireNonNull(events, PREFIX + ".events must be set");
        Objects.requireNonNull(providers, PREFIX + ".providers must be set");
        Objects.requireNonNull(clientLimits, PREFIX + ".client-limits must be set");
        Objects.requireNonNull(assertion, PREFIX + ".assertion must be set");
        Objects.requireNonNull(internalProof, PREFIX + ".internal-proof must be set");
        Objects.requireNonNull(dataSubject, PREFIX + ".data-subject.key-file must be set (deploy/run creates the key)");
    }

    /**
     * @param keyFile owner-only file holding the base64 key (32 bytes or more) that citizens' identity numbers
     *                are digested under; every gateway instance holds the same one, no other service any
     */
    public record DataSubject(Path keyFile) {
        public DataSubject {
            Objects.requireNonNull(keyFile, PREFIX + ".data-subject.key-file must be set (deploy/run creates the key)");
        }
    }

    /**
     * How the gateway proves to registry, exchange and audit that a call comes from it (docs/security.md).
     *
     * @param keysDir  holds {@code registry.key}, {@code exchange.key} and {@code audit.key}, owner-only; each
     *                 service holds its own key only
     * @param lifetime how long a proof is valid: seconds, enough for a call to arrive
     */
    public record InternalProof(Path keysDir, Duration lifetime) {
        public InternalProof {
            Objects.requireNonNull(keysDir, PREFIX + ".internal-proof.keys-dir must be set (deploy/run creates its keys)");
            if (lifetime == null || lifetime.isNegative() || lifetime.isZero()
                    || lifetime.compareTo(vn.ndx.contract.GatewayProof.MAX_LIFETIME) > 0) {
                throw new IllegalArgumentException(PREFIX + ".internal-proof.lifetime must be between 1s and "
                        + vn.ndx.contract.GatewayProof.MAX_LIFETIME.toSeconds() + "s");
            }
        }
    }

    /**
     * @param keyFile  JWK set whose first (private) key signs assertions; made on first start when missing,
     *                 and shared by all replicas
     * @param issuer   the {@code iss} of assertions
     * @param lifetime how long one assertion is valid; a new one is signed after four fifths of it
     */
    public record Assertion(Path keyFile, String issuer, Duration lifetime) {
        public Assertion {
            Objects.requireNonNull(keyFile, PREFIX + ".assertion.key-file must be set");
            if (lifetime == null || lifetime.toSeconds() < 30) {
                throw new IllegalArgumentException(PREFIX + ".assertion.lifetime must be at least 30s");
            }
        }
    }

    /**
     * @param issuer              the {@code iss} the registry signs tokens with
     * @param clockSkew           tolerance for the {@code exp} check, for clocks that drift between hosts
     * @param invalidPerSource    refused tokens in a row one source address may present before the next
     *                            unknown token from it waits (1 s, then twice as long each time)
     * @param longestInvalidWait  the longest such a source waits
     */
    public record Token(String issuer, Duration clockSkew, int invalidPerSource, Duration longestInvalidWait) {
        public Token {
            if (invalidPerSource < 1) {
                throw new IllegalArgumentException(PREFIX + ".token.invalid-per-source must be at least 1");
            }
            Objects.requireNonNull(longestInvalidWait, PREFIX + ".token.longest-invalid-wait must be set");
        }
    }

    /**
     * Per provider service: a circuit breaker that opens when at least {@code failureRatePercent} of the last
     * {@code slidingWindowCalls} calls failed (5xx, timeout, unreachable; from {@code minimumCalls} calls on)
     * and lets a few calls probe after {@code openFor}; and a bulkhead of {@code maxConcurrentCalls}.
     */
    public record Providers(int failureRatePercent, int slidingWindowCalls, int minimumCalls, Duration openFor,
                            int halfOpenCalls, int maxConcurrentCalls) {
    }

    /** A client's default limits: sustained requests per second, burst above it, calls in flight. */
    public record Limits(int requestsPerSecond, int burst, int concurrentCalls) {
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
