import java.io.FileInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Fills the records topic with records already delivered, as months of traffic leave it: each record of
 * about 1 KB, with the transaction event the exchange writes beside it, from one of 34 provinces' portals to
 * another's, followed by its recipient's acknowledgement on the status topic. Written straight to Kafka (as
 * the platform's administrator) because the gateway would take an hour for ten million; what an exchange reads
 * at start is the same. Audit counts them as the record transactions they are.
 *
 * <p>Run by {@code deploy/bench restart}: {@code java -cp "kafka/libs/*" FillRecords.java bootstrap
 * admin.properties count}.
 */
public class FillRecords {

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        long count = Long.parseLong(args[2]);
        var properties = new Properties();
        try (var in = new FileInputStream(args[1])) {
            properties.load(in);
        }
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        properties.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024);
        byte[] payload = ("{\"registrationNumber\":\"0312345678\",\"filler\":\"" + "x".repeat(960) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        var failure = new AtomicReference<Exception>();
        var written = new AtomicLong();
        long started = System.nanoTime();
        try (var producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < count && failure.get() == null; i++) {
                String sender = String.format("000.00.00.H%02d", 10 + i % 34);
                String recipient = String.format("000.00.00.H%02d", 10 + (i / 34 + i) % 34);
                String id = UUID.randomUUID().toString();
                Instant now = Instant.now();
                String event = "{\"transactionId\":\"" + id + "\",\"kind\":\"RECORD\",\"startedAt\":\"" + now
                        + "\",\"durationMicros\":1800,\"consumerAgency\":\"" + sender + "\",\"consumerSystem\":\"one-stop-portal\","
                        + "\"clientId\":\"portal\",\"providerAgency\":\"" + recipient + "\",\"providerSystem\":\"one-stop-portal\","
                        + "\"service\":\"business-registration\",\"method\":\"POST\",\"status\":202,\"outcome\":\"OK\","
                        + "\"problemCode\":null,\"requestBytes\":" + payload.length + ",\"responseBytes\":0,\"emitter\":\"exchange\","
                        + "\"requestDigest\":null,\"responseDigest\":null}";
                var record = new ProducerRecord<String, byte[]>("ndx.records",
                        sender + "/one-stop-portal>" + recipient + "/one-stop-portal/business-registration", payload);
                record.headers().add("ndx-transaction-event", event.getBytes(StandardCharsets.UTF_8))
                        .add("content-type", "application/json".getBytes(StandardCharsets.UTF_8))
                        .add("X-Transaction-Id", id.getBytes(StandardCharsets.UTF_8));
                producer.send(record, (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
                String status = "{\"transactionId\":\"" + id + "\",\"status\":\"ACKNOWLEDGED\",\"at\":\"" + now.plusMillis(900) + "\"}";
                var acknowledgement = new ProducerRecord<String, byte[]>("ndx.record-status", id, status.getBytes(StandardCharsets.UTF_8));
                acknowledgement.headers().add("X-Transaction-Id", id.getBytes(StandardCharsets.UTF_8));
                producer.send(acknowledgement, (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    } else {
                        written.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        System.out.printf("%d records and their acknowledgements written in %.1f s%n", written.get(),
                (System.nanoTime() - started) / 1e9);
    }
}
