package vn.ndx.gateway.transaction;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import vn.ndx.contract.Outcome;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.TransactionEvent;
import vn.ndx.contract.TransactionKind;
import vn.ndx.gateway.problem.ProblemResponses;

import static org.springframework.cloud.gateway.support.GatewayToStringStyler.filterToStringCreator;

/**
 * Emits the one transaction event of a query or record submission once its answer is written, whatever
 * the answer: forwarded, refused by a filter, or failed. Listed first on a route so it sees everything
 * after it, and turns errors of the filters after it into problems so the status it reports is the one
 * the client got.
 *
 * <p>With {@code ownedDownstream} the service behind the route emits the event whenever it answers
 * (the exchange writes a record and its event in one acknowledged write); the gateway then emits only
 * for calls that never got an answer from it. Audit counts a transaction id once, so the rare call that
 * both see (an answer lost after it was written) is still counted once.
 */
@Component
public class TransactionEventGatewayFilterFactory
        extends AbstractGatewayFilterFactory<TransactionEventGatewayFilterFactory.Config> {

    private final TransactionEventPublisher publisher;
    private final ProblemResponses problems;
    private final MeterRegistry meters;

    TransactionEventGatewayFilterFactory(TransactionEventPublisher publisher, ProblemResponses problems,
                                         MeterRegistry meters) {
        super(Config.class);
        this.publisher = publisher;
        this.problems = problems;
        this.meters = meters;
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("kind", "ownedDownstream");
    }

    @Override
    public GatewayFilter apply(Config config) {
        return new GatewayFilter() {
            @Override
            public reactor.core.publisher.Mono<Void> filter(ServerWebExchange exchange,
                                                            org.springframework.cloud.gateway.filter.GatewayFilterChain chain) {
                return chain.filter(exchange)
                        .onErrorResume(error -> problems.write(exchange, problems.classify(error, config.kind)))
                        .doFinally(signal -> emit(exchange, config));
            }

            @Override
            public String toString() {
                return filterToStringCreator(TransactionEventGatewayFilterFactory.this)
                        .append("kind", config.kind).append("ownedDownstream", config.ownedDownstream).toString();
            }
        };
    }

    private void emit(ServerWebExchange exchange, Config config) {
        var transaction = Transaction.of(exchange);
        boolean answeredDownstream = exchange.getAttribute(ServerWebExchangeUtils.CLIENT_RESPONSE_ATTR) != null;
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        int code = status == null ? 200 : status.value();
        Outcome outcome = outcome(transaction, code);
        record(config.kind, transaction, outcome, code);
        if (config.ownedDownstream && answeredDownstream) {
            return;
        }
        var request = exchange.getRequest();
        publisher.publish(new TransactionEvent(
                transaction.id(), config.kind, transaction.startedAt(), transaction.elapsedMicros(),
                transaction.consumerAgency(), transaction.consumerSystem(), transaction.clientId(),
                transaction.providerAgency(), transaction.providerSystem(), transaction.service(),
                request.getMethod().name(), code, outcome, transaction.problemCode(),
                Math.max(0, request.getHeaders().getContentLength()),
                Math.max(0, exchange.getResponse().getHeaders().getContentLength()),
                "gateway"));
    }

    /**
     * Labels are bounded by the registry and the contract's enums: agency and service only when the
     * registry knows them ("none" otherwise), never a raw path or id. Latency histograms leave the service
     * out: one per provider agency keeps the series count in hundreds, not hundreds of thousands.
     */
    private void record(TransactionKind kind, Transaction transaction, Outcome outcome, int status) {
        String agency = transaction.providerAgency() == null ? "none" : transaction.providerAgency();
        String service = transaction.service() == null ? "none" : transaction.service();
        meters.counter("ndx.gateway.transactions", "kind", kind.name(), "outcome", outcome.name(),
                "provider_agency", agency, "service", service, "status_class", (status / 100) + "xx").increment();
        Timer.builder("ndx.gateway.latency").description("From receipt to the last byte of the answer")
                .tags("kind", kind.name(), "provider_agency", agency, "outcome", outcome.name())
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofSeconds(60))
                .register(meters).record(transaction.elapsedMicros(), TimeUnit.MICROSECONDS);
        if (transaction.problemCode() != null) {
            meters.counter("ndx.gateway.refusals", "code", transaction.problemCode()).increment();
        }
    }

    private static Outcome outcome(Transaction transaction, int status) {
        String problem = transaction.problemCode();
        if (problem != null) {
            return ProblemCode.valueOf(problem.toUpperCase(java.util.Locale.ROOT)).outcome();
        }
        if (status >= 500) {
            return Outcome.PROVIDER_ERROR;
        }
        return status >= 400 ? Outcome.CLIENT_ERROR : Outcome.OK;
    }

    public static class Config {
        private TransactionKind kind = TransactionKind.QUERY;
        private boolean ownedDownstream;

        public TransactionKind getKind() {
            return kind;
        }

        public void setKind(TransactionKind kind) {
            this.kind = kind;
        }

        public boolean isOwnedDownstream() {
            return ownedDownstream;
        }

        public void setOwnedDownstream(boolean ownedDownstream) {
            this.ownedDownstream = ownedDownstream;
        }
    }
}
