package vn.ndx.exchange;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import vn.ndx.contract.Headers;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;

/**
 * The system calling, as the gateway established it from a verified token, with the call's transaction.
 * The exchange is reachable from the gateway only; a call without these headers did not come through it.
 *
 * @param purpose       the purpose of use a record to a personal-data channel named, as the gateway checked it
 * @param subjectDigest the gateway's keyed digest of the citizen it named; the exchange never sees the number
 */
public record Caller(String agency, String system, String clientId, @Nullable String transactionId, Instant startedAt,
                     @Nullable String purpose, @Nullable String subjectDigest) {

    public static Caller from(HttpHeaders headers) {
        String agency = headers.getFirst(Headers.CALLER_AGENCY);
        String system = headers.getFirst(Headers.CALLER_SYSTEM);
        String client = headers.getFirst(Headers.CALLER_CLIENT);
        if (agency == null || system == null || client == null) {
            throw new ProblemException(ProblemCode.TOKEN_MISSING, "Call the platform through its gateway with an access token");
        }
        return new Caller(agency, system, client, headers.getFirst(Headers.TRANSACTION_ID),
                startedAt(headers.getFirst(Headers.TRANSACTION_STARTED_AT)), headers.getFirst(Headers.PURPOSE),
                headers.getFirst(Headers.DATA_SUBJECT_DIGEST));
    }

    private static Instant startedAt(@Nullable String value) {
        if (value != null) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                // fall through: the exchange's own clock is the next best witness
            }
        }
        return Instant.now();
    }
}
