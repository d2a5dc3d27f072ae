package vn.ndx.gateway.proof;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import vn.ndx.contract.GatewayProof;
import vn.ndx.gateway.GatewayProperties;

/**
 * Signs every call the gateway forwards to an internal service with that service's own key
 * ({@code <keys-dir>/<service>.key}). A route names the service it leads to in its metadata
 * ({@value #ROUTE_METADATA}); routes to providers name none, so a provider never holds a proof an
 * internal service would accept.
 */
@Component
public class InternalCallProofs {

    /** The route metadata key naming the internal service a route leads to: registry, exchange or audit. */
    public static final String ROUTE_METADATA = "internal-service";

    private final Map<String, GatewayProof> byService;
    private final long lifetimeSeconds;

    InternalCallProofs(GatewayProperties properties) {
        GatewayProperties.InternalProof settings = properties.internalProof();
        this.lifetimeSeconds = settings.lifetime().toSeconds();
        this.byService = Map.of(
                "registry", GatewayProof.fromKeyFile("registry", settings.keysDir().resolve("registry.key")),
                "exchange", GatewayProof.fromKeyFile("exchange", settings.keysDir().resolve("exchange.key")),
                "audit", GatewayProof.fromKeyFile("audit", settings.keysDir().resolve("audit.key")));
    }

    /** Whether {@code route} leads to the internal service {@code service} (registry, exchange or audit). */
    public static boolean leadsTo(@Nullable Route route, String service) {
        return route != null && service.equals(route.getMetadata().get(ROUTE_METADATA));
    }

    /**
     * The proof for a call on {@code route} about to be sent to {@code url} with {@code headers} (the
     * platform's headers already set on them), or null when the route leads to no internal service.
     */
    public @Nullable String proofFor(@Nullable Route route, URI url, String method, HttpHeaders headers) {
        Object service = route == null ? null : route.getMetadata().get(ROUTE_METADATA);
        if (service == null) {
            return null;
        }
        GatewayProof proof = byService.get(service.toString());
        if (proof == null) {
            throw new IllegalStateException("Route " + route.getId() + " names an unknown internal service: " + service);
        }
        var call = GatewayProof.Call.of(method, url.getRawPath(), url.getRawQuery(), headers::getFirst);
        return proof.sign(call, Instant.now().getEpochSecond() + lifetimeSeconds);
    }
}
