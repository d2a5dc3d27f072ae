package vn.ndx.web.reactive;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import vn.ndx.contract.Headers;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;

/**
 * Every error of a reactive service as problem+json: its refusals ({@link ProblemException}), the
 * framework's own (no such path, wrong method, unreadable body), and anything unexpected (logged, never
 * described to the caller), with the transaction id the gateway gave the call.
 */
public class ProblemErrorHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorHandler.class);

    private final ProblemWriter writer;

    public ProblemErrorHandler(ProblemWriter writer) {
        this.writer = writer;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        ProblemException refusal;
        if (error instanceof ProblemException problem) {
            refusal = problem;
        } else if (error instanceof ResponseStatusException statusError) {
            refusal = ProblemWriter.fromStatus(statusError.getStatusCode().value());
        } else {
            log.error("Unhandled error on {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), error);
            refusal = new ProblemException(ProblemCode.INTERNAL_ERROR, "The service failed to handle the call");
        }
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        return writer.write(exchange, refusal, exchange.getRequest().getHeaders().getFirst(Headers.TRANSACTION_ID), HttpHeaders.EMPTY);
    }
}
