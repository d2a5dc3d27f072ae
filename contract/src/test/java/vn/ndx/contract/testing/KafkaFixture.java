package vn.ndx.contract.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import vn.ndx.contract.Topics;

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
                    String servers = start();
                    createPlatformTopics(servers);
                    bootstrapServers = servers;
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

    /**
     * The topics as deploy/kafka/topics creates them, smaller: the registry's single partition matters
     * (its readers read partition 0), the others only need more than one to exercise keying.
     */
    private static void createPlatformTopics(String servers) {
        try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            admin.createTopics(List.of(
                    new NewTopic(Topics.REGISTRY, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                    new NewTopic(Topics.REGISTRY_STATE, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                    new NewTopic(Topics.REGISTRY_CHANGES, 3, (short) 1),
                    new NewTopic(Topics.TRANSACTIONS, 3, (short) 1),
                    new NewTopic(Topics.RECORDS, 3, (short) 1).configs(Map.of("max.message.bytes", "10485760")),
                    new NewTopic(Topics.RECORD_STATUS, 3, (short) 1))).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not create the platform's topics", e);
        }
    }

    private static boolean dockerAvailable() {
        if (System.getenv("DOCKER_HOST") == null && !java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))) {
            return false; // spares the test output Testcontainers' long search for an engine that is not there
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
