package vn.ndx.gateway.route;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.RegistrySnapshot.Limits;
import vn.ndx.gateway.GatewayProperties;
import vn.ndx.gateway.call.Call;
import vn.ndx.gateway.call.Caller;
import vn.ndx.gateway.problem.ProblemResponses;
import vn.ndx.gateway.problem.Refusal;
import vn.ndx.gateway.registry.RegistryIndex;
import vn.ndx.gateway.registry.RegistryView;

import static org.springframework.cloud.gateway.support.GatewayToStringStyler.filterToStringCreator;

/**
 * A client's limits from the registry, enforced in process: a token bucket (requests per second, with a
 * burst) and a count of calls in flight. Beyond either, 429 with {@code Retry-After}; every answer carries
 * {@code RateLimit-Limit} and {@code RateLimit-Remaining}. Limits hold per gateway instance: with N
 * replicas behind a balancer a client may reach N times its rate, so the registry's figure is divided
 * by the replica count where that matters (docs/architecture.md). A client's limits may set other figures
 * for calls to one service; those calls then count against their own bucket and in-flight count.
 */
@Component
public class ClientLimitGatewayFilterFactory extends AbstractGatewayFilterFactory<Object> {

    private record State(Limits limits, Bucket bucket, AtomicInteger inFlight) {
    }


    private final RegistryView registry;
    private final ProblemResponses problems;
    private final Limits defaults;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    ClientLimitGatewayFilterFactory(RegistryView registry, ProblemResponses problems, GatewayProperties properties) {
        super(Object.class);
        this.registry = registry;
        this.problems = problems;
        var limits = properties.clientLimits();
        this.defaults = new Limits(limits.requestsPerSecond(), limits.burst(), limits.concurrentCalls());
    }

    @Override
    public GatewayFilter apply(Object config) {
        return new GatewayFilter() {
            @Override
            public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
                return limit(exchange, chain);
            }

            @Override
            public String toString() {
                return filterToStringCreator(ClientLimitGatewayFilterFactory.this).toString();
            }
        };
    }

    private Mono<Void> limit(ServerWebExchange exchange, GatewayFilterChain chain) {
        Caller caller = Call.caller(exchange);
        Limits clientLimits = limitsOf(caller.clientId());
        String serviceKey = serviceKey(exchange);
        Limits limits = clientLimits.forService(serviceKey);
        Call.limited(exchange, limits);
        // calls to a service with its own limits have their own bucket; all others share the client's
        State state = state(limits == clientLimits ? caller.clientId() : caller.clientId() + " " + serviceKey, limits);
        ConsumptionProbe probe = state.bucket().tryConsumeAndReturnRemaining(1);
        var headers = new HttpHeaders();
        headers.set("RateLimit-Limit", String.valueOf(state.limits().requestsPerSecond()));
        headers.set("RateLimit-Remaining", String.valueOf(probe.getRemainingTokens()));
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
            headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
            headers.set("RateLimit-Reset", String.valueOf(seconds));
            return problems.write(exchange, new Refusal(ProblemCode.RATE_LIMITED,
                    "This client may make " + state.limits().requestsPerSecond() + " calls a second (burst "
                            + state.limits().burst() + "); retry after " + seconds + " s"), headers);
        }
        if (state.inFlight().incrementAndGet() > state.limits().concurrentCalls()) {
            state.inFlight().decrementAndGet();
            headers.set(HttpHeaders.RETRY_AFTER, "1");
            return problems.write(exchange, new Refusal(ProblemCode.RATE_LIMITED,
                    "This client may have " + state.limits().concurrentCalls() + " calls in flight at once"), headers);
        }
        exchange.getResponse().getHeaders().addAll(headers);
        return chain.filter(exchange).doFinally(signal -> state.inFlight().decrementAndGet());
    }


    private static @Nullable String serviceKey(ServerWebExchange exchange) {
        Map<String, String> target = ServerWebExchangeUtils.getUriTemplateVariables(exchange);
        String agency = target.get("agency");
        String system = target.get("system");
        String service = target.get("service");
        return agency == null || system == null || service == null ? null : Limits.serviceKey(agency, system, service);
    }

    private Limits limitsOf(String clientId) {
        RegistryIndex index = registry.current();
        var client = index == null ? null : index.client(clientId);
        return client == null || client.limits() == null ? defaults : client.limits();
    }

    /** The bucket of a client (or of a client's calls to one service), made anew when its limits changed. */
    private State state(String key, Limits limits) {
        State current = states.get(key);
        if (current != null && current.limits().equals(limits)) {
            return current; // the common case, without taking the map's lock
        }
        return states.compute(key, (id, held) -> held != null && held.limits().equals(limits) ? held
                : new State(limits, Bucket.builder().addLimit(Bandwidth.builder().capacity(limits.burst())
                        .refillGreedy(limits.requestsPerSecond(), Duration.ofSeconds(1)).build()).build(),
                        held == null ? new AtomicInteger() : held.inFlight()));
    }
}
