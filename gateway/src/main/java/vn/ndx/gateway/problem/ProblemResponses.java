package vn.ndx.gateway.problem;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import io.netty.channel.ConnectTimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;
import vn.ndx.contract.TransactionKind;
import vn.ndx.gateway.call.Transaction;
import vn.ndx.web.reactive.ProblemWriter;

/**
 * The one place the gateway writes problem+json. Filters that refuse call {@link #write}; they complete
 * the response instead of throwing, as Spring Cloud Gateway's own filters do.
 */
@Component
public class ProblemResponses {

    private final ProblemWriter writer;

    ProblemResponses(ProblemWriter writer) {
        this.writer = writer;
    }

    public Mono<Void> write(ServerWebExchange exchange, Refusal refusal) {
        return write(exchange, refusal, HttpHeaders.EMPTY);
    }

    /** Answers with the refusal, counted as the problem of the call's transaction. */
    public Mono<Void> write(ServerWebExchange exchange, Refusal refusal, HttpHeaders extraHeaders) {
        if (exchange.getResponse().isCommitted()) {
            // the answer is already on its way (a provider failing mid-body): all we can do is cut it
            return Mono.error(new IllegalStateException("response already committed"));
        }
        Transaction.of(exchange).problem(refusal.code().code());
        return writer.write(exchange, new ProblemException(refusal.code(), refusal.detail()), Transaction.idOf(exchange), extraHeaders);
    }

    /** What a failure on the way to a provider or platform service means to the client. */
    public Refusal classify(Throwable error, TransactionKind kind) {
        boolean query = kind == TransactionKind.QUERY;
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof BodyTooLarge) {
                return new Refusal(ProblemCode.PAYLOAD_TOO_LARGE, "The body is larger than this service takes");
            }
        }
        if (error instanceof TimeoutException || isStatus(error, HttpStatus.GATEWAY_TIMEOUT)) {
            return query ? new Refusal(ProblemCode.PROVIDER_TIMEOUT, "The provider did not answer in time")
                    : new Refusal(ProblemCode.SERVICE_UNAVAILABLE, "The exchange did not answer in time");
        }
        if (isConnectFailure(error)) {
            return query ? new Refusal(ProblemCode.PROVIDER_UNAVAILABLE, "The provider cannot be reached")
                    : new Refusal(ProblemCode.SERVICE_UNAVAILABLE, "The exchange cannot be reached; retry later");
        }
        // reached, then lost (reset by a provider going down mid-call): the provider's failure, not ours
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.io.IOException) {
                return query ? new Refusal(ProblemCode.PROVIDER_UNAVAILABLE, "The provider's connection failed during the call")
                        : new Refusal(ProblemCode.SERVICE_UNAVAILABLE, "The exchange's connection failed during the call; "
                        + "the record may have been stored: retry with the same Idempotency-Key");
            }
        }
        return fromStatusOrInternal(error);
    }

    /** For errors outside a transaction's route: no route matched, wrong method, the registry down for a token. */
    Refusal fromStatusOrInternal(Throwable error) {
        if (isConnectFailure(error)) {
            return new Refusal(ProblemCode.SERVICE_UNAVAILABLE, "A platform service cannot be reached; retry later");
        }
        if (error instanceof ResponseStatusException statusError) {
            ProblemCode code = ProblemCode.fromStatus(statusError.getStatusCode().value());
            if (code != ProblemCode.INTERNAL_ERROR) {
                return new Refusal(code, detailOf(code));
            }
        }
        return new Refusal(ProblemCode.INTERNAL_ERROR, "The platform failed to handle the call");
    }

    private static String detailOf(ProblemCode code) {
        return switch (code) {
            case NOT_FOUND -> "No such resource on this platform";
            case METHOD_NOT_ALLOWED -> "Method not allowed here";
            case PAYLOAD_TOO_LARGE -> "The request body is too large";
            case UNSUPPORTED_MEDIA_TYPE -> "Unsupported content type";
            case SERVICE_UNAVAILABLE -> "Temporarily unavailable; retry later";
            case BAD_REQUEST -> "The request cannot be read";
            default -> code.title();
        };
    }

    private static boolean isStatus(Throwable error, HttpStatus status) {
        return error instanceof ResponseStatusException statusError && statusError.getStatusCode().value() == status.value();
    }

    /** The provider or service was never reached, or closed a pooled connection before any answer. */
    public static boolean isConnectFailure(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof ConnectTimeoutException
                    || cause instanceof reactor.netty.http.client.PrematureCloseException) {
                return true;
            }
        }
        return false;
    }
}
