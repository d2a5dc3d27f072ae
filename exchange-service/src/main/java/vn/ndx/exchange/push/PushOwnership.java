package vn.ndx.exchange.push;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;
import vn.ndx.contract.Topics;
import vn.ndx.exchange.KafkaLoop;
import vn.ndx.exchange.ledger.InboxFeeder;
import vn.ndx.exchange.ledger.InboxKey;

/**
 * Which push channels this exchange instance delivers. Every instance holds every inbox, but each channel
 * must be pushed by one instance only, or its recipient would get each record once per instance and, worse,
 * out of order. The instances form a Kafka consumer group on the record status topic and a channel belongs
 * to whoever holds the partition its name hashes to: Kafka's group protocol elects the owners and moves a
 * dead instance's channels to the living ones (within the session timeout, 10 s), with no other
 * coordinator to run. The group reads nothing: its partitions are paused as soon as they are assigned.
 *
 * <p>While ownership moves, the old owner may still wait for the recipient's answer to a push. The new
 * owner holds that record back until the push's deadline, which it learns from the record's DELIVERED status
 * (a {@link vn.ndx.exchange.ledger.RecordEvent.HandedOut} in the ledger); once the answer's acknowledgement arrives, it moves on to the next record.
 * Should that status be lost or late, both push the record at the channel's head once: delivery is at least
 * once, and recipients deduplicate on the transaction id.
 */
@Component
class PushOwnership extends KafkaLoop {

    static final String GROUP = "ndx-exchange-push";
    private static final Logger log = LoggerFactory.getLogger(PushOwnership.class);

    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private final InboxFeeder feeder;
    private volatile int partitions;

    PushOwnership(KafkaProperties kafkaProperties, InboxFeeder feeder) {
        super("push-ownership", kafkaProperties);
        this.feeder = feeder;
    }

    /** Whether this instance pushes this channel now. */
    boolean owns(InboxKey inbox) {
        int count = partitions;
        if (count == 0) {
            return false;
        }
        byte[] name = inbox.address().toString().getBytes(StandardCharsets.UTF_8);
        return owned.contains(Utils.toPositive(Utils.murmur2(name)) % count);
    }

    @Override
    protected void configure(Map<String, Object> properties) {
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        // a dead instance's channels move after 10 s; a living one polls every second
        properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        properties.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 30_000);
    }

    @Override
    protected void consume(KafkaConsumer<String, byte[]> kafka) {
        // a rebuilding index shows records acknowledged or in flight elsewhere as waiting: an instance joins
        // only once it is rebuilt, and meanwhile the others go on pushing every channel
        while (isRunning() && !feeder.caughtUp()) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        var infos = kafka.partitionsFor(Topics.RECORD_STATUS, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("Topic " + Topics.RECORD_STATUS + " does not exist yet");
        }
        partitions = infos.size();
        kafka.subscribe(List.of(Topics.RECORD_STATUS), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
                kafka.pause(assigned);
                assigned.forEach(partition -> owned.add(partition.partition()));
                log.info("Pushing the channels of partitions {}", owned);
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
                revoked.forEach(partition -> owned.remove(partition.partition()));
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> lost) {
                onPartitionsRevoked(lost);
            }
        });
        while (isRunning()) {
            kafka.poll(Duration.ofSeconds(1)); // keeps the membership; paused partitions return nothing
        }
    }

    @Override
    protected void disconnected() {
        owned.clear();
    }
}
