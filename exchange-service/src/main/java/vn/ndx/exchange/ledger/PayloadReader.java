package vn.ndx.exchange.ledger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import vn.ndx.contract.Headers;
import vn.ndx.contract.Topics;
import vn.ndx.exchange.KafkaLoop;

/**
 * Reads back from the records topic the payloads of records handed out that the {@link PayloadCache} no
 * longer holds: the records of a recipient that fell behind. One consumer, on a thread of its own (a
 * Kafka consumer serves one thread), seeks to each record's offset; records close together in a
 * partition are read in one fetch.
 */
@Component
public class PayloadReader implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PayloadReader.class);
    /** Past this many offsets between two wanted records a seek is cheaper than reading what lies between. */
    private static final long READ_THROUGH = 500;
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final KafkaProperties kafkaProperties;
    private final Scheduler thread = Schedulers.newSingle("payload-reader", true);
    private @Nullable KafkaConsumer<String, byte[]> consumer;

    PayloadReader(KafkaProperties kafkaProperties) {
        this.kafkaProperties = kafkaProperties;
    }

    /** Kafka did not answer in time; the records stay in their inbox. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    /**
     * The records with their payloads, in the order given. A record Kafka no longer holds (deleted by the
     * topic's retention, which outlasts every channel's) is left out and logged.
     */
    public Mono<List<Taken>> withPayloads(List<Taken> taken) {
        if (taken.stream().allMatch(t -> t.payload() != null)) {
            return Mono.just(taken);
        }
        return Mono.fromCallable(() -> read(taken)).subscribeOn(thread)
                .publishOn(Schedulers.parallel()); // the reader's one thread only reads
    }

    private List<Taken> read(List<Taken> taken) {
        Map<Integer, TreeMap<Long, InboxRecord>> wanted = new HashMap<>();
        taken.stream().filter(t -> t.payload() == null).map(Taken::record)
                .forEach(record -> wanted.computeIfAbsent(record.partition(), p -> new TreeMap<>()).put(record.offset(), record));
        Map<String, byte[]> read = new HashMap<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        wanted.forEach((partition, records) -> readPartition(new TopicPartition(Topics.RECORDS, partition), records, read, deadline));
        var result = new ArrayList<Taken>(taken.size());
        for (Taken t : taken) {
            byte[] payload = t.payload() != null ? t.payload() : read.get(t.record().transactionId());
            if (payload != null) {
                result.add(t.withPayload(payload));
            }
        }
        return result;
    }

    private void readPartition(TopicPartition partition, TreeMap<Long, InboxRecord> records, Map<String, byte[]> read, long deadline) {
        KafkaConsumer<String, byte[]> kafka = consumer();
        kafka.assign(List.of(partition));
        kafka.seek(partition, records.firstKey());
        while (!records.isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                consumer = null;
                kafka.close(); // a fresh consumer for the next read, not one left mid-fetch
                throw new Unavailable("Payloads not read from Kafka within " + PATIENCE.toSeconds() + " s");
            }
            for (ConsumerRecord<String, byte[]> record : kafka.poll(Duration.ofMillis(200)).records(partition)) {
                InboxRecord expected = records.remove(record.offset());
                if (expected != null && expected.transactionId().equals(idOf(record))) {
                    read.put(expected.transactionId(), record.value());
                } else if (expected != null) {
                    log.error("Offset {} of {} holds another record than {}", record.offset(), partition, expected.transactionId());
                }
            }
            long position = kafka.position(partition);
            var passed = records.headMap(position);
            if (!passed.isEmpty()) { // read past without finding them: no longer in the log
                passed.values().forEach(gone -> log.error("Record {} is no longer in {}", gone.transactionId(), partition));
                passed.clear();
            }
            if (!records.isEmpty() && records.firstKey() - position > READ_THROUGH) {
                kafka.seek(partition, records.firstKey());
            }
        }
    }

    private static @Nullable String idOf(ConsumerRecord<String, byte[]> record) {
        Header id = record.headers().lastHeader(Headers.TRANSACTION_ID);
        return id == null ? null : new String(id.value(), StandardCharsets.UTF_8);
    }

    private KafkaConsumer<String, byte[]> consumer() {
        if (consumer == null) {
            Map<String, Object> properties = KafkaLoop.consumerProperties(kafkaProperties, "exchange-payload-reader");
            properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"); // an offset gone: read on, and say so
            consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
        }
        return consumer;
    }

    @Override
    public void destroy() {
        try {
            Mono.fromRunnable(() -> {
                if (consumer != null) {
                    consumer.close();
                }
            }).subscribeOn(thread).block(Duration.ofSeconds(5));
        } finally {
            thread.dispose();
        }
    }
}
