package vn.ndx.gateway.route;

import java.util.Locale;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Cleans what a provider (or a platform service) answers before it reaches the consumer: the platform's
 * own headers are the platform's to set, and software banners tell an attacker what to aim at. Hop-by-hop
 * headers are already removed in both directions by Spring Cloud Gateway's own filter.
 */
@Component
class AnswerHeaders implements HttpHeadersFilter {

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        var cleaned = new HttpHeaders();
        input.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("x-ndx-") && !lower.equals("server") && !lower.equals("x-powered-by")) {
                cleaned.put(name, values);
            }
        });
        return cleaned;
    }

    @Override
    public boolean supports(Type type) {
        return type == Type.RESPONSE;
    }
}
