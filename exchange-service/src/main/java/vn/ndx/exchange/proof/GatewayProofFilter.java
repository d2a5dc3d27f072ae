package vn.ndx.exchange.proof;

import java.time.Instant;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import vn.ndx.contract.GatewayProof;
import vn.ndx.contract.Headers;
import vn.ndx.contract.ProblemCode;
import vn.ndx.exchange.problem.ExchangeException;

/**
 * Refuses, before anything reads it, every call that does not carry the gateway's proof for exactly this
 * call: the caller's identity, the transaction id and its start are believed only then. Management
 * endpoints (health, metrics) are left to the management port's own exposure.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class GatewayProofFilter implements WebFilter {

    static final String AUDIENCE = "exchange";

    private final GatewayProof proofs;

    GatewayProofFilter(GatewayProofProperties properties) {
        this.proofs = GatewayProof.fromKeyFile(AUDIENCE, properties.keyFile());
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String path = request.getURI().getRawPath();
        if (path.startsWith("/actuator/")) {
            return chain.filter(exchange);
        }
        HttpHeaders headers = request.getHeaders();
        var call = GatewayProof.Call.of(request.getMethod().name(), path, request.getURI().getRawQuery(), headers::getFirst);
        if (proofs.verify(headers.getFirst(Headers.GATEWAY_PROOF), call, Instant.now().getEpochSecond())) {
            return chain.filter(exchange);
        }
        return Mono.error(new ExchangeException(ProblemCode.NOT_FROM_GATEWAY,
                "The exchange answers the platform's gateway only: call it through the gateway with an access token"));
    }
}
