package vn.ndx.web.reactive;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webflux.autoconfigure.error.ErrorWebFluxAutoConfiguration;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.web.registry.RegistryTrustProperties;

/**
 * What a reactive service (gateway, exchange) gets without declaring it: the problem writer; the error
 * handler, unless the service has its own (the gateway's also counts the refusal in its transaction), ahead
 * of Spring Boot's, which would answer in its own shape; and the registry key the data plane pins.
 */
@AutoConfiguration(before = ErrorWebFluxAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@EnableConfigurationProperties(RegistryTrustProperties.class)
public class ReactiveWebAutoConfiguration {

    @Bean
    ProblemWriter problemWriter(JsonMapper json) {
        return new ProblemWriter(json);
    }

    @Bean
    @Order(-2)
    @ConditionalOnMissingBean(ErrorWebExceptionHandler.class)
    ProblemErrorHandler problemErrorHandler(ProblemWriter writer) {
        return new ProblemErrorHandler(writer);
    }
}
