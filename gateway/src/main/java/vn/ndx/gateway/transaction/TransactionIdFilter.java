package vn.ndx.gateway.transaction;

import java.time.Instant;

import com.github.f4b6a3.uuid.UuidCreator;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import vn.ndx.contract.Headers;
import vn.ndx.gateway.call.Transaction;

/**
 * Gives every call, routed or not, a transaction id that sorts by time (UUIDv7) and returns it in
 * {@code X-Transaction-Id}. A client-supplied {@code X-Transaction-Id} is discarded: ids must be unique
 * platform-wide to be counted once, and a client cannot be trusted to make them so. What a forwarded
 * request carries of it is set by {@code OutgoingRequestHeaders}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class TransactionIdFilter implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var transaction = new Transaction(UuidCreator.getTimeOrderedEpoch().toString(), Instant.now(), System.nanoTime());
        Transaction.attach(exchange, transaction);
        // set late: a forwarded response's own headers are copied in first and must not duplicate ours
        exchange.getResponse().beforeCommit(() -> {
            exchange.getResponse().getHeaders().set(Headers.TRANSACTION_ID, transaction.id());
            return Mono.empty();
        });
        return chain.filter(exchange);
    }
}
