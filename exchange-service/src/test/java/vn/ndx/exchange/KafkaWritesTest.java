package vn.ndx.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class KafkaWritesTest {

    @Test
    void whatFollowsAnAcknowledgementRunsOffTheThreadThatCompletedIt() throws InterruptedException {
        var write = new CompletableFuture<String>();
        var continuedOn = new AtomicReference<String>();
        var acknowledged = KafkaWrites.acknowledged(() -> write)
                .doOnNext(value -> continuedOn.set(Thread.currentThread().getName()))
                .toFuture();

        var producerThread = new Thread(() -> write.complete("stored"), "kafka-producer-network-thread | test");
        producerThread.start();
        producerThread.join();

        assertThat(acknowledged).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("stored");
        assertThat(continuedOn.get()).startsWith("parallel-");
    }

    @Test
    void aFailedWriteFailsTheMono() {
        var write = CompletableFuture.<String>failedFuture(new IllegalStateException("broker gone"));

        assertThat(KafkaWrites.acknowledged(() -> write).toFuture())
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableThat().havingRootCause().withMessage("broker gone");
    }
}
