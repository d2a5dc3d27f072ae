package vn.ndx.registry.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.RegistryChange;
import vn.ndx.contract.RegistrySignatures;
import vn.ndx.contract.RegistrySnapshot;
import vn.ndx.contract.Topics;
import vn.ndx.registry.RegistryProperties;
import vn.ndx.registry.model.RegistryData;

/**
 * The registry's system of record on Kafka, as Confluent Schema Registry keeps its schemas: one compacted
 * topic, one writer. Every version of the registry, the data plane's snapshot of it and the change events
 * are written in one Kafka transaction, so readers never see a snapshot whose state was not stored. The
 * fixed transactional id makes the writer single: a second registry instance fences the first.
 */
@Component
class RegistryLog implements DisposableBean {

    static final String KEY = "registry";
    private static final String TRANSACTIONAL_ID = "ndx-registry-writer";

    private static final Logger log = LoggerFactory.getLogger(RegistryLog.class);

    private final KafkaProperties kafka;
    private final JsonMapper json;
    private final RegistrySignatures.Signer signer;
    private KafkaProducer<String, byte[]> producer;

    RegistryLog(KafkaProperties kafka, JsonMapper json, RegistryProperties properties) {
        this.kafka = kafka;
        this.json = json;
        RegistryProperties.SnapshotSigning signing = properties.snapshotSigning();
        this.signer = RegistrySignatures.Signer.fromKeyFiles(signing.keyFile(), signing.previousKeyFile());
        log.info("Signing registry snapshots with key {}{}", signer.keyId(),
                signer.endorsement() == null ? "" : ", endorsed by the previous key");
        this.producer = openProducer();
    }

    /** The data plane's snapshot as a record: its exact bytes signed, so readers can tell it from a forgery. */
    private ProducerRecord<String, byte[]> signedSnapshot(RegistrySnapshot snapshot) {
        byte[] value = json.writeValueAsBytes(snapshot);
        var record = new ProducerRecord<>(Topics.REGISTRY, KEY, value);
        record.headers().add(RegistrySignatures.SIGNATURE_HEADER, signer.sign(value).getBytes(StandardCharsets.US_ASCII));
        if (signer.endorsement() != null) {
            record.headers().add(RegistrySignatures.ENDORSEMENT_HEADER, signer.endorsement().getBytes(StandardCharsets.US_ASCII));
        }
        return record;
    }

    private KafkaProducer<String, byte[]> openProducer() {
        Map<String, Object> properties = new HashMap<>(kafka.buildProducerProperties());
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        var opened = new KafkaProducer<String, byte[]>(properties, new StringSerializer(), new ByteArraySerializer());
        opened.initTransactions();
        return opened;
    }

    /** The newest stored registry, or empty on a fresh cluster. */
    Optional<RegistryData> readLatest() {
        Map<String, Object> properties = new HashMap<>(kafka.buildConsumerProperties());
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "registry-state-reader-" + UUID.randomUUID());
        try (var consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
            var partition = new TopicPartition(Topics.REGISTRY_STATE, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            byte[] latest = null;
            while (consumer.position(partition) < end) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    latest = record.value();
                }
            }
            // lenient: a newer registry may have stored fields this one does not know yet
            return latest == null ? Optional.empty() : Optional.of(json.readerFor(RegistryData.class)
                    .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(latest));
        }
    }

    /** Stores a new version with its snapshot and change events; returns once Kafka committed them all. */
    synchronized void write(RegistryData state, RegistrySnapshot snapshot, List<RegistryChange> changes) {
        try {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(Topics.REGISTRY_STATE, KEY, json.writeValueAsBytes(state)));
            producer.send(signedSnapshot(snapshot));
            for (RegistryChange change : changes) {
                producer.send(new ProducerRecord<>(Topics.REGISTRY_CHANGES, change.entity(), json.writeValueAsBytes(change)));
            }
            producer.commitTransaction();
        } catch (KafkaException | IllegalStateException e) {
            abort();
            throw new IllegalStateException("The registry change was not stored: " + e.getMessage(), e);
        }
    }

    /** Publishes the data plane's snapshot again: heals a topic that lost it, and makes grant validity boundaries effective. */
    synchronized void republish(RegistrySnapshot snapshot) {
        try {
            producer.beginTransaction();
            producer.send(signedSnapshot(snapshot));
            producer.commitTransaction();
        } catch (KafkaException | IllegalStateException e) {
            abort();
            throw e;
        }
    }

    /**
     * Ends a failed transaction. A producer Kafka has fenced or put in a fatal state (seen after a broker
     * restart outlived the transaction timeout) can never write again: it is replaced by a new one, whose
     * initialisation also completes or aborts whatever the old one left open. Without this the registry
     * would stay healthy while refusing every change and republishing nothing.
     */
    private void abort() {
        try {
            producer.abortTransaction();
            return;
        } catch (KafkaException | IllegalStateException broken) {
            log.warn("The registry's Kafka producer cannot continue ({}); opening a new one", broken.toString());
        }
        producer.close(Duration.ZERO);
        try {
            producer = openProducer();
        } catch (KafkaException e) {
            // Kafka unreachable now: the next change or republish tries again
            log.warn("No new registry producer yet: {}", e.toString());
        }
    }

    @Override
    public void destroy() {
        producer.close(Duration.ofSeconds(5));
    }
}
