package vn.ndx.exchange.record;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.Headers;
import vn.ndx.contract.Outcome;
import vn.ndx.contract.RegistrySnapshot.Service;
import vn.ndx.contract.Topics;
import vn.ndx.contract.TransactionEvent;
import vn.ndx.contract.TransactionKind;
import vn.ndx.exchange.Caller;

/**
 * Writes an accepted record to Kafka with its transaction event in a header: one write, acknowledged by
 * all in-sync replicas (acks=all, idempotent producer), so a record and its event exist together or not
 * at all. The key (sender system and channel) keeps one sender's records to one channel in order on one
 * partition; the cost is that a very busy sender-channel pair cannot spread over partitions.
 */
@Component
class RecordAcceptor {

    private final KafkaTemplate<String, byte[]> kafka;
    private final JsonMapper json;

    RecordAcceptor(KafkaTemplate<String, byte[]> kafka, JsonMapper json) {
        this.kafka = kafka;
        this.json = json;
    }

    /** Completes once the broker has acknowledged the record. */
    Mono<Void> accept(Caller caller, Service channel, String transactionId, String contentType, byte[] payload) {
        var event = new TransactionEvent(transactionId, TransactionKind.RECORD, caller.startedAt(),
                Duration.between(caller.startedAt(), Instant.now()).toNanos() / 1_000,
                caller.agency(), caller.system(), caller.clientId(),
                channel.agencyCode(), channel.systemCode(), channel.code(),
                "POST", 202, Outcome.OK, null, payload.length, 0, "exchange", sha256(payload), null);
        var record = new ProducerRecord<String, byte[]>(Topics.RECORDS, key(caller, channel), payload);
        record.headers()
                .add(Headers.TRANSACTION_EVENT, json.writeValueAsBytes(event))
                .add(Headers.CONTENT_TYPE, contentType.getBytes(StandardCharsets.UTF_8))
                .add(Headers.TRANSACTION_ID, transactionId.getBytes(StandardCharsets.UTF_8));
        // send() can block while the broker is unknown or the buffer full: never on an event loop
        return Mono.fromFuture(() -> kafka.send(record)).subscribeOn(Schedulers.boundedElastic()).then();
    }

    static String sha256(byte[] payload) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(payload));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String key(Caller caller, Service channel) {
        return caller.agency() + "/" + caller.system() + ">" + channel.agencyCode() + "/" + channel.systemCode() + "/" + channel.code();
    }
}
