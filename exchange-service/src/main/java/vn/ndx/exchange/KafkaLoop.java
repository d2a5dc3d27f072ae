package vn.ndx.exchange;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;

/**
 * A Kafka consumer on a thread of its own for as long as the application runs: a new consumer after a
 * failure, and a prompt stop ({@code wakeup()} is the one call a consumer takes from another thread).
 */
public abstract class KafkaLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KafkaLoop.class);

    /** Long enough for what a loop keeps at its stop (the inbox feeder's snapshot), short of Spring's 30 s per phase. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(20);

    private final String name;
    private final KafkaProperties kafkaProperties;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    protected KafkaLoop(String name, KafkaProperties kafkaProperties) {
        this.name = name;
        this.kafkaProperties = kafkaProperties;
    }

    /** Reads until the application stops; called again with a new consumer after a failure. */
    protected abstract void consume(KafkaConsumer<String, byte[]> kafka);

    /** Settings of this loop's consumer beyond the shared ones (a group, for one). */
    protected void configure(Map<String, Object> properties) {
    }

    /** The consumer is gone, after a failure or at the stop. */
    protected void disconnected() {
    }

    /**
     * A consumer's settings: the application's, without a group (each instance reads for itself unless
     * configured otherwise), committed data only, nothing committed automatically.
     */
    public static Map<String, Object> consumerProperties(KafkaProperties kafkaProperties, String clientId) {
        Map<String, Object> properties = new HashMap<>(kafkaProperties.buildConsumerProperties());
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-" + UUID.randomUUID());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return properties;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        var current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(STOP_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        while (running) {
            Map<String, Object> properties = consumerProperties(kafkaProperties, "exchange-" + name);
            configure(properties);
            try (var kafka = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer = kafka;
                consume(kafka);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("{} interrupted, reconnecting: {}", name, e.toString());
                sleep();
            } finally {
                disconnected();
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
