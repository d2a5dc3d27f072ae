package vn.ndx.exchange.proof;

import java.net.InetSocketAddress;
import java.time.Instant;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
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
import vn.ndx.contract.ProblemException;

/**
 * Refuses, before anything reads it, every call that does not carry the gateway's proof for exactly this
 * call: the caller's identity, the transaction id and its start are believed only then. Health and
 * metrics are on the management port, which this service's own port never serves. WebFlux applies this
 * filter on the management server too: there, where nothing but health and metrics is served, it lets
 * calls through.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class GatewayProofFilter implements WebFilter {

    static final String AUDIENCE = "exchange";

    private final GatewayProof proofs;

    GatewayProofFilter(GatewayProofProperties properties) {
        this.proofs = GatewayProof.fromKeyFile(AUDIENCE, properties.keyFile());
    }

    /** The service's own port, once its server is up; until then every call is checked. */
    private volatile int publicPort = -1;

    @EventListener
    void onServerStarted(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() == null) { // the management server has its own
            publicPort = event.getWebServer().getPort();
        }
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        InetSocketAddress local = request.getLocalAddress();
        if (publicPort > 0 && local != null && local.getPort() != publicPort) {
            return chain.filter(exchange); // the management port
        }
        String path = request.getURI().getRawPath();
        HttpHeaders headers = request.getHeaders();
        var call = GatewayProof.Call.of(request.getMethod().name(), path, request.getURI().getRawQuery(), headers::getFirst);
        if (proofs.verify(headers.getFirst(Headers.GATEWAY_PROOF), call, Instant.now().getEpochSecond())) {
            return chain.filter(exchange);
        }
        return Mono.error(new ProblemException(ProblemCode.NOT_FROM_GATEWAY,
                "The exchange answers the platform's gateway only: call it through the gateway with an access token"));
    }
}
