package vn.ndx.exchange.record;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.RegistrySnapshot.Service;
import vn.ndx.contract.Topics;
import vn.ndx.contract.TransactionEvent;
import vn.ndx.contract.TransactionKind;
import vn.ndx.exchange.Caller;
import vn.ndx.exchange.KafkaWrites;

/** The transaction event of a submission the exchange refused or failed to store: counted like any other. */
@Component
class RefusalEvents {

    private static final Logger log = LoggerFactory.getLogger(RefusalEvents.class);

    private final KafkaTemplate<String, byte[]> kafka;
    private final JsonMapper json;

    RefusalEvents(KafkaTemplate<String, byte[]> kafka, JsonMapper json) {
        this.kafka = kafka;
        this.json = json;
    }

    /** Completes when the event is sent, or at once when it cannot be: a refusal is answered either way. */
    Mono<Void> refused(Caller caller, String recipientAgency, String recipientSystem, @Nullable Service channel,
                 ProblemCode code, long requestBytes) {
        if (caller.transactionId() == null) {
            return Mono.empty(); // not through the gateway: not a transaction of the platform
        }
        return refused(caller.transactionId(), caller, recipientAgency, recipientSystem, channel, code, requestBytes);
    }

    /** The refusal of one record of a batch, under that record's own transaction id. */
    Mono<Void> refused(String transactionId, Caller caller, String recipientAgency, String recipientSystem,
                       @Nullable Service channel, ProblemCode code, long requestBytes) {
        var event = new TransactionEvent(transactionId, TransactionKind.RECORD, caller.startedAt(),
                Duration.between(caller.startedAt(), Instant.now()).toNanos() / 1_000,
                caller.agency(), caller.system(), caller.clientId(),
                channel == null ? null : recipientAgency, channel == null ? null : recipientSystem,
                channel == null ? null : channel.code(),
                "POST", code.status(), code.outcome(), code.code(), requestBytes, 0, "exchange", null, null,
                caller.purpose(), caller.subjectDigest());
        return KafkaWrites.acknowledged(() -> kafka.send(Topics.TRANSACTIONS, event.transactionId(), json.writeValueAsBytes(event)))
                .subscribeOn(Schedulers.boundedElastic())
                .doOnError(error -> log.warn("Transaction event {} not acknowledged: {}", event.transactionId(), error.toString()))
                .onErrorComplete()
                .then();
    }
}
