package vn.ndx.contract;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import vn.ndx.contract.testing.KafkaFixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The backbone's Kafka as an insider would try it: without a certificate, with a certificate but no rights,
 * and as one part doing what only another may. The broker is secured as deploy/run's is, with the ACLs of
 * deploy/kafka/acls.
 */
class KafkaAccessTest {

    @Test
    void a_client_without_a_certificate_gets_nothing() {
        var anonymous = new HashMap<>(KafkaFixture.clientProperties(KafkaFixture.ADMIN));
        anonymous.remove("ssl.keystore.type");
        anonymous.remove("ssl.keystore.location");
        assertThatThrownBy(() -> read(anonymous, Topics.RECORDS)).isInstanceOf(AuthenticationException.class);
    }

    @Test
    void a_plaintext_client_gets_no_answer() {
        var plaintext = new HashMap<String, Object>();
        plaintext.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers());
        plaintext.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        assertThatThrownBy(() -> read(plaintext, Topics.RECORDS)).isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
    }

    @Test
    void a_certificate_without_rights_reads_no_payload_and_forges_no_snapshot() {
        assertRefused(() -> read(KafkaFixture.clientProperties(KafkaFixture.INTRUDER), Topics.RECORDS));
        assertRefused(() -> write(KafkaFixture.clientProperties(KafkaFixture.INTRUDER), Topics.REGISTRY));
    }

    @Test
    void each_part_may_do_only_what_its_role_needs() throws Exception {
        // only the registry writes the snapshot
        assertRefused(() -> write(KafkaFixture.clientProperties("gateway"), Topics.REGISTRY));
        assertRefused(() -> write(KafkaFixture.clientProperties("exchange"), Topics.REGISTRY));
        // payloads are the exchange's (and audit's, for the event on each record) alone
        assertRefused(() -> read(KafkaFixture.clientProperties("gateway"), Topics.RECORDS));
        assertRefused(() -> read(KafkaFixture.clientProperties("registry"), Topics.RECORDS));
        // only gateway and exchange write records' and transactions' events; audit only reads
        assertRefused(() -> write(KafkaFixture.clientProperties("audit"), Topics.TRANSACTIONS));
        assertRefused(() -> write(KafkaFixture.clientProperties("gateway"), Topics.RECORDS));

        // and what a part needs, it has
        write(KafkaFixture.clientProperties("gateway"), Topics.TRANSACTIONS);
        write(KafkaFixture.clientProperties("exchange"), Topics.RECORD_STATUS);
        read(KafkaFixture.clientProperties("exchange"), Topics.RECORDS);
        read(KafkaFixture.clientProperties("audit"), Topics.TRANSACTIONS);
        read(KafkaFixture.clientProperties("gateway"), Topics.REGISTRY);
    }

    @Test
    void the_acls_file_grants_only_to_the_four_parts() {
        assertThat(KafkaFixture.acls()).isNotEmpty().allSatisfy(binding ->
                assertThat(binding.entry().principal()).isIn("User:registry", "User:gateway", "User:exchange", "User:audit"));
    }

    /** The broker refused it for want of a right: somewhere in its causes is Kafka's authorization error. */
    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).satisfies(thrown -> {
            Throwable cause = thrown;
            while (cause != null && !(cause instanceof AuthorizationException)) {
                cause = cause.getCause();
            }
            assertThat(cause).as("an authorization error in " + thrown).isNotNull();
        });
    }

    /** Reads partition 0 of {@code topic} from its start, without a group: what a snooping client does. */
    private static void read(Map<String, Object> properties, String topic) {
        var settings = new HashMap<>(properties);
        settings.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (var consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer())) {
            var partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            consumer.position(partition);
            consumer.poll(Duration.ofMillis(500));
        }
    }

    private static void write(Map<String, Object> properties, String topic) throws InterruptedException, ExecutionException,
            java.util.concurrent.TimeoutException {
        var settings = new HashMap<>(properties);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try (var producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "probe", new byte[] {'{', '}'})).get(20, TimeUnit.SECONDS);
        }
    }
}
