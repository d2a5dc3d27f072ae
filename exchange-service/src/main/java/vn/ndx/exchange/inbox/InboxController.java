package vn.ndx.exchange.inbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.Headers;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.Topics;
import vn.ndx.exchange.Caller;
import vn.ndx.exchange.ExchangeProperties;
import vn.ndx.exchange.problem.ExchangeException;
import vn.ndx.exchange.registry.RegistryView;

/**
 * A system's own inboxes: {@code GET /inbox/{channel}} hands out waiting records, which stay invisible for
 * the visibility timeout and come back if not acknowledged; {@code POST /inbox/{channel}/ack} removes
 * them for good once Kafka holds the acknowledgement. The inbox is always the caller's own channel, so
 * no system can read another's.
 */
@RestController
class InboxController {

    private final RegistryView registry;
    private final InboxIndex index;
    private final KafkaTemplate<String, byte[]> kafka;
    private final JsonMapper json;
    private final ExchangeProperties.Inbox settings;

    InboxController(RegistryView registry, InboxIndex index, KafkaTemplate<String, byte[]> kafka, JsonMapper json,
                    ExchangeProperties properties) {
        this.registry = registry;
        this.index = index;
        this.kafka = kafka;
        this.json = json;
        this.settings = properties.inbox();
    }

    record Sender(String agency, String system) {
    }

    record Delivered(String transactionId, Sender sender, String channel, Instant acceptedAt, String contentType,
                     JsonNode payload) {
    }

    record Acknowledgement(@Nullable List<String> transactionIds) {
    }

    @GetMapping("/inbox/{channel}")
    Map<String, List<Delivered>> pull(@PathVariable String channel, @RequestParam(defaultValue = "10") int max,
                                      ServerHttpRequest request) {
        InboxKey inbox = ownInbox(channel, request);
        if (max < 1 || max > settings.maxBatch()) {
            throw new ExchangeException(ProblemCode.BAD_REQUEST, "max must be between 1 and " + settings.maxBatch());
        }
        List<Delivered> records = index.take(inbox, max, settings.visibilityTimeout().toNanos()).stream()
                .map(record -> new Delivered(record.transactionId(), new Sender(record.senderAgency(), record.senderSystem()),
                        record.channel(), record.acceptedAt(), record.contentType(), json.readTree(record.payload())))
                .toList();
        return Map.of("records", records);
    }

    @PostMapping("/inbox/{channel}/ack")
    Mono<Map<String, Integer>> acknowledge(@PathVariable String channel, @RequestBody byte[] body, ServerHttpRequest request) {
        InboxKey inbox = ownInbox(channel, request);
        List<String> ids = index.pendingIn(inbox, transactionIds(body));
        return Flux.fromIterable(ids)
                .flatMap(id -> Mono.fromFuture(() -> kafka.send(statusRecord(id))).thenReturn(id))
                .subscribeOn(Schedulers.boundedElastic()) // send() may block while the broker is unknown
                .doOnNext(index::acknowledgedHere)
                .count()
                .map(count -> Map.of("acknowledged", count.intValue()))
                .onErrorMap(error -> !(error instanceof ExchangeException), error -> new ExchangeException(
                        ProblemCode.SERVICE_UNAVAILABLE, "Acknowledgements could not be stored; retry them"));
    }

    private ProducerRecord<String, byte[]> statusRecord(String transactionId) {
        var status = new RecordStatus(transactionId, RecordStatus.Status.ACKNOWLEDGED, Instant.now());
        var record = new ProducerRecord<String, byte[]>(Topics.RECORD_STATUS, transactionId, json.writeValueAsBytes(status));
        record.headers().add(Headers.TRANSACTION_ID, transactionId.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private List<String> transactionIds(byte[] body) {
        try {
            var ids = json.readValue(body, Acknowledgement.class).transactionIds();
            if (ids == null) {
                throw new ExchangeException(ProblemCode.BAD_REQUEST, "Send {\"transactionIds\": [...]}");
            }
            return ids;
        } catch (JacksonException e) {
            throw new ExchangeException(ProblemCode.MALFORMED_JSON, "Send {\"transactionIds\": [...]} as JSON");
        }
    }

    private InboxKey ownInbox(String channel, ServerHttpRequest request) {
        Caller caller = Caller.from(request.getHeaders());
        if (registry.channel(caller.agency(), caller.system(), channel) == null) {
            throw new ExchangeException(ProblemCode.UNKNOWN_CHANNEL, "Your system owns no channel " + channel);
        }
        return new InboxKey(caller.agency(), caller.system(), channel);
    }
}
