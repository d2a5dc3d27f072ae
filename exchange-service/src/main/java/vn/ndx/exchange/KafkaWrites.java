package vn.ndx.exchange;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Waiting for Kafka to acknowledge a write. The producer completes its futures on its one I/O thread, so
 * whatever follows an acknowledgement (answering the HTTP call, changing the inbox under its lock) would
 * run there and hold up every other write of this instance meanwhile: under load, a quarter of the
 * exchange's CPU samples were on that thread, most of them answering calls. Here it continues on the
 * parallel scheduler.
 */
public final class KafkaWrites {

    private KafkaWrites() {
    }

    /** Completes, off the producer's thread, when the future the write returned does. */
    public static <T> Mono<T> acknowledged(Supplier<? extends CompletableFuture<? extends T>> write) {
        return Mono.<T>fromFuture(write).publishOn(Schedulers.parallel());
    }
}
