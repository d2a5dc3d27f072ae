package vn.ndx.exchange.ledger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
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

/**
 * Every change of a record's delivery state made here (a pull, an acknowledgement, a push, a redrive):
 * written to the record status topic, from which every exchange instance rebuilds its ledger, and applied to
 * this instance's {@link RecordLedger} once Kafka holds it, so this instance does not wait to read its own
 * change back. Reading it back later changes nothing: the ledger applies every event idempotently.
 */
@Component
public class DeliveryEvents {

    private static final Logger log = LoggerFactory.getLogger(DeliveryEvents.class);

    private final RecordLedger ledger;
    private final KafkaTemplate<String, byte[]> kafka;
    private final JsonMapper json;
    private final Timer delivery;

    DeliveryEvents(RecordLedger ledger, KafkaTemplate<String, byte[]> kafka, JsonMapper json, MeterRegistry meters) {
        this.ledger = ledger;
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

    /**
     * Records handed out (taken from the ledger already, with their lease): applied at once and stored without
     * holding up the hand-over, as a lost hand-out loses no record.
     */
    public void delivered(List<Taken> taken) {
        if (taken.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        var events = taken.stream()
                .map(t -> new RecordEvent.HandedOut(t.record().transactionId(), t.delivery(), now, t.invisibleUntil())).toList();
        events.forEach(ledger::apply);
        Flux.fromIterable(events)
                .flatMap(event -> KafkaWrites.acknowledged(() -> kafka.send(statusRecord(event))))
                .subscribeOn(Schedulers.boundedElastic()) // send() may block while the broker is unknown
                .subscribe(sent -> { }, error -> log.warn("Delivery status not stored: {}", error.toString()));
    }

    /**
     * Completes once Kafka holds every acknowledgement; only then are the records gone from the inbox. Each
     * is timed from its record's acceptance, by the instance that stored it: once per record.
     */
    public Mono<Long> acknowledged(List<String> transactionIds) {
        Instant now = Instant.now();
        return stored(transactionIds.stream().<RecordEvent>map(id -> new RecordEvent.Acknowledged(id, now)).toList(), event -> {
            RecordStates.View view = ledger.view(event.transactionId());
            if (view != null && view.state() != State.ACKNOWLEDGED) {
                delivery.record(Duration.between(view.acceptedAt(), Instant.now()));
            }
        });
    }

    /** A pushed record its recipient kept refusing leaves the inbox for the dead letters, once Kafka holds that. */
    public Mono<Void> deadLettered(Taken taken, String error) {
        var event = new RecordEvent.DeadLettered(taken.record().transactionId(), taken.delivery(), error, Instant.now());
        return stored(List.of(event), stored -> { }).then();
    }

    /** Dead letters sent back into delivery, once Kafka holds that. */
    public Mono<Long> redriven(List<String> transactionIds) {
        Instant now = Instant.now();
        return stored(transactionIds.stream().<RecordEvent>map(id -> new RecordEvent.Redriven(id, now)).toList(), event -> { });
    }

    /**
     * A record past its retention, once Kafka holds that. Not applied here: every instance, this one too,
     * drops the record when it reads the change back, so two instances expiring it change nothing twice.
     */
    public Mono<Void> expired(RecordStatus expiry) {
        return KafkaWrites.acknowledged(() -> kafka.send(statusRecord(expiry))).then();
    }

    /** Each event applied here as Kafka acknowledges it (before this instance reads it back), after {@code before}. */
    private Mono<Long> stored(List<RecordEvent> events, Consumer<RecordEvent> before) {
        return Flux.fromIterable(events)
                .flatMap(event -> KafkaWrites.acknowledged(() -> kafka.send(statusRecord(event))).thenReturn(event))
                .subscribeOn(Schedulers.boundedElastic()) // send() may block while the broker is unknown
                .doOnNext(event -> {
                    before.accept(event);
                    ledger.apply(event);
                })
                .count();
    }

    private ProducerRecord<String, byte[]> statusRecord(RecordEvent event) {
        return statusRecord(Objects.requireNonNull(event.status(), "an acceptance is the record itself"));
    }

    private ProducerRecord<String, byte[]> statusRecord(RecordStatus status) {
        var record = new ProducerRecord<String, byte[]>(Topics.RECORD_STATUS, status.transactionId(), json.writeValueAsBytes(status));
        record.headers().add(Headers.TRANSACTION_ID, status.transactionId().getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
