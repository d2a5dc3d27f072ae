package vn.ndx.exchange.push;

import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Objects;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.netty.http.client.HttpClientConfig;
import vn.ndx.contract.EgressRules;
import vn.ndx.contract.RegistrySnapshot.Service;
import vn.ndx.exchange.registry.RegistryView;

/**
 * Where the exchange may push on a recipient agency's behalf, checked on every connection on the address it
 * connects to ({@link EgressRules}): a push address whose name resolves to the platform's own machine, its
 * private network or a cloud metadata service is not connected to, unless a platform administrator allowed
 * that network for an agency pushed to at that host and port. Plain HTTP only where the agency is allowed it.
 */
@Component
class PushEgress {

    private static final Logger log = LoggerFactory.getLogger(PushEgress.class);

    private final RegistryView registry;
    private final Counter refused;

    PushEgress(RegistryView registry, MeterRegistry meters) {
        this.registry = registry;
        this.refused = Counter.builder("ndx.exchange.egress.refused")
                .description("Push connections not opened because the address was one the platform may not reach for the recipient")
                .register(meters);
    }

    /** Whether the channel's push address may be tried at all: plain HTTP only with the agency's allowance. */
    boolean schemeAllowed(Service channel) {
        String upstream = channel.upstreamUrl();
        if (upstream == null) {
            return false;
        }
        if (!upstream.regionMatches(true, 0, "http:", 0, 5)) {
            return true;
        }
        var allowance = registry.egressOf(channel.agencyCode());
        return allowance != null && allowance.plainHttp();
    }

    /** Reactor Netty's choice among the resolved addresses of a push: those the platform may reach. */
    List<? extends SocketAddress> select(HttpClientConfig config, List<? extends SocketAddress> resolved) {
        String authority = EgressRules.authority(URI.create(config.uri()));
        var allowances = registry.pushChannels().stream()
                .filter(channel -> authority.equals(EgressRules.authority(URI.create(Objects.requireNonNull(channel.upstreamUrl())))))
                .map(channel -> registry.egressOf(channel.agencyCode())).filter(Objects::nonNull).toList();
        List<? extends SocketAddress> permitted = EgressRules.permittedOf(resolved, allowances);
        if (permitted.isEmpty()) {
            refused.increment();
            log.warn("Not pushing to {}: it resolves to {}, which no allowance covers", authority, resolved);
        }
        return permitted;
    }
}
