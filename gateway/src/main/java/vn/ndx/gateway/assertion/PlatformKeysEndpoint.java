package vn.ndx.gateway.assertion;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** {@code GET /platform/jwks}: the keys a provider checks platform assertions with. Public, like any JWKS. */
@Configuration(proxyBeanMethods = false)
class PlatformKeysEndpoint {

    static final MediaType JWK_SET = MediaType.parseMediaType("application/jwk-set+json");

    @Bean
    RouterFunction<ServerResponse> platformKeys(PlatformAssertions assertions) {
        return RouterFunctions.route().GET("/platform/jwks", request -> ServerResponse.ok()
                .contentType(JWK_SET).header("Cache-Control", "max-age=300").bodyValue(assertions.publicKeys())).build();
    }
}
