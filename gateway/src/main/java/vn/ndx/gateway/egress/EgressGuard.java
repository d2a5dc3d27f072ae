package vn.ndx.gateway.egress;

import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.stereotype.Component;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientConfig;
import vn.ndx.contract.EgressRules;
import vn.ndx.contract.RegistrySnapshot.Egress;
import vn.ndx.gateway.GatewayProperties;
import vn.ndx.gateway.registry.RegistryIndex;
import vn.ndx.gateway.registry.RegistryView;

/**
 * Checks, on every connection the gateway opens, the address it is about to connect to: after the name was
 * resolved, so that a provider's host that resolved to a public address when it was registered and to
 * 127.0.0.1 or 169.254.169.254 now (DNS rebinding) is not reached. An address that {@link EgressRules}
 * restricts is connected to only when an allowance covers it for an agency whose service names that host
 * and port; the platform's own services (registry, exchange, audit) are the gateway's to reach. With
 * no address left the connection fails, and the caller gets the provider's unavailability.
 */
@Component
class EgressGuard implements HttpClientCustomizer {

    private static final Logger log = LoggerFactory.getLogger(EgressGuard.class);

    private final RegistryView registry;
    private final Set<String> internal;
    private final Counter refused;

    EgressGuard(RegistryView registry, GatewayProperties properties, MeterRegistry meters) {
        this.registry = registry;
        this.internal = Stream.of(properties.registryUrl(), properties.exchangeUrl(), properties.auditUrl())
                .map(EgressRules::authority).collect(Collectors.toUnmodifiableSet());
        this.refused = Counter.builder("ndx.gateway.egress.refused")
                .description("Connections not opened because the address was one the platform may not reach for the provider")
                .register(meters);
    }

    @Override
    public HttpClient customize(HttpClient client) {
        return client.resolvedAddressesSelector(this::select);
    }

    List<? extends SocketAddress> select(HttpClientConfig config, List<? extends SocketAddress> resolved) {
        URI target = URI.create(config.uri());
        String authority = EgressRules.authority(target);
        if (internal.contains(authority)) {
            return resolved;
        }
        RegistryIndex index = registry.current();
        List<@Nullable Egress> allowances = index == null ? List.of() : index.allowancesAt(authority);
        List<? extends SocketAddress> permitted = EgressRules.permittedOf(resolved, allowances);
        if (permitted.isEmpty()) {
            refused.increment();
            log.warn("Not connecting to {}: it resolves to {}, which no allowance covers", authority, resolved);
        }
        return permitted;
    }

}
