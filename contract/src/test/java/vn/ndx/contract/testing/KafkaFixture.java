package vn.ndx.contract.testing;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The one real Kafka broker every test in a JVM shares: a Testcontainers broker where a Docker engine
 * runs, otherwise an in-JVM KRaft broker. Both are real brokers; the same tests run on either, and the
 * test output names the one that ran. Started once per JVM, stopped at JVM exit.
 */
public final class KafkaFixture {

    private static final String KAFKA_IMAGE = "apache/kafka:4.1.2";
    private static volatile String bootstrapServers;

    private KafkaFixture() {
    }

    /** Bootstrap servers of the shared broker, starting it on first use. */
    public static String bootstrapServers() {
        if (bootstrapServers == null) {
            synchronized (KafkaFixture.class) {
                if (bootstrapServers == null) {
                    bootstrapServers = start();
                }
            }
        }
        return bootstrapServers;
    }

    private static String start() {
        if (dockerAvailable()) {
            var container = new KafkaContainer(KAFKA_IMAGE);
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            System.out.println("[kafka-fixture] Testcontainers broker " + KAFKA_IMAGE + " at " + container.getBootstrapServers());
            return container.getBootstrapServers();
        }
        var broker = new EmbeddedKafkaKraftBroker(1, 3);
        broker.brokerProperties(java.util.Map.of(
                "auto.create.topics.enable", "true",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1"));
        broker.afterPropertiesSet();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy));
        System.out.println("[kafka-fixture] no Docker engine: in-JVM KRaft broker at " + broker.getBrokersAsString());
        return broker.getBrokersAsString();
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
