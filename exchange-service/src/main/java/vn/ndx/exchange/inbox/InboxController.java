package vn.ndx.exchange.inbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;
import vn.ndx.exchange.Caller;
import vn.ndx.exchange.ExchangeProperties;
import vn.ndx.exchange.ledger.DeliveryEvents;
import vn.ndx.exchange.ledger.InboxKey;
import vn.ndx.exchange.ledger.InboxRecord;
import vn.ndx.exchange.ledger.PayloadReader;
import vn.ndx.exchange.ledger.RecordLedger;
import vn.ndx.exchange.ledger.RecordStates;
import vn.ndx.exchange.ledger.State;
import vn.ndx.exchange.ledger.Taken;
import vn.ndx.exchange.registry.RegistryView;

/**
 * A system's own inboxes: {@code GET /inbox/{channel}} hands out waiting records, which stay invisible for
 * the visibility timeout and come back if not acknowledged; {@code POST /inbox/{channel}/ack} removes
 * them for good once Kafka holds the acknowledgement. The inbox is always the caller's own channel, so
 * no system can read another's.
 */
@RestController
public class InboxController {

    private final RegistryView registry;
    private final RecordLedger ledger;
    private final PayloadReader payloads;
    private final DeliveryEvents events;
    private final JsonMapper json;
    private final ExchangeProperties.Inbox settings;
    
    InboxController(RegistryView registry, RecordLedger ledger, PayloadReader payloads, DeliveryEvents events, JsonMapper json,
                    ExchangeProperties properties) {
        this.registry = registry;
        this.ledger = ledger;
        this.payloads = payloads;
                this.events = events;
        this.json = json;
        this.settings = properties.inbox();
    }

    record Delivered(String transactionId, InboxRequests.Sender sender, String channel, Instant acceptedAt, String contentType,
                     int delivery, JsonNode payload) {
    }

    /**
     * Waiting records, oldest first. With {@code waitSeconds} an empty inbox answers as soon as a record
     * arrives, or empty after that long (long polling: a recipient gets records within milliseconds without
     * polling in a loop). Each record handed out is DELIVERED, an event on the record status topic.
     */
    @GetMapping("/inbox/{channel}")
    Mono<Map<String, List<Delivered>>> pull(@PathVariable String channel, @RequestParam(defaultValue = "10") int max,
                                            @RequestParam(defaultValue = "0") int waitSeconds, ServerHttpRequest request) {
        InboxKey inbox = ownInbox(registry, channel, request);
        if (max < 1 || max > settings.maxBatch()) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, "max must be between 1 and " + settings.maxBatch());
        }
        if (waitSeconds < 0 || waitSeconds > settings.maxWait().toSeconds()) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, "waitSeconds must be between 0 and " + settings.maxWait().toSeconds());
        }
        return Mono.fromSupplier(() -> take(inbox, max))
                .flatMap(taken -> taken.isEmpty() && waitSeconds > 0 ? waitAndTake(inbox, max, waitSeconds) : Mono.just(taken))
                .flatMap(taken -> payloads.withPayloads(taken)
                        .doOnError(error -> taken.forEach(t -> ledger.release(t.record().transactionId()))))
                .map(taken -> {
                    events.delivered(taken);
                    return Map.of("records", taken.stream().map(this::delivered).toList());
                })
                .onErrorMap(PayloadReader.Unavailable.class,
                        error -> new ProblemException(ProblemCode.SERVICE_UNAVAILABLE, "Records could not be read; pull again"));
    }

    private List<Taken> take(InboxKey inbox, int max) {
        return ledger.take(inbox, max, settings.visibilityTimeout().toNanos());
    }

    private Mono<List<Taken>> waitAndTake(InboxKey inbox, int max, int waitSeconds) {
        return Mono.<Boolean>create(sink -> {
                    Runnable cancel = ledger.onArrival(inbox, () -> sink.success(true));
                    sink.onDispose(cancel::run);
                })
                .timeout(Duration.ofSeconds(waitSeconds), Mono.just(false))
                .publishOn(Schedulers.parallel()) // never on the thread that fed the arriving record
                .map(arrived -> take(inbox, max));
    }

    private Delivered delivered(Taken taken) {
        InboxRecord record = taken.record();
        return new Delivered(record.transactionId(), new InboxRequests.Sender(record.senderAgency(), record.senderSystem()),
                record.channel(), record.acceptedAt(), record.contentType(), taken.delivery(), json.readTree(taken.payload()));
    }

    /**
     * Acknowledges records of the caller's own inbox. Acknowledging again is harmless (a retry after a
     * lost answer); an id this inbox never held refuses the whole acknowledgement, which changes nothing.
     */
    @PostMapping("/inbox/{channel}/ack")
    Mono<Map<String, Integer>> acknowledge(@PathVariable String channel, @RequestBody byte[] body, ServerHttpRequest request) {
        InboxKey inbox = ownInbox(registry, channel, request);
        List<String> requested = InboxRequests.transactionIds(json, body);
        List<String> pending = ledger.pendingIn(inbox, requested);
        List<String> unknown = requested.stream().distinct()
                .filter(id -> !pending.contains(id) && !acknowledgedIn(inbox, id)).toList();
        if (!unknown.isEmpty()) {
            throw InboxRequests.unknownRecords("Not records of this inbox, nothing acknowledged", unknown);
        }
        int already = requested.stream().distinct().toList().size() - pending.size();
        return events.acknowledged(pending)
                .map(count -> Map.of("acknowledged", count.intValue(), "alreadyAcknowledged", already))
                .onErrorMap(error -> !(error instanceof ProblemException), error -> new ProblemException(
                        ProblemCode.SERVICE_UNAVAILABLE, "Acknowledgements could not be stored; retry them"));
    }

    /** Records of a push channel its address kept refusing; metadata only, the payload comes with redelivery. */
    @GetMapping("/inbox/{channel}/dead-letters")
    Map<String, List<InboxRequests.DeadLetter>> deadLetters(@PathVariable String channel, @RequestParam(defaultValue = "100") int max,
                                              ServerHttpRequest request) {
        InboxKey inbox = ownInbox(registry, channel, request);
        if (max < 1 || max > 1_000) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, "max must be between 1 and 1000");
        }
        return Map.of("deadLetters", ledger.deadLetters(inbox, max).stream().map(record -> InboxRequests.deadLetter(record, ledger)).toList());
    }

    /** Sends dead letters back into delivery, after what waits in the inbox now; an id that is not one refuses all. */
    @PostMapping("/inbox/{channel}/dead-letters/redrive")
    Mono<Map<String, Integer>> redrive(@PathVariable String channel, @RequestBody byte[] body, ServerHttpRequest request) {
        InboxKey inbox = ownInbox(registry, channel, request);
        List<String> ids = InboxRequests.transactionIds(json, body).stream().distinct().toList();
        List<String> unknown = ids.stream().filter(id -> !ledger.isDeadLetter(inbox, id)).toList();
        if (!unknown.isEmpty()) {
            throw InboxRequests.unknownRecords("Not dead letters of this inbox, nothing redriven", unknown);
        }
        return InboxRequests.redrive(events, ids);
    }

    private boolean acknowledgedIn(InboxKey inbox, String transactionId) {
        RecordStates.View view = ledger.view(transactionId);
        return view != null && view.state() == State.ACKNOWLEDGED && view.recipientAgency().equals(inbox.agency())
                && view.recipientSystem().equals(inbox.system()) && view.channel().equals(inbox.channel());
    }

    public static InboxKey ownInbox(RegistryView registry, String channel, ServerHttpRequest request) {
        Caller caller = Caller.from(request.getHeaders());
        if (registry.channel(caller.agency(), caller.system(), channel) == null) {
            throw new ProblemException(ProblemCode.UNKNOWN_CHANNEL, "Your system owns no channel " + channel);
        }
        return new InboxKey(caller.agency(), caller.system(), channel);
    }
}
