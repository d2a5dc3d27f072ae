package vn.ndx.contract;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Metadata of one transaction, emitted exactly once per transaction and counted by audit. Never carries a
 * payload. Parties are null when the platform refused the call before it knew them (for example no token).
 *
 * @param service        the query service code, or the channel code for records
 * @param startedAt      when the gateway received the call; decides the (Asia/Ho_Chi_Minh) day it counts on
 * @param durationMicros from receipt to the last byte of the answer, as seen by the emitter
 * @param problemCode    the {@link ProblemCode#code()} when the platform answered with a problem
 * @param emitter        the service that emitted the event (gateway or exchange)
 * @param requestDigest  SHA-256 of the request body as the platform received it, hex; null when there was none
 * @param responseDigest SHA-256 of the response body as the platform sent it, hex; null when there was none
 * @param purpose        the purpose of use the call named (calls to personal-data services); null otherwise
 * @param subjectDigest  the gateway's keyed digest (HMAC-SHA256, hex) of the data subject the call named;
 *                       never the identity number itself; null when none was named
 */
public record TransactionEvent(
        String transactionId,
        TransactionKind kind,
        Instant startedAt,
        long durationMicros,
        @Nullable String consumerAgency,
        @Nullable String consumerSystem,
        @Nullable String clientId,
        @Nullable String providerAgency,
        @Nullable String providerSystem,
        @Nullable String service,
        String method,
        int status,
        Outcome outcome,
        @Nullable String problemCode,
        long requestBytes,
        long responseBytes,
        String emitter,
        @Nullable String requestDigest,
        @Nullable String responseDigest,
        @Nullable String purpose,
        @Nullable String subjectDigest) {

    /** The event of a call that named no purpose and no data subject. */
    public TransactionEvent(String transactionId, TransactionKind kind, Instant startedAt, long durationMicros,
                            @Nullable String consumerAgency, @Nullable String consumerSystem, @Nullable String clientId,
                            @Nullable String providerAgency, @Nullable String providerSystem, @Nullable String service,
                            String method, int status, Outcome outcome, @Nullable String problemCode, long requestBytes,
                            long responseBytes, String emitter, @Nullable String requestDigest, @Nullable String responseDigest) {
        this(transactionId, kind, startedAt, durationMicros, consumerAgency, consumerSystem, clientId, providerAgency,
                providerSystem, service, method, status, outcome, problemCode, requestBytes, responseBytes, emitter,
                requestDigest, responseDigest, null, null);
    }
}
