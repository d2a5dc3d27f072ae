package vn.ndx.gateway.route;

import java.net.URI;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import vn.ndx.contract.ProblemCode;
import vn.ndx.gateway.call.Call;
import vn.ndx.gateway.call.Caller;
import vn.ndx.gateway.call.Transaction;
import vn.ndx.gateway.problem.ProblemResponses;
import vn.ndx.gateway.problem.Refusal;

import static org.springframework.cloud.gateway.support.GatewayToStringStyler.filterToStringCreator;

/**
 * Lets a system written for X-Road call the platform unchanged: X-Road's REST address
 * {@code /r1/{instance}/{memberClass}/{memberCode}/{subsystem}/{service}/rest} maps onto
 * {@code /query/{agency}/{system}/{service}/rest} (member code = agency code, subsystem = system), with
 * the same authentication, grants and limits. The {@code X-Road-Client} header
 * ({@code INSTANCE/CLASS/MEMBER/SUBSYSTEM}) must name the authenticated system, and the answer carries
 * the transaction id in {@code X-Road-Id} as X-Road clients expect.
 */
@Component
public class XRoadCompatibilityGatewayFilterFactory extends AbstractGatewayFilterFactory<Object> {

    static final String CLIENT_HEADER = "X-Road-Client";
    static final String ID_HEADER = "X-Road-Id";
    private static final int XROAD_PREFIX_SEGMENTS = 3; // r1, instance, member class

    private final ProblemResponses problems;

    XRoadCompatibilityGatewayFilterFactory(ProblemResponses problems) {
        super(Object.class);
        this.problems = problems;
    }

    @Override
    public GatewayFilter apply(Object config) {
        return new GatewayFilter() {
            @Override
            public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
                return map(exchange, chain);
            }

            @Override
            public String toString() {
                return filterToStringCreator(XRoadCompatibilityGatewayFilterFactory.this).toString();
            }
        };
    }

    private Mono<Void> map(ServerWebExchange exchange, GatewayFilterChain chain) {
        Caller caller = Call.caller(exchange);
        String client = exchange.getRequest().getHeaders().getFirst(CLIENT_HEADER);
        String[] parts = client == null ? new String[0] : client.split("/");
        if (parts.length != 4 || !parts[2].equals(caller.agency()) || !parts[3].equals(caller.system())) {
            return problems.write(exchange, new Refusal(ProblemCode.BAD_REQUEST,
                    "X-Road-Client must name your system as INSTANCE/CLASS/" + caller.agency() + "/" + caller.system()));
        }
        String transactionId = Transaction.of(exchange).id();
        // set late, as X-Transaction-Id is: refusals after this point rewrite the headers
        exchange.getResponse().beforeCommit(() -> {
            exchange.getResponse().getHeaders().set(ID_HEADER, transactionId);
            return Mono.empty();
        });
        URI uri = exchange.getRequest().getURI();
        String path = uri.getRawPath();
        int cut = 0;
        for (int seen = 0; seen < XROAD_PREFIX_SEGMENTS && cut >= 0; seen++) {
            cut = path.indexOf('/', cut + 1);
        }
        String query = "/query" + (cut < 0 ? "" : path.substring(cut));
        var request = exchange.getRequest().mutate().path(query).headers(headers -> headers.remove(CLIENT_HEADER)).build();
        return chain.filter(exchange.mutate().request(request).build());
    }
}
