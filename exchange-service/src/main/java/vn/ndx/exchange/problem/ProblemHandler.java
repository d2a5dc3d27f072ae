package vn.ndx.exchange.problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.Headers;
import vn.ndx.contract.Problem;
import vn.ndx.contract.ProblemCode;

/**
 * The one place the exchange writes problem+json: refusals from the handlers, and the framework's own
 * errors (no such path, wrong method, unreadable body). Runs before Boot's default error handler.
 */
@Component
@Order(-2)
class ProblemHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);
    private static final MediaType PROBLEM_JSON = MediaType.parseMediaType(Problem.MEDIA_TYPE);

    private final JsonMapper json;

    ProblemHandler(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        var response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(error);
        }
        ProblemCode code;
        String detail;
        List<?> errors = List.of();
        if (error instanceof ExchangeException refusal) {
            code = refusal.code();
            detail = refusal.getMessage();
            errors = refusal.errors();
        } else if (error instanceof ResponseStatusException statusError) {
            code = fromStatus(statusError.getStatusCode().value());
            detail = code.title();
        } else {
            log.error("Unhandled error on {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), error);
            code = ProblemCode.INTERNAL_ERROR;
            detail = "The exchange failed to handle the call";
        }
        String transactionId = exchange.getRequest().getHeaders().getFirst(Headers.TRANSACTION_ID);
        Problem problem = Problem.of(code, detail, transactionId);
        byte[] body = json.writeValueAsBytes(errors.isEmpty() ? problem : withErrors(problem, errors));
        response.setStatusCode(HttpStatusCode.valueOf(code.status()));
        response.getHeaders().setContentType(PROBLEM_JSON);
        response.getHeaders().setContentLength(body.length);
        if (transactionId != null) {
            response.getHeaders().set(Headers.TRANSACTION_ID, transactionId);
        }
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    /** The problem's members in their usual order, then {@code errors}: RFC 9457 extension members. */
    private Map<String, Object> withErrors(Problem problem, List<?> errors) {
        Map<String, Object> body = json.convertValue(problem, new TypeReference<LinkedHashMap<String, Object>>() { });
        body.put("errors", errors);
        return body;
    }

    private static ProblemCode fromStatus(int status) {
        return switch (status) {
            case 404 -> ProblemCode.NOT_FOUND;
            case 405 -> ProblemCode.METHOD_NOT_ALLOWED;
            case 413 -> ProblemCode.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemCode.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ProblemCode.SERVICE_UNAVAILABLE;
            default -> status >= 400 && status < 500 ? ProblemCode.BAD_REQUEST : ProblemCode.INTERNAL_ERROR;
        };
    }
}
