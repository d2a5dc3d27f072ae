package vn.ndx.exchange.inbox;

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
import vn.ndx.exchange.KafkaWrites;

/**
 * Which secrets sign each push channel's records. A channel starts at generation 0; its recipient may
 * rotate it, to a new generation whose secret {@link PushSigner} derives from the exchange's key. Only
 * the generation is stored, on the compacted topic {@value Topics#PUSH_SECRETS} that every exchange
 * instance reads whole, so a rotation holds across restarts and instances and no secret travels through
 * Kafka. For a grace period the recipient chooses, the previous secret signs too: a recipient running
 * several receivers can give them the new secret one by one, or end the old one at once after a leak.
 */
@Component
public class PushSecrets extends KafkaLoop {

    private static final Logger log = LoggerFactory.getLogger(PushSecrets.class);
    private static final TopicPartition PARTITION = new TopicPartition(Topics.PUSH_SECRETS, 0);

    /** A channel's current generation, and until when the one before it also signs. */
    record Generation(long number, @Nullable Instant previousUntil) {
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

    /** Whether every rotation stored before this instance started has been read: until then nothing is signed. */
    public boolean current() {
        return current;
    }

    /** The secret the channel's records are signed with now. */
    public String secret(InboxKey inbox) {
        return signer.secretFor(inbox.agency(), inbox.system(), inbox.channel(), generation(inbox).number());
    }

    /** The secrets a push is signed with at {@code now}: the current one, then the previous one during its grace. */
    List<String> signingSecrets(InboxKey inbox, Instant now) {
        Generation generation = generation(inbox);
        var secrets = new ArrayList<String>(2);
        secrets.add(signer.secretFor(inbox.agency(), inbox.system(), inbox.channel(), generation.number()));
        if (generation.number() > 0 && generation.previousUntil() != null && now.isBefore(generation.previousUntil())) {
            secrets.add(signer.secretFor(inbox.agency(), inbox.system(), inbox.channel(), generation.number() - 1));
        }
        return secrets;
    }

    /** Moves the channel to a new secret once Kafka holds the new generation; the previous one signs {@code keepPrevious} more. */
    Mono<Generation> rotate(InboxKey inbox, Duration keepPrevious) {
        Generation next = new Generation(generation(inbox).number() + 1, Instant.now().plus(keepPrevious));
        String key = key(inbox);
        byte[] value = json.writeValueAsBytes(next);
        return KafkaWrites.acknowledged(() -> kafka.send(new ProducerRecord<>(Topics.PUSH_SECRETS, key, value)))
                .then(Mono.fromSupplier(() -> {
                    apply(key, next);
                    log.info("Push secret of {} rotated to generation {}", key, next.number());
                    return next;
                }));
    }

    Generation generation(InboxKey inbox) {
        return generations.getOrDefault(key(inbox), new Generation(0, null));
    }

    @Override
    void consume(KafkaConsumer<String, byte[]> consumer) {
        consumer.assign(List.of(PARTITION));
        consumer.seekToBeginning(List.of(PARTITION));
        long end = consumer.endOffsets(List.of(PARTITION)).get(PARTITION);
        while (isRunning()) {
            for (var record : consumer.poll(Duration.ofSeconds(1))) {
                if (record.value() == null) {
                    continue;
                }
                try {
                    apply(record.key(), json.readValue(record.value(), Generation.class));
                } catch (RuntimeException e) {
                    log.warn("Ignoring an unreadable push secret generation at offset {}: {}", record.offset(), e.toString());
                }
            }
            if (!current && consumer.position(PARTITION) >= end) {
                current = true;
            }
        }
    }

    private void apply(String key, Generation generation) {
        generations.merge(key, generation, (known, arrived) -> arrived.number() >= known.number() ? arrived : known);
    }

    private static String key(InboxKey inbox) {
        return inbox.address().toString();
    }
}
