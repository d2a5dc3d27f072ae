package vn.ndx.gateway.route;

import java.time.Duration;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;
import vn.ndx.contract.RegistrySnapshot.Service;
import vn.ndx.gateway.GatewayProperties;

/**
 * A circuit breaker and a bulkhead per provider service, named {@code agency/system/service}: a failing
 * provider gets fast 503s instead of a pile of hung calls, and a flood from consumers never exceeds what a
 * provider was promised. Their state is exported as metrics (bounded: one series per registered service).
 */
@Component
class ProviderGuards {

    private final CircuitBreakerRegistry circuitBreakers;
    private final BulkheadRegistry bulkheads;

    ProviderGuards(GatewayProperties properties, MeterRegistry meters) {
        var settings = properties.providers();
        this.circuitBreakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.slidingWindowCalls())
                .minimumNumberOfCalls(settings.minimumCalls())
                .failureRateThreshold(settings.failureRatePercent())
                .waitDurationInOpenState(settings.openFor())
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build());
        this.bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(settings.maxConcurrentCalls())
                .maxWaitDuration(Duration.ZERO) // never park an event loop: full means refuse
                .build());
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(circuitBreakers).bindTo(meters);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meters);
    }

    CircuitBreaker circuitBreaker(Service service) {
        return circuitBreakers.circuitBreaker(name(service));
    }

    Bulkhead bulkhead(Service service) {
        return bulkheads.bulkhead(name(service));
    }

    private static String name(Service service) {
        return service.address().toString();
    }
}
