package vn.ndx.gateway.route;

import java.net.URI;
import java.time.Duration;

import java.util.concurrent.TimeUnit;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.stereotype.Component;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.RegistrySnapshot.Service;
import vn.ndx.gateway.call.Call;
import vn.ndx.gateway.problem.BodyTooLarge;
import vn.ndx.gateway.problem.ProblemResponses;
import vn.ndx.gateway.problem.Refusal;
import vn.ndx.gateway.registry.RegistryIndex;
import vn.ndx.gateway.registry.RegistryView;

/**
 * Sends a query straight to the provider's registered upstream: {@code /query/{agency}/{system}/{service}/rest?q}
 * goes to {@code {upstreamUrl}/rest?q}, within the service's registered timeout, guarded by the
 * provider's circuit breaker and bulkhead, repeated once where that is safe. One hop inside the platform: the provider's address comes from
 * the local registry view, not from a route per provider.
 * Runs after {@link RouteToRequestUrlFilter}, which would otherwise overwrite the target.
 */
@Component
public class ProviderUpstreamGatewayFilterFactory extends AbstractGatewayFilterFactory<Object> {

    private static final int ORDER = RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 1;
    private static final int PREFIX_SEGMENTS = 4; // query, agency, system, service
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final ProviderGuards guards;
    private final ProblemResponses problems;
    private final MeterRegistry meters;
    private final RegistryView registry;

    ProviderUpstreamGatewayFilterFactory(ProviderGuards guards, ProblemResponses problems, MeterRegistry meters, RegistryView registry) {
        super(Object.class);
        this.guards = guards;
        this.problems = problems;
        this.meters = meters;
        this.registry = registry;
    }

    @Override
    public GatewayFilter apply(Object config) {
        return new OrderedGatewayFilter((exchange, chain) -> {
            Service service = Call.service(exchange);
            if (!reachable(service)) {
                return problems.write(exchange, new Refusal(ProblemCode.PROVIDER_UNAVAILABLE,
                        "The provider's address is not one the platform may reach: its agency must correct it"));
            }
            CircuitBreaker circuit = guards.circuitBreaker(service);
            if (!circuit.tryAcquirePermission()) {
                return problems.write(exchange, new Refusal(ProblemCode.CIRCUIT_OPEN,
                        "The provider has been failing; calls resume shortly"), retryAfter(circuit));
            }
            Bulkhead bulkhead = guards.bulkhead(service);
            if (!bulkhead.tryAcquirePermission()) {
                circuit.releasePermission();
                return problems.write(exchange, new Refusal(ProblemCode.PROVIDER_BUSY,
                        "The provider is answering as many calls as it was promised; retry shortly"));
            }
            var request = exchange.getRequest();
            exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR,
                    upstream(service, request.getURI().getRawPath(), request.getURI().getRawQuery()));
            Duration timeout = service.timeout() == null ? DEFAULT_TIMEOUT : service.timeout();
            long started = System.nanoTime();
            var forwarded = exchange.mutate().request(limited(request,
                    Call.limits(exchange).bodyLimit(service.maxBodyBytes()))).build();
            Mono<Void> call = chain.filter(forwarded);
            if (retriable(request)) {
                call = call.onErrorResume(ProblemResponses::isConnectFailure, error -> {
                    if (forwarded.getResponse().isCommitted()) {
                        return Mono.error(error);
                    }
                    meters.counter("ndx.gateway.provider.retries", "provider_agency", service.agencyCode(),
                            "service", service.code()).increment();
                    ServerWebExchangeUtils.reset(forwarded);
                    return chain.filter(forwarded);
                });
            }
            return call.timeout(timeout)
                    .doOnError(error -> circuit.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, error))
                    .doOnSuccess(done -> recordAnswer(circuit, exchange.getResponse().getStatusCode(), System.nanoTime() - started))
                    .doOnCancel(circuit::releasePermission)
                    .doFinally(signal -> bulkhead.onComplete());
        }, ORDER);
    }

    /**
     * Once, at once, and only where repeating cannot do anything twice: a method that is idempotent by
     * HTTP's rules, a call without a body (a streamed body cannot be sent again), and a failure that
     * happened before the provider could have answered (no connection, or a pooled connection the
     * provider had closed). All within the service's timeout.
     */
    private static boolean retriable(ServerHttpRequest request) {
        HttpMethod method = request.getMethod();
        boolean idempotent = HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)
                || HttpMethod.OPTIONS.equals(method) || HttpMethod.DELETE.equals(method);
        var headers = request.getHeaders();
        return idempotent && headers.getContentLength() <= 0 && !headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
    }

    /**
     * A body sent without a length is counted as it streams: past the service's limit the call fails with
     * {@link BodyTooLarge}, answered 413 (a declared length over the limit never gets this far).
     */
    private static ServerHttpRequest limited(ServerHttpRequest request, long maxBytes) {
        return new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                long[] seen = {0};
                return super.getBody().doOnNext(buffer -> {
                    seen[0] += buffer.readableByteCount();
                    if (seen[0] > maxBytes) {
                        throw new BodyTooLarge(maxBytes);
                    }
                });
            }
        };
    }

    /** The part of {@code /query/{agency}/{system}/{service}/rest} after the service: {@code /rest}, or empty. */
    static String pathBelowService(String rawPath) {
        int cut = 0;
        for (int seen = 0; seen < PREFIX_SEGMENTS && cut >= 0; seen++) {
            cut = rawPath.indexOf('/', cut + 1);
        }
        return cut < 0 ? "" : rawPath.substring(cut);
    }

    /** A provider's 5xx counts against its circuit like a failure to answer; 4xx is the consumer's doing. */
    private static void recordAnswer(CircuitBreaker circuit, @Nullable HttpStatusCode status, long nanos) {
        if (status != null && status.is5xxServerError()) {
            circuit.onError(nanos, TimeUnit.NANOSECONDS, new ProviderFailure(status.value()));
        } else {
            circuit.onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
    }

    private static HttpHeaders retryAfter(CircuitBreaker circuit) {
        var headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1,
                circuit.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1) / 1000)));
        return headers;
    }

    /** What the circuit breaker records when a provider answers 5xx; never thrown to a client. */
    private static final class ProviderFailure extends RuntimeException {
        ProviderFailure(int status) {
            super("provider answered " + status, null, false, false);
        }
    }

    /** Plain HTTP only where the provider's agency is allowed it; the address itself is checked on connecting (EgressGuard). */
    private boolean reachable(Service service) {
        String upstream = service.upstreamUrl();
        if (upstream == null || !upstream.regionMatches(true, 0, "http:", 0, 5)) {
            return upstream != null;
        }
        RegistryIndex index = registry.current();
        var allowance = index == null ? null : index.egressOf(service.agencyCode());
        return allowance != null && allowance.plainHttp();
    }

    static URI upstream(Service service, String rawPath, @Nullable String rawQuery) {
        String base = service.upstreamUrl() == null ? "" : service.upstreamUrl();
        String rest = pathBelowService(rawPath);
        if (base.endsWith("/") && rest.startsWith("/")) {
            rest = rest.substring(1);
        }
        return URI.create(base + rest + (rawQuery == null ? "" : "?" + rawQuery));
    }
}
