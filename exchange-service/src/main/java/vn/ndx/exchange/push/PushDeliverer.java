package vn.ndx.exchange.push;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import vn.ndx.contract.Headers;
import vn.ndx.contract.RegistrySnapshot.Service;
import vn.ndx.web.loop.PeriodicLoop;
import vn.ndx.exchange.ExchangeProperties;
import vn.ndx.exchange.ledger.DeliveryEvents;
import vn.ndx.exchange.ledger.InboxKey;
import vn.ndx.exchange.ledger.InboxRecord;
import vn.ndx.exchange.ledger.PayloadReader;
import vn.ndx.exchange.ledger.RecordLedger;
import vn.ndx.exchange.ledger.Taken;
import vn.ndx.exchange.registry.RegistryView;

/**
 * Pushes the records of every channel registered with an address to that address, one record at a time
 * per channel and oldest first, so a recipient sees one sender's records in order. A {@code 2xx} answer
 * acknowledges the record. Anything else (another status, no connection, no answer within the channel's
 * timeout) holds the channel: the same record is tried again after a backoff that doubles each time, with
 * jitter so recipients coming back are not hit by every exchange at once; after the configured attempts
 * it becomes a dead letter and the channel moves on. A recipient down for hours loses nothing and
 * receives everything in order when it is back. With several exchange instances, each channel is pushed
 * by the one {@link PushOwnership} names.
 */
@Component
class PushDeliverer extends PeriodicLoop {

    private static final Logger log = LoggerFactory.getLogger(PushDeliverer.class);

    /** One channel's delivery: at most one push in flight, and when the next may start. */
    private static final class Lane {
        boolean busy;
        long notBeforeNanos;
    }

    private final RegistryView registry;
    private final RecordLedger ledger;
    private final PayloadReader payloads;
    private final PushOwnership ownership;
    private final DeliveryEvents events;
    private final PushSecrets secrets;
    private final ExchangeProperties.Push settings;
    private final WebClient http;
    private final PushEgress egress;
    private final MeterRegistry meters;
    private final Map<InboxKey, Lane> lanes = new ConcurrentHashMap<>();

    PushDeliverer(RegistryView registry, RecordLedger ledger, PayloadReader payloads, PushOwnership ownership, DeliveryEvents events,
                  PushSecrets secrets, ExchangeProperties properties, MeterRegistry meters, PushEgress egress) {
        super("push-deliverer", properties.push().scanInterval(), meters);
        this.egress = egress;
        this.ownership = ownership;
        this.registry = registry;
        this.ledger = ledger;
        this.payloads = payloads;
        this.events = events;
        this.secrets = secrets;
        this.settings = properties.push();
        // Reactor Netty underneath: no thread waits for a recipient; every connection's address checked (PushEgress)
        this.http = WebClient.builder().clientConnector(new ReactorClientHttpConnector(
                HttpClient.create().resolvedAddressesSelector(egress::select))).build();
        this.meters = meters;
    }

    @Override
    protected void runOnce() {
        scan();
    }

    /** On the loop thread only: lanes are never touched concurrently. */
    private void scan() {
        if (!secrets.current()) {
            return; // a rotated channel signed with its old secret would be refused by its recipient
        }
        try {
            long now = System.nanoTime();
            for (Service channel : registry.pushChannels()) {
                var inbox = new InboxKey(channel.agencyCode(), channel.systemCode(), channel.code());
                if (!ownership.owns(inbox)) {
                    continue; // another exchange instance pushes it
                }
                Lane lane = lanes.computeIfAbsent(inbox, key -> new Lane());
                if (lane.busy || lane.notBeforeNanos - now > 0) {
                    continue;
                }
                Duration timeout = channel.timeout() == null ? Duration.ofSeconds(10) : channel.timeout();
                List<Taken> taken = ledger.take(inbox, 1, timeout.multipliedBy(3).toNanos());
                if (!taken.isEmpty()) {
                    lane.busy = true;
                    String id = taken.get(0).record().transactionId();
                    payloads.withPayloads(taken).subscribe(
                            read -> {
                                if (read.isEmpty()) { // no longer in Kafka: nothing to push; retention expires it
                                    free(lane, backoff(settings.maxAttempts()).toNanos());
                                } else {
                                    push(channel, inbox, lane, read.get(0), timeout);
                                }
                            },
                            error -> { // Kafka did not answer: not the recipient's failure, try again later
                                log.warn("Payload of {} not read, its push waits: {}", id, error.toString());
                                ledger.release(id);
                                free(lane, backoff(1).toNanos());
                            });
                }
            }
        } catch (RuntimeException e) {
            log.error("Push scan failed; next scan retries", e);
        }
    }

    private void push(Service channel, InboxKey inbox, Lane lane, Taken taken, Duration timeout) {
        InboxRecord record = taken.record();
        events.delivered(List.of(taken));
        if (!egress.schemeAllowed(channel)) {
            onAnswer(inbox, lane, taken, "the push address is plain HTTP, which a platform administrator has not allowed for the agency");
            return;
        }
        Instant now = Instant.now();
        String channelName = inbox.address().toString();
        var signed = new PushSigner.Signed(now.getEpochSecond(), record.transactionId(), record.senderAgency(),
                record.senderSystem(), channelName);
        http.post().uri(channel.upstreamUrl())
                .contentType(MediaType.parseMediaType(record.contentType()))
                .header(Headers.TRANSACTION_ID, record.transactionId())
                .header("X-Ndx-Sender-Agency", record.senderAgency())
                .header("X-Ndx-Sender-System", record.senderSystem())
                .header("X-Ndx-Channel", channelName)
                .header("X-Ndx-Delivery", String.valueOf(taken.delivery()))
                .header("X-Ndx-Timestamp", String.valueOf(signed.timestamp()))
                .header("X-Ndx-Signature", PushSigner.signature(secrets.signingSecrets(inbox, now), signed, taken.payload()))
                .bodyValue(taken.payload())
                .retrieve()
                .toBodilessEntity()
                .timeout(timeout)
                .then(Mono.<String>empty())
                .onErrorResume(error -> Mono.just(describe(error)))
                .defaultIfEmpty("")
                .subscribe(failure -> onAnswer(inbox, lane, taken, failure.isEmpty() ? null : failure),
                        error -> onAnswer(inbox, lane, taken, describe(error)));
    }

    private void onAnswer(InboxKey inbox, Lane lane, Taken taken, @Nullable String failure) {
        String id = taken.record().transactionId();
        if (failure == null) {
            count("delivered", inbox);
            events.acknowledged(List.of(id)).subscribe(done -> { }, error -> {
                log.warn("Acknowledgement of pushed record {} not stored; it will be pushed again", id);
                ledger.release(id);
            });
            free(lane, 0);
            return;
        }
        if (taken.delivery() >= settings.maxAttempts()) {
            count("dead_lettered", inbox);
            log.warn("Record {} of {} dead-lettered after {} deliveries: {}", id, inbox, taken.delivery(), failure);
            events.deadLettered(taken, failure).subscribe(done -> { }, error -> {
                ledger.release(id); // not stored as a dead letter: it stays at the head and is tried again
                free(lane, backoff(taken.delivery()).toNanos());
            }, () -> free(lane, 0));
            return;
        }
        count("failed", inbox);
        ledger.release(id);
        free(lane, backoff(taken.delivery()).toNanos());
    }

    private void free(Lane lane, long waitNanos) {
        onLoop(() -> {
            lane.notBeforeNanos = System.nanoTime() + waitNanos;
            lane.busy = false;
        });
    }

    /** first × 2^(n−1), at most max, then between half and all of it ("equal jitter"). */
    Duration backoff(int failures) {
        long first = settings.firstBackoff().toMillis();
        long capped = Math.min(settings.maxBackoff().toMillis(), first << Math.min(30, Math.max(0, failures - 1)));
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    private void count(String outcome, InboxKey inbox) {
        meters.counter("ndx.exchange.push.deliveries", "outcome", outcome, "recipient_agency", inbox.agency()).increment();
    }

    /** What went wrong, for the record's status: a status code or the kind of failure, never a response body. */
    private static String describe(Throwable error) {
        if (error instanceof WebClientResponseException response) {
            return "answered " + response.getStatusCode().value();
        }
        if (error instanceof java.util.concurrent.TimeoutException) {
            return "no answer in time";
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.ConnectException) {
                return "connection refused";
            }
        }
        return "delivery failed (" + error.getClass().getSimpleName() + ")";
    }
}
