package vn.ndx.exchange.push;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.Topics;
import vn.ndx.exchange.KafkaLoop;
import vn.ndx.exchange.KafkaWrites;
import vn.ndx.exchange.ledger.InboxKey;

/**
 * Which secrets sign each push channel's records. A channel starts at generation 0; its recipient may
 * rotate it, and the rotation's place on the compacted topic {@value Topics#PUSH_SECRETS} (its offset, plus
 * one) is the new generation, whose secret {@link PushSigner} derives from the exchange's key. So every
 * rotation gets a secret of its own, even two made at once through two instances; the newest rotation is
 * the one every instance holds and the one compaction keeps; and no secret is stored or travels through
 * Kafka. Every exchange instance reads the topic whole. For a grace period the recipient chooses, the
 * previous secret signs too: a recipient running several receivers can give them the new secret one by
 * one, or end the old one at once after a leak.
 */
@Component
public class PushSecrets extends KafkaLoop {

    private static final Logger log = LoggerFactory.getLogger(PushSecrets.class);
    private static final TopicPartition PARTITION = new TopicPartition(Topics.PUSH_SECRETS, 0);

    /** A channel's current generation, the one before it, and until when that one also signs. */
    record Generation(long number, long previous, @Nullable Instant previousUntil) {
    }

    /** What a rotation stores: the generation it replaces, and until when that one still signs. */
    private record Rotation(long previous, @Nullable Instant previousUntil) {
    }

    private final PushSigner signer;
    private final KafkaTemplate<String, byte[]> kafka;
    private final JsonMapper json;
    private final Map<String, Generation> generations = new ConcurrentHashMap<>();
    private volatile boolean current;

    PushSecrets(KafkaProperties kafkaProperties, PushSigner signer, KafkaTemplate<String, byte[]> kafka, JsonMapper json) {
        super("push-secrets", kafkaProperties);
        this.signer = signer;
        this.kafka = kafka;
        this.json = json;
    }

    /** Whether every rotation stored before this instance started has been read: until then no secret is given or used. */
    public boolean current() {
        return current;
    }

    /** The secret of this generation of the channel. */
    String secret(InboxKey inbox, long generation) {
        return signer.secretFor(inbox.agency(), inbox.system(), inbox.channel(), generation);
    }

    /** The secrets a push is signed with at {@code now}: the current one, then the previous one during its grace. */
    List<String> signingSecrets(InboxKey inbox, Instant now) {
        Generation generation = generation(inbox);
        var secrets = new ArrayList<String>(2);
        secrets.add(secret(inbox, generation.number()));
        if (generation.number() > 0 && generation.previousUntil() != null && now.isBefore(generation.previousUntil())) {
            secrets.add(secret(inbox, generation.previous()));
        }
        return secrets;
    }

    /** Moves the channel to a new secret once Kafka holds the rotation; the previous one signs {@code keepPrevious} more. */
    Mono<Generation> rotate(InboxKey inbox, Duration keepPrevious) {
        long previous = generation(inbox).number();
        Instant previousUntil = Instant.now().plus(keepPrevious);
        String key = inbox.address().toString();
        byte[] value = json.writeValueAsBytes(new Rotation(previous, previousUntil));
        // partition 0 named: the readers read that partition only, whatever the topic was made with
        return KafkaWrites.acknowledged(() -> kafka.send(new ProducerRecord<>(Topics.PUSH_SECRETS, 0, key, value)))
                .map(sent -> {
                    var next = new Generation(sent.getRecordMetadata().offset() + 1, previous, previousUntil);
                    apply(key, next);
                    log.info("Push secret of {} rotated to generation {}", key, next.number());
                    return generation(inbox);
                });
    }

    Generation generation(InboxKey inbox) {
        return generations.getOrDefault(inbox.address().toString(), new Generation(0, 0, null));
    }

    @Override
    protected void consume(KafkaConsumer<String, byte[]> consumer) {
        consumer.assign(List.of(PARTITION));
        consumer.seekToBeginning(List.of(PARTITION));
        long end = consumer.endOffsets(List.of(PARTITION)).get(PARTITION);
        while (isRunning()) {
            for (var record : consumer.poll(Duration.ofSeconds(1))) {
                if (record.value() == null || record.key() == null) {
                    continue;
                }
                try {
                    Rotation rotation = json.readValue(record.value(), Rotation.class);
                    apply(record.key(), new Generation(record.offset() + 1, rotation.previous(), rotation.previousUntil()));
                } catch (RuntimeException e) {
                    log.warn("Ignoring an unreadable push secret rotation at offset {}: {}", record.offset(), e.toString());
                }
            }
            if (!current && consumer.position(PARTITION) >= end) {
                current = true;
            }
        }
    }

    /** The rotation placed later on the topic wins, here as in compaction, whichever is read or made first. */
    private void apply(String key, Generation generation) {
        generations.merge(key, generation, (known, arrived) -> arrived.number() > known.number() ? arrived : known);
    }
}
