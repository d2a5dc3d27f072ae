package vn.ndx.contract;

/** How a transaction ended, as counted in the statistics. Bounded on purpose: it labels metrics. */
public enum Outcome {
    /** The provider answered 2xx/3xx, or the record was accepted durably. */
    OK,
    /** The provider answered 4xx, or the platform rejected the input (malformed, too large). */
    CLIENT_ERROR,
    /** The provider answered 5xx or could not be reached. */
    PROVIDER_ERROR,
    /** The provider did not answer in time. */
    TIMEOUT,
    /** The provider's circuit breaker was open. */
    CIRCUIT_OPEN,
    /** The platform refused the call: unauthenticated, no grant, unknown target, limits. */
    REFUSED,
    /** The platform itself failed (for example the broker was unreachable). */
    PLATFORM_ERROR,
    /** A record's retention passed before its recipient acknowledged it (kind EXPIRY). */
    EXPIRED
}
