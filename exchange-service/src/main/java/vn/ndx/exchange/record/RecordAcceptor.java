package vn.ndx.exchange.record;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
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
import vn.ndx.exchange.KafkaWrites;

/**
 * Writes accepted records to Kafka, each with its transaction event in a header: one write, acknowledged
 * by all in-sync replicas (acks=all, idempotent producer), so a record and its event exist together or
 * not at all. The key (sender system and channel) keeps one sender's records to one channel in order on
 * one partition; the cost is that a very busy sender-channel pair cannot spread over partitions.
 */
@Component
class RecordAcceptor {

    /** One record to store; {@code idempotencyKey} as the sender gave it, if it did. */
    record Submission(Caller caller, Service channel, String transactionId, String contentType, byte[] payload,
                      String digest, @Nullable String idempotencyKey) {
    }

    private final KafkaTemplate<String, byte[]> kafka;
    private final JsonMapper json;

    RecordAcceptor(KafkaTemplate<String, byte[]> kafka, JsonMapper json) {
        this.kafka = kafka;
        this.json = json;
    }

    /**
     * Sends all, in their order (one partition, one producer: Kafka keeps that order), and completes when
     * the broker has answered for each: null where it acknowledged, the error where it did not.
     */
    Mono<List<@Nullable Throwable>> acceptAll(List<Submission> submissions) {
        return Mono.fromCallable(() -> {
                    var sent = new ArrayList<CompletableFuture<SendResult<String, byte[]>>>(submissions.size());
                    for (Submission submission : submissions) {
                        try {
                            sent.add(kafka.send(record(submission)));
                        } catch (RuntimeException e) {
                            // this one not sent (the buffer full, the broker unknown too long); those before it are
                            sent.add(CompletableFuture.failedFuture(e));
                        }
                    }
                    return sent;
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(sent -> KafkaWrites.acknowledged(() -> CompletableFuture.allOf(sent.stream()
                                .map(future -> future.handle((result, error) -> null)).toArray(CompletableFuture[]::new)))
                        .then(Mono.fromCallable(() -> {
                            var outcomes = new ArrayList<@Nullable Throwable>(sent.size());
                            for (var future : sent) {
                                outcomes.add(future.handle((result, error) -> error).join());
                            }
                            return outcomes;
                        })));
    }

    private ProducerRecord<String, byte[]> record(Submission submission) {
        Caller caller = submission.caller();
        Service channel = submission.channel();
        var event = new TransactionEvent(submission.transactionId(), TransactionKind.RECORD, caller.startedAt(),
                Duration.between(caller.startedAt(), Instant.now()).toNanos() / 1_000,
                caller.agency(), caller.system(), caller.clientId(),
                channel.agencyCode(), channel.systemCode(), channel.code(),
                "POST", 202, Outcome.OK, null, submission.payload().length, 0, "exchange", submission.digest(), null,
                caller.purpose(), caller.subjectDigest());
        var record = new ProducerRecord<String, byte[]>(Topics.RECORDS, key(caller, channel), submission.payload());
        record.headers()
                .add(Headers.TRANSACTION_EVENT, json.writeValueAsBytes(event))
                .add(Headers.CONTENT_TYPE, submission.contentType().getBytes(StandardCharsets.UTF_8))
                .add(Headers.TRANSACTION_ID, submission.transactionId().getBytes(StandardCharsets.UTF_8));
        if (submission.idempotencyKey() != null) {
            record.headers().add(Headers.IDEMPOTENCY_KEY, submission.idempotencyKey().getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    static String sha256(byte[] payload) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(payload));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String key(Caller caller, Service channel) {
        return caller.agency() + "/" + caller.system() + ">" + channel.address();
    }
}
