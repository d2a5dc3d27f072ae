package vn.ndx.gateway.route;

import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import vn.ndx.contract.ProblemCode;
import vn.ndx.gateway.problem.ProblemResponses;
import vn.ndx.gateway.problem.Refusal;

/**
 * Refuses, before any route, token or grant is looked at, a path that a provider or platform service could
 * read as another path than the one the gateway checks: dot segments (raw or percent-encoded, any case),
 * encoded slashes and backslashes, control characters, double encoding and matrix parameters. A grant for
 * {@code /business/*} then covers exactly what it says, and the path forwarded is the path checked, byte
 * for byte ({@link ProviderUpstreamGatewayFilterFactory} forwards the raw path unchanged).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2) // after the transaction id, which the refusal carries, and the size limits
class CanonicalPaths implements WebFilter {

    private final ProblemResponses problems;

    CanonicalPaths(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String problem = problem(exchange.getRequest().getURI().getRawPath());
        if (problem != null) {
            return problems.write(exchange, new Refusal(ProblemCode.INVALID_PATH, "The path " + problem
                    + ": send each segment plainly, percent-encoding only what a segment must (not '/', '\\', '.', ';' or '%')"));
        }
        return chain.filter(exchange);
    }

    /** What makes {@code rawPath} ambiguous, or null when it means one path only. */
    static @Nullable String problem(String rawPath) {
        int segmentStart = 0;
        int dots = 0; // the segment so far is only dots, decoded, this many
        boolean onlyDots = true;
        for (int i = 0; i <= rawPath.length(); i++) {
            char c = i == rawPath.length() ? '/' : rawPath.charAt(i);
            if (c == '/') {
                if (onlyDots && i > segmentStart && dots <= 2) {
                    return "has a dot segment ('.' or '..')";
                }
                segmentStart = i + 1;
                dots = 0;
                onlyDots = true;
                continue;
            }
            int decoded = c;
            if (c == '%') {
                if (i + 2 >= rawPath.length() || hex(rawPath.charAt(i + 1)) < 0 || hex(rawPath.charAt(i + 2)) < 0) {
                    return "has a '%' that starts no escape";
                }
                decoded = hex(rawPath.charAt(i + 1)) * 16 + hex(rawPath.charAt(i + 2));
                i += 2;
                switch (decoded) {
                    case '/' -> {
                        return "has an encoded '/'";
                    }
                    case '%' -> {
                        if (i + 2 < rawPath.length() && hex(rawPath.charAt(i + 1)) >= 0 && hex(rawPath.charAt(i + 2)) >= 0) {
                            return "is encoded twice";
                        }
                    }
                    case ';' -> {
                        return "has an encoded ';'";
                    }
                    default -> {
                    }
                }
            }
            if (decoded < 0x20 || decoded == 0x7f) {
                return "has a control character";
            }
            if (decoded == '\\') {
                return "has a backslash";
            }
            if (c == ';') {
                return "has matrix parameters (';')";
            }
            if (decoded == '.') {
                dots++;
            } else {
                onlyDots = false;
            }
        }
        return null;
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
