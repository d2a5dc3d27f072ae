package vn.ndx.web.reactive;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.webflux.autoconfigure.error.ErrorWebFluxAutoConfiguration;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import tools.jackson.databind.json.JsonMapper;

/**
 * A reactive service's problem+json: the writer, and the error handler unless the service has its own
 * (the gateway's also counts the refusal in the transaction it belongs to). Ahead of Spring Boot's
 * error handler, which would otherwise answer in its own shape.
 */
@AutoConfiguration(before = ErrorWebFluxAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
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
