package vn.ndx.gateway.problem;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import vn.ndx.contract.ProblemCode;

/**
 * Answers every error that no route filter handled (no route, wrong method, a bug) with problem+json,
 * never with Boot's default error page, a stack trace or an internal name. Runs before Boot's handler.
 */
@Component
@Order(-2)
class ProblemErrorHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorHandler.class);

    private final ProblemResponses problems;

    ProblemErrorHandler(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        Refusal refusal = problems.fromStatusOrInternal(error);
        if (refusal.code() == ProblemCode.INTERNAL_ERROR) {
            log.error("Unhandled error on {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), error);
        } else if (refusal.code() == ProblemCode.SERVICE_UNAVAILABLE) {
            log.warn("{} {}: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), error.toString());
        }
        return problems.write(exchange, refusal);
    }
}
