package vn.ndx.gateway.transaction;

import java.time.Instant;
import java.util.List;

import com.github.f4b6a3.uuid.UuidCreator;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import vn.ndx.contract.Headers;

/**
 * Gives every call, routed or not, a transaction id that sorts by time (UUIDv7) and returns it in
 * {@code X-Transaction-Id}. A client-supplied {@code X-Transaction-Id} is discarded: ids must be unique
 * platform-wide to be counted once, and a client cannot be trusted to make them so. Identity headers
 * that only the gateway may set are stripped from what the client sent.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class TransactionIdFilter implements WebFilter {

    private static final List<String> PLATFORM_HEADERS = List.of(
            Headers.TRANSACTION_ID, Headers.TRANSACTION_STARTED_AT,
            Headers.CALLER_AGENCY, Headers.CALLER_SYSTEM, Headers.CALLER_CLIENT);

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var transaction = new Transaction(UuidCreator.getTimeOrderedEpoch().toString(), Instant.now(), System.nanoTime());
        Transaction.attach(exchange, transaction);
        // set late: a forwarded response's own headers are copied in first and must not duplicate ours
        exchange.getResponse().beforeCommit(() -> {
            exchange.getResponse().getHeaders().set(Headers.TRANSACTION_ID, transaction.id());
            return Mono.empty();
        });
        var request = exchange.getRequest().mutate().headers(headers -> {
            PLATFORM_HEADERS.forEach(headers::remove);
            headers.set(Headers.TRANSACTION_ID, transaction.id());
            headers.set(Headers.TRANSACTION_STARTED_AT, transaction.startedAt().toString());
        }).build();
        return chain.filter(exchange.mutate().request(request).build());
    }
}
