package vn.ndx.gateway.transaction;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.reactivestreams.Publisher;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import vn.ndx.contract.Outcome;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.TransactionEvent;
import vn.ndx.contract.TransactionKind;
import vn.ndx.gateway.call.Call;
import vn.ndx.gateway.call.Transaction;
import vn.ndx.gateway.problem.ProblemResponses;

import static org.springframework.cloud.gateway.support.GatewayToStringStyler.filterToStringCreator;

/**
 * Emits the one transaction event of a query or record submission once its answer is written, whatever
 * the answer: forwarded, refused by a filter, or failed, with the size and SHA-256 of both bodies measured
 * as they stream. Ordered before everything that handles the call, including the writing of the answer,
 * and turns errors of the filters after it into problems so the status it reports is the one the client got.
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
    private final TransactionMeters meters;

    TransactionEventGatewayFilterFactory(TransactionEventPublisher publisher, ProblemResponses problems,
                                         MeterRegistry meters) {
        super(Config.class);
        this.publisher = publisher;
        this.problems = problems;
        this.meters = new TransactionMeters(meters);
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("kind", "ownedDownstream");
    }

    @Override
    public GatewayFilter apply(Config config) {
        // before the filter that writes the provider's answer, so it sees every byte of it
        return new OrderedGatewayFilter(filter(config), NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 1);
    }

    private GatewayFilter filter(Config config) {
        return new GatewayFilter() {
            @Override
            public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
                var requestBody = new BodyMeter();
                var responseBody = new BodyMeter();
                ServerWebExchange metered = exchange.mutate()
                        .request(new ServerHttpRequestDecorator(exchange.getRequest()) {
                            @Override
                            public Flux<DataBuffer> getBody() {
                                return super.getBody().doOnNext(requestBody::update);
                            }
                        })
                        .response(new ServerHttpResponseDecorator(exchange.getResponse()) {
                            @Override
                            public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
                                return super.writeWith(Flux.from(body).doOnNext(responseBody::update));
                            }

                            @Override
                            public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
                                return super.writeAndFlushWith(Flux.from(body).map(part -> Flux.from(part).doOnNext(responseBody::update)));
                            }
                        })
                        .build();
                return chain.filter(metered)
                        // once the answer has started there is no problem to write: the original error lets the
                        // server close the connection (a client that went away is logged as such, quietly)
                        .onErrorResume(error -> metered.getResponse().isCommitted() ? Mono.error(error)
                                : problems.write(metered, problems.classify(error, config.kind)))
                        .doFinally(signal -> emit(metered, config, requestBody, responseBody));
            }

            @Override
            public String toString() {
                return filterToStringCreator(TransactionEventGatewayFilterFactory.this)
                        .append("kind", config.kind).append("ownedDownstream", config.ownedDownstream).toString();
            }
        };
    }

    private void emit(ServerWebExchange exchange, Config config, BodyMeter requestBody, BodyMeter responseBody) {
        var transaction = Transaction.of(exchange);
        boolean answeredDownstream = exchange.getAttribute(ServerWebExchangeUtils.CLIENT_RESPONSE_ATTR) != null;
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        int code = status == null ? 200 : status.value();
        Outcome outcome = outcome(transaction, code);
        meters.record(config.kind, transaction, outcome, code);
        if (config.ownedDownstream && answeredDownstream) {
            return;
        }
        var request = exchange.getRequest();
        var named = Call.personalDataIfAny(exchange); // what GrantCheck accepted, if the service carries personal data
        publisher.publish(new TransactionEvent(
                transaction.id(), config.kind, transaction.startedAt(), transaction.elapsedMicros(),
                transaction.consumerAgency(), transaction.consumerSystem(), transaction.clientId(),
                transaction.providerAgency(), transaction.providerSystem(), transaction.service(),
                request.getMethod().name(), code, outcome, transaction.problemCode(),
                // a refused body was never read: its declared length is all there is to count
                requestBody.bytes() > 0 ? requestBody.bytes() : Math.max(0, request.getHeaders().getContentLength()),
                responseBody.bytes(), "gateway", requestBody.hexDigest(), responseBody.hexDigest(),
                named == null ? null : named.purpose(), named == null ? null : named.subjectDigest()));
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
