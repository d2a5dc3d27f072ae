package vn.ndx.web.servlet;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.web.proof.GatewayProofProperties;

/**
 * A servlet service's problem+json, query parameter checks and the gateway's proof on every call, without it
 * declaring any of them.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(GatewayProofProperties.class)
@Import({ServletProblems.class, KnownQueryParameters.class})
public class ServletWebAutoConfiguration {

    /** First of all filters: nothing reads a call the gateway did not prove. */
    @Bean
    FilterRegistrationBean<GatewayProofFilter> gatewayProofFilter(@Value("${spring.application.name}") String audience,
                                                                   GatewayProofProperties properties, JsonMapper json) {
        var registration = new FilterRegistrationBean<>(new GatewayProofFilter(audience, properties, json));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
