package vn.ndx.gateway.route;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.stereotype.Component;
import vn.ndx.contract.RegistrySnapshot.Service;

/**
 * Sends a query straight to the provider's registered upstream: {@code /query/{agency}/{system}/{service}/rest?q}
 * goes to {@code {upstreamUrl}/rest?q}, within the service's registered timeout. One hop inside the
 * platform: the provider's address comes from the local registry view, not from a route per provider.
 * Runs after {@link RouteToRequestUrlFilter}, which would otherwise overwrite the target.
 */
@Component
public class ProviderUpstreamGatewayFilterFactory extends AbstractGatewayFilterFactory<Object> {

    private static final int ORDER = RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 1;
    private static final int PREFIX_SEGMENTS = 4; // query, agency, system, service
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    ProviderUpstreamGatewayFilterFactory() {
        super(Object.class);
    }

    @Override
    public GatewayFilter apply(Object config) {
        return new OrderedGatewayFilter((exchange, chain) -> {
            Service service = exchange.getRequiredAttribute(GrantCheckGatewayFilterFactory.SERVICE_ATTRIBUTE);
            var request = exchange.getRequest();
            exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR,
                    upstream(service, request.getURI().getRawPath(), request.getURI().getRawQuery()));
            Duration timeout = service.timeout() == null ? DEFAULT_TIMEOUT : service.timeout();
            return chain.filter(exchange).timeout(timeout);
        }, ORDER);
    }

    static URI upstream(Service service, String rawPath, @Nullable String rawQuery) {
        String base = service.upstreamUrl() == null ? "" : service.upstreamUrl();
        int cut = 0;
        for (int seen = 0; seen < PREFIX_SEGMENTS && cut >= 0; seen++) {
            cut = rawPath.indexOf('/', cut + 1);
        }
        String rest = cut < 0 ? "" : rawPath.substring(cut);
        if (base.endsWith("/") && rest.startsWith("/")) {
            rest = rest.substring(1);
        }
        return URI.create(base + rest + (rawQuery == null ? "" : "?" + rawQuery));
    }
}
