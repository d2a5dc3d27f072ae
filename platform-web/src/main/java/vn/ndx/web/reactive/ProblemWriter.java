package vn.ndx.web.reactive;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.Headers;
import vn.ndx.contract.Problem;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;

/** Writes a refusal as problem+json on a reactive exchange: the one renderer of the reactive services. */
public class ProblemWriter {

    private static final MediaType PROBLEM_JSON = MediaType.parseMediaType(Problem.MEDIA_TYPE);

    private final JsonMapper json;

    public ProblemWriter(JsonMapper json) {
        this.json = json;
    }

    /** Answers with the refusal, replacing whatever headers the response had gathered, then {@code extraHeaders}. */
    public Mono<Void> write(ServerWebExchange exchange, ProblemException refusal, @Nullable String transactionId,
                            HttpHeaders extraHeaders) {
        var response = exchange.getResponse();
        if (response.isCommitted()) {
            // the answer is already on its way (a provider failing mid-body): all that can be done is to cut it
            return Mono.error(new IllegalStateException("response already committed", refusal));
        }
        byte[] body = json.writeValueAsBytes(refusal.problem(transactionId));
        response.setStatusCode(HttpStatusCode.valueOf(refusal.code().status()));
        var headers = response.getHeaders();
        headers.clear();
        headers.addAll(extraHeaders);
        if (refusal.retryAfterSeconds() != null) {
            headers.set(HttpHeaders.RETRY_AFTER, refusal.retryAfterSeconds());
        }
        if (transactionId != null) {
            headers.set(Headers.TRANSACTION_ID, transactionId);
        }
        headers.setContentType(PROBLEM_JSON);
        headers.setContentLength(body.length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    /** The code for an error the framework raised with a status only. */
    public static ProblemException fromStatus(int status) {
        ProblemCode code = ProblemCode.fromStatus(status);
        return new ProblemException(code, code.title());
    }
}
