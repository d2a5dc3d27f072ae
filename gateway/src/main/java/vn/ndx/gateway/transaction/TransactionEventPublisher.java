package vn.ndx.gateway.transaction;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.Topics;
import vn.ndx.contract.TransactionEvent;
import vn.ndx.gateway.GatewayProperties;
import vn.ndx.gateway.call.Transaction;

/**
 * Sends transaction events to Kafka off the event loop. {@code KafkaProducer.send} blocks while the broker
 * is unknown or its buffer is full; a bounded queue and one sender thread keep that away from request
 * threads. When even the queue is full the event is dropped and counted, so an operator sees it.
 */
@Component
class TransactionEventPublisher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(TransactionEventPublisher.class);

    private final KafkaTemplate<String, byte[]> kafka;
    private final JsonMapper json;
    private final ThreadPoolExecutor sender;
    private final Counter dropped;
    private final Counter failed;

    TransactionEventPublisher(KafkaTemplate<String, byte[]> kafka, JsonMapper json, GatewayProperties properties,
                              MeterRegistry meters) {
        this.kafka = kafka;
        this.json = json;
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(properties.events().queueCapacity()),
                runnable -> new Thread(runnable, "transaction-events"));
        this.dropped = Counter.builder("ndx.gateway.events.dropped")
                .description("Transaction events dropped because the sending queue was full").register(meters);
        this.failed = Counter.builder("ndx.gateway.events.failed")
                .description("Transaction events Kafka did not acknowledge").register(meters);
    }

    /**
     * Without a key: the producer fills one partition's batch at a time (its sticky partitioner), so each
     * linger gathers the events into one batch instead of one per partition. Keyed by transaction id they
     * spread over all twelve, a batch of one or two events each, and the broker, and audit's reading, paid
     * per batch. Nothing needs an event's partition: audit absorbs duplicates by transaction id wherever they land.
     */
    void publish(TransactionEvent event) {
        byte[] value = json.writeValueAsBytes(event);
        try {
            sender.execute(() -> kafka.send(Topics.TRANSACTIONS, value)
                    .whenComplete((result, error) -> {
                        if (error != null) {
                            failed.increment();
                            log.warn("Transaction event {} not acknowledged: {}", event.transactionId(), error.toString());
                        }
                    }));
        } catch (RejectedExecutionException e) {
            dropped.increment();
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        sender.shutdown();
        sender.awaitTermination(5, TimeUnit.SECONDS);
        kafka.flush();
    }
}
