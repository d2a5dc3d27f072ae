package vn.ndx.gateway.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * {@code GET /openapi/ndx.yaml} and {@code /openapi/ndx.json}: the OpenAPI document of what agency systems and
 * administrators call, public like the token endpoint. The YAML is the one source; the JSON, which API managers
 * (WSO2) and generators often want instead, is converted from it once at start, so the two never differ.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiEndpoint {

    static final String DOCUMENT = "static/openapi/ndx.yaml";
    static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    @Bean
    RouterFunction<ServerResponse> openApiDocument() {
        byte[] yaml = read(DOCUMENT);
        byte[] json = toJson(yaml);
        // the resource handler would name .yaml by file type guesses; the type is part of what integrators rely on
        return RouterFunctions.route()
                .GET("/openapi/ndx.yaml", request -> ServerResponse.ok().contentType(YAML)
                        .header("Cache-Control", "max-age=300").bodyValue(yaml))
                .GET("/openapi/ndx.json", request -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                        .header("Cache-Control", "max-age=300").bodyValue(json))
                .build();
    }

    static byte[] toJson(byte[] yaml) {
        JsonNode document = YAMLMapper.builder().build().readTree(yaml);
        return JsonMapper.builder().build().writeValueAsBytes(document);
    }

    private static byte[] read(String location) {
        try (InputStream in = new ClassPathResource(location).getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("The gateway's OpenAPI document " + location + " is missing from its jar", e);
        }
    }
}
