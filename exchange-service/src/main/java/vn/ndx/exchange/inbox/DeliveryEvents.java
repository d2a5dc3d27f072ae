package vn.ndx.exchange.inbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.Headers;
import vn.ndx.contract.Topics;
import vn.ndx.exchange.KafkaWrites;
import vn.ndx.exchange.status.RecordStates;
import vn.ndx.exchange.status.RecordStatus;
import vn.ndx.exchange.status.State;

/**
 * Every change of a record's delivery state, whoever makes it (a pull, an acknowledgement, a push, a
 * redrive): written to the record status topic, from which every exchange instance rebuilds its inboxes
 * and states, and applied here at once so this instance does not wait to read its own change back.
 */
@Component
public class DeliveryEvents {

    private static final Logger log = LoggerFactory.getLogger(DeliveryEvents.class);

    private final InboxIndex index;
    private final RecordStates states;
    private final KafkaTemplate<String, byte[]> kafka;
    private final JsonMapper json;
    private final Timer delivery;

    DeliveryEvents(InboxIndex index, RecordStates states, KafkaTemplate<String, byte[]> kafka, JsonMapper json, MeterRegistry meters) {
        this.index = index;
        this.states = states;
        this.kafka = kafka;
        this.json = json;
        // fixed buckets from a fraction of a second (a recipient long polling) to days (one that was down)
        this.delivery = Timer.builder("ndx.exchange.delivery")
                .description("From a record's acceptance to its acknowledgement by its recipient, pulled or pushed")
                .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5),
                        Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1),
                        Duration.ofHours(4), Duration.ofDays(1), Duration.ofDays(3), Duration.ofDays(7))
                .register(meters);
    }

    /** Records handed out; stored without holding up the hand-over: a lost DELIVERED loses no record. */
    void delivered(List<InboxIndex.Taken> taken) {
        if (taken.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        var changes = taken.stream().map(t -> new RecordStatus(t.record().transactionId(), State.DELIVERED, now, t.delivery(), null,
                t.invisibleUntil())).toList();
        changes.forEach(states::changed);
        Flux.fromIterable(changes)
                .flatMap(change -> KafkaWrites.acknowledged(() -> kafka.send(statusRecord(change))))
                .subscribeOn(Schedulers.boundedElastic()) // send() may block while the broker is unknown
                .subscribe(sent -> { }, error -> log.warn("Delivery status not stored: {}", error.toString()));
    }

    /**
     * Completes once Kafka holds every acknowledgement; only then are the records gone from the inbox. Each
     * is timed from its record's acceptance, by the instance that stored it: once per record.
     */
    Mono<Long> acknowledged(List<String> transactionIds) {
        return stored(transactionIds, State.ACKNOWLEDGED, id -> {
            RecordStates.View view = states.get(id);
            if (view != null && view.state() != State.ACKNOWLEDGED) {
                delivery.record(Duration.between(view.acceptedAt(), Instant.now()));
            }
            index.acknowledgedHere(id);
        });
    }

    /** A pushed record its recipient kept refusing leaves the inbox for the dead letters, once Kafka holds that. */
    Mono<Void> deadLettered(InboxIndex.Taken taken, String error) {
        var change = new RecordStatus(taken.record().transactionId(), State.DEAD_LETTERED, Instant.now(), taken.delivery(), error);
        return KafkaWrites.acknowledged(() -> kafka.send(statusRecord(change)))
                .subscribeOn(Schedulers.boundedElastic())
                .doOnNext(sent -> {
                    index.deadLettered(change.transactionId());
                    states.changed(change);
                })
                .then();
    }

    /** Dead letters sent back into delivery, once Kafka holds that. */
    Mono<Long> redriven(List<String> transactionIds) {
        return stored(transactionIds, State.REDRIVEN, index::redriven);
    }

    /**
     * A record past its retention, once Kafka holds that. Not applied here: every instance, this one too,
     * drops the record when it reads the change back, so two instances expiring it change nothing twice.
     */
    Mono<Void> expired(RecordStatus expiry) {
        return KafkaWrites.acknowledged(() -> kafka.send(statusRecord(expiry))).then();
    }

    /** One state change per record, applied here as each is stored (before this instance reads it back). */
    private Mono<Long> stored(List<String> transactionIds, State state, Consumer<String> apply) {
        Instant now = Instant.now();
        return Flux.fromIterable(transactionIds)
                .flatMap(id -> KafkaWrites.acknowledged(() -> kafka.send(statusRecord(new RecordStatus(id, state, now)))).thenReturn(id))
                .subscribeOn(Schedulers.boundedElastic()) // send() may block while the broker is unknown
                .doOnNext(id -> {
                    apply.accept(id);
                    states.changed(new RecordStatus(id, state, now));
                })
                .count();
    }

    private ProducerRecord<String, byte[]> statusRecord(RecordStatus status) {
        var record = new ProducerRecord<String, byte[]>(Topics.RECORD_STATUS, status.transactionId(), json.writeValueAsBytes(status));
        record.headers().add(Headers.TRANSACTION_ID, status.transactionId().getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
