package vn.ndx.web.reactive;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import vn.ndx.web.proof.GatewayProofProperties;

/**
 * A reactive service behind the gateway (the exchange) answers calls the gateway proved for it only, its
 * audience being its application name. Declared, not automatic: the gateway is a reactive service too, and
 * the one that makes the proofs; a service behind it that forgot the key fails at start, never runs open.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(EnableGatewayProof.GatewayProofConfiguration.class)
public @interface EnableGatewayProof {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(GatewayProofProperties.class)
    class GatewayProofConfiguration {

        /** First of all filters: nothing reads a call the gateway did not prove. */
        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        ReactiveGatewayProofFilter gatewayProofFilter(@Value("${spring.application.name}") String audience,
                                                      GatewayProofProperties properties) {
            return new ReactiveGatewayProofFilter(audience, properties);
        }
    }
}
