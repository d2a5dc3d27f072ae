package vn.ndx.gateway.route;

import java.util.List;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.stereotype.Component;

/**
 * Leaves out Spring Cloud Gateway's header filters that do nothing here but copy every header of every call
 * once more (together a few percent of the gateway's CPU under load): gRPC's (no provider is reached over
 * gRPC; they exist because the front door speaks HTTP/2) and the removal of {@code Forwarded} and
 * {@code X-Forwarded-*}, which {@link OutgoingRequestHeaders} drops in the one copy it makes anyway. The
 * removal of hop-by-hop headers and the normalisation of {@code Transfer-Encoding} stay.
 */
@Component
class RedundantHeaderFilters implements BeanDefinitionRegistryPostProcessor {

    /** The beans of GatewayAutoConfiguration, by their method names. */
    static final List<String> LEFT_OUT = List.of("gRPCRequestHeadersFilter", "gRPCResponseHeadersFilter",
            "removeForwardedHeadersFilter", "removeXForwardedHeadersFilter");

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        LEFT_OUT.stream().filter(registry::containsBeanDefinition).forEach(registry::removeBeanDefinition);
    }
}
