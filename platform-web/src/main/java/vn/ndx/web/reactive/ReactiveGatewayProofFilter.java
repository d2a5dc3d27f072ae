package vn.ndx.web.reactive;

import java.net.InetSocketAddress;
import java.time.Instant;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import vn.ndx.contract.GatewayProof;
import vn.ndx.contract.Headers;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;
import vn.ndx.web.proof.GatewayProofProperties;

/**
 * Refuses, before anything reads it, every call to a reactive service behind the gateway (the exchange) that
 * does not carry the gateway's proof for exactly this call, made for this service: the caller's identity, the
 * transaction id and its start are believed only then. Health and metrics are on the management port, which
 * the service's own port never serves; WebFlux applies this filter on the management server too, and there,
 * where nothing but health and metrics is served, it lets calls through. Installed by {@link EnableGatewayProof}.
 */
public class ReactiveGatewayProofFilter implements WebFilter, ApplicationListener<WebServerInitializedEvent> {

    private final String audience;
    private final GatewayProof proofs;
    /** The service's own port, once its server is up; until then every call is checked. */
    private volatile int publicPort = -1;

    public ReactiveGatewayProofFilter(String audience, GatewayProofProperties properties) {
        this.audience = audience;
        this.proofs = GatewayProof.fromKeyFile(audience, properties.keyFile());
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
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
        // the raw, undecoded path: the one the gateway signed
        HttpHeaders headers = request.getHeaders();
        var call = GatewayProof.Call.of(request.getMethod().name(), request.getURI().getRawPath(), request.getURI().getRawQuery(),
                headers::getFirst);
        if (proofs.verify(headers.getFirst(Headers.GATEWAY_PROOF), call, Instant.now().getEpochSecond())) {
            return chain.filter(exchange);
        }
        return Mono.error(new ProblemException(ProblemCode.NOT_FROM_GATEWAY,
                "The " + audience + " answers the platform's gateway only: call it through the gateway with an access token"));
    }
}
