package vn.ndx.exchange.record;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.f4b6a3.uuid.UuidCreator;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.Headers;
import vn.ndx.contract.Problem;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;
import vn.ndx.contract.RegistrySnapshot.Service;
import vn.ndx.exchange.Caller;
import vn.ndx.exchange.record.IdempotencyKeys.Claim;
import vn.ndx.exchange.record.RecordAcceptor.Submission;
import vn.ndx.exchange.registry.RegistryView;

/**
 * {@code POST /records/{agency}/{system}/{channel}} and its {@code /batch}: refuses at the door what the
 * recipient could not use (unknown channel, not JSON, too large, malformed), and answers only once Kafka
 * holds the records. A sender's {@code Idempotency-Key} makes a retried submission return the first
 * transaction id and store nothing new. Grants were checked by the gateway.
 */
@RestController
class RecordController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final int MAX_BATCH = 500;

    private final RegistryView registry;
    private final RecordAcceptor acceptor;
    private final RefusalEvents refusals;
    private final IdempotencyKeys keys;
    private final RecordSchemas schemas;
    private final JsonMapper json;

    RecordController(RegistryView registry, RecordAcceptor acceptor, RefusalEvents refusals, IdempotencyKeys keys,
                     RecordSchemas schemas, JsonMapper json) {
        this.registry = registry;
        this.schemas = schemas;
        this.acceptor = acceptor;
        this.refusals = refusals;
        this.keys = keys;
        this.json = json;
    }

    /** A stored (or earlier stored) record. */
    private record Stored(String transactionId, boolean replayed) {
    }

    @PostMapping("/records/{agency}/{system}/{channel}")
    Mono<ResponseEntity<Map<String, String>>> submit(@PathVariable String agency, @PathVariable String system,
                                                     @PathVariable String channel, ServerHttpRequest request) {
        Caller caller = Caller.from(request.getHeaders());
        Service target = registry.channel(agency, system, channel);
        long declaredLength = request.getHeaders().getContentLength();
        return validate(request, target, declaredLength)
                .flatMap(payload -> matching(target, payload))
                .flatMap(payload -> {
                    String key = idempotencyKey(request.getHeaders().getFirst(IDEMPOTENCY_KEY));
                    return store(new Submission(caller, target, transactionId(caller), contentType(request), payload,
                            RecordAcceptor.sha256(payload), key));
                })
                .map(stored -> {
                    var answer = ResponseEntity.status(HttpStatus.ACCEPTED).header(Headers.TRANSACTION_ID, stored.transactionId());
                    if (stored.replayed()) {
                        answer.header("Idempotent-Replayed", "true");
                    }
                    return answer.body(Map.of("transactionId", stored.transactionId()));
                })
                .onErrorResume(ProblemException.class, refusal -> refusals
                        .refused(caller, agency, system, target, refusal.code(), Math.max(0, declaredLength))
                        .then(Mono.error(refusal)));
    }

    /** One record of a batch: its payload, and the key that makes retrying it safe. */
    private record Item(JsonNode payload, @Nullable String idempotencyKey) {
    }

    /**
     * Up to {@value #MAX_BATCH} records in one call, {@code {"records":[{"payload":{...},"idempotencyKey":"..."}]}},
     * within the channel's size limit in all; each gets its own transaction id and result, in order.
     */
    @PostMapping("/records/{agency}/{system}/{channel}/batch")
    Mono<Map<String, Object>> batch(@PathVariable String agency, @PathVariable String system,
                                    @PathVariable String channel, ServerHttpRequest request) {
        Caller caller = Caller.from(request.getHeaders());
        Service target = registry.channel(agency, system, channel);
        long declaredLength = request.getHeaders().getContentLength();
        return validate(request, target, declaredLength)
                .map(this::items)
                .flatMap(items -> schemas.check(target, items.stream().map(Item::payload).toList())
                        .flatMap(violations -> storeAll(caller, target, contentType(request), items, violations)))
                .onErrorResume(ProblemException.class, refusal -> refusals
                        .refused(caller, agency, system, target, refusal.code(), Math.max(0, declaredLength))
                        .then(Mono.error(refusal)));
    }

    private Mono<Stored> store(Submission submission) {
        String key = submission.idempotencyKey();
        if (key == null) {
            return acceptor.accept(submission).then(Mono.fromSupplier(() -> new Stored(submission.transactionId(), false)))
                    .onErrorMap(RecordController::notStored);
        }
        String scoped = IdempotencyKeys.scoped(submission.caller().agency(), submission.caller().system(), key);
        Claim claim = keys.claim(scoped, submission.digest());
        if (claim instanceof Claim.Replay replay) {
            return Mono.just(new Stored(replay.transactionId(), true));
        }
        if (claim instanceof Claim.Reused) {
            return Mono.error(new ProblemException(ProblemCode.IDEMPOTENCY_KEY_REUSED,
                    "This Idempotency-Key was used for a different record; use a new key for a new record"));
        }
        if (claim instanceof Claim.InFlight) {
            return Mono.error(new ProblemException(ProblemCode.IDEMPOTENCY_KEY_IN_USE,
                    "A submission with this Idempotency-Key is being stored; retry in a moment"));
        }
        return acceptor.accept(submission)
                .then(Mono.fromSupplier(() -> {
                    keys.remember(scoped, submission.transactionId(), submission.digest(), Instant.now());
                    return new Stored(submission.transactionId(), false);
                }))
                .doOnError(error -> keys.release(scoped))
                .doOnCancel(() -> keys.release(scoped))
                .onErrorMap(RecordController::notStored);
    }

    private Mono<Map<String, Object>> storeAll(Caller caller, Service channel, String contentType, List<Item> items,
                                               List<List<Problem.Error>> violationsOf) {
        var results = new ArrayList<@Nullable Map<String, Object>>(items.size());
        var toWrite = new ArrayList<Submission>();
        var writeIndexes = new ArrayList<Integer>();
        var scopedKeys = new ArrayList<@Nullable String>();
        var refused = new ArrayList<Mono<Void>>();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            byte[] payload = json.writeValueAsBytes(item.payload());
            String transactionId = UuidCreator.getTimeOrderedEpoch().toString();
            var submission = new Submission(caller, channel, transactionId, contentType, payload, RecordAcceptor.sha256(payload),
                    item.idempotencyKey());
            results.add(null);
            List<Problem.Error> violations = violationsOf.get(i);
            if (!violations.isEmpty()) {
                var result = result(i, ProblemCode.SCHEMA_VIOLATION.status(), transactionId, ProblemCode.SCHEMA_VIOLATION, false);
                result.put("errors", violations);
                results.set(i, result);
                refused.add(refusals.refused(transactionId, caller, channel.agencyCode(), channel.systemCode(), channel,
                        ProblemCode.SCHEMA_VIOLATION, payload.length));
                continue;
            }
            if (item.idempotencyKey() == null) {
                toWrite.add(submission);
                writeIndexes.add(i);
                scopedKeys.add(null);
                continue;
            }
            String scoped = IdempotencyKeys.scoped(caller.agency(), caller.system(), item.idempotencyKey());
            Claim claim = keys.claim(scoped, submission.digest());
            if (claim instanceof Claim.Granted) {
                toWrite.add(submission);
                writeIndexes.add(i);
                scopedKeys.add(scoped);
            } else if (claim instanceof Claim.Replay replay) {
                results.set(i, result(i, 202, replay.transactionId(), null, true));
            } else {
                ProblemCode code = claim instanceof Claim.Reused ? ProblemCode.IDEMPOTENCY_KEY_REUSED : ProblemCode.IDEMPOTENCY_KEY_IN_USE;
                results.set(i, result(i, code.status(), transactionId, code, false));
                refused.add(refusals.refused(transactionId, caller, channel.agencyCode(), channel.systemCode(), channel, code, payload.length));
            }
        }
        Mono<List<@Nullable Throwable>> written = toWrite.isEmpty() ? Mono.just(List.of()) : acceptor.acceptAll(toWrite);
        return written.flatMap(outcomes -> {
            int accepted = 0;
            for (int w = 0; w < toWrite.size(); w++) {
                Submission submission = toWrite.get(w);
                String scoped = scopedKeys.get(w);
                int index = writeIndexes.get(w);
                if (outcomes.get(w) == null) {
                    accepted++;
                    if (scoped != null) {
                        keys.remember(scoped, submission.transactionId(), submission.digest(), Instant.now());
                    }
                    results.set(index, result(index, 202, submission.transactionId(), null, false));
                } else {
                    if (scoped != null) {
                        keys.release(scoped);
                    }
                    results.set(index, result(index, 503, submission.transactionId(), ProblemCode.SERVICE_UNAVAILABLE, false));
                    refused.add(refusals.refused(submission.transactionId(), caller, channel.agencyCode(), channel.systemCode(),
                            channel, ProblemCode.SERVICE_UNAVAILABLE, submission.payload().length));
                }
            }
            var answer = new LinkedHashMap<String, Object>();
            answer.put("accepted", accepted);
            answer.put("refused", (int) results.stream().filter(r -> r != null && !Integer.valueOf(202).equals(r.get("status"))).count());
            answer.put("results", results);
            return Flux.concat(refused).then(Mono.just((Map<String, Object>) answer));
        });
    }

    private static Map<String, Object> result(int index, int status, String transactionId, @Nullable ProblemCode code,
                                              boolean replayed) {
        var result = new LinkedHashMap<String, Object>();
        result.put("index", index);
        result.put("status", status);
        result.put("transactionId", transactionId);
        if (code != null) {
            result.put("code", code.code());
            result.put("title", code.title());
        }
        if (replayed) {
            result.put("replayed", true);
        }
        return result;
    }

    private static Throwable notStored(Throwable error) {
        return error instanceof ProblemException ? error : new ProblemException(ProblemCode.SERVICE_UNAVAILABLE,
                "The record could not be stored; nothing was accepted, retry later");
    }

    private Mono<byte[]> validate(ServerHttpRequest request, @Nullable Service channel, long declaredLength) {
        if (channel == null) {
            return Mono.error(new ProblemException(ProblemCode.UNKNOWN_CHANNEL, "No such channel at this recipient"));
        }
        MediaType type = request.getHeaders().getContentType();
        if (type == null || !(MediaType.APPLICATION_JSON.isCompatibleWith(type) || type.getSubtype().endsWith("+json"))) {
            return Mono.error(new ProblemException(ProblemCode.UNSUPPORTED_MEDIA_TYPE, "Records are JSON: send Content-Type: application/json"));
        }
        int limit = (int) Math.min(Integer.MAX_VALUE - 8, channel.maxBodyBytes());
        if (declaredLength > limit) {
            return Mono.error(tooLarge(limit));
        }
        return DataBufferUtils.join(request.getBody(), limit)
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .onErrorMap(DataBufferLimitException.class, e -> tooLarge(limit));
    }

    /** The payload, if it is well-formed JSON that matches the channel's schema (when it has one). */
    private Mono<byte[]> matching(Service channel, byte[] payload) {
        return schemas.check(channel, List.of(parse(payload))).map(all -> {
            List<Problem.Error> violations = all.get(0);
            if (!violations.isEmpty()) {
                throw ProblemException.withErrors(ProblemCode.SCHEMA_VIOLATION, "The record breaks " + violations.size()
                        + " rule(s) of the channel's schema: see errors", violations);
            }
            return payload;
        });
    }

    private JsonNode parse(byte[] payload) {
        if (payload.length == 0) {
            throw new ProblemException(ProblemCode.MALFORMED_JSON, "The record is empty");
        }
        try {
            return json.readTree(payload);
        } catch (JacksonException e) {
            // where, not what: the detail must not echo the payload
            var where = e.getLocation();
            throw new ProblemException(ProblemCode.MALFORMED_JSON, where == null ? "The body is not well-formed JSON"
                    : "The body is not well-formed JSON (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")");
        }
    }

    private List<Item> items(byte[] body) {
        JsonNode records = parse(body).get("records");
        if (records == null || !records.isArray() || records.isEmpty() || records.size() > MAX_BATCH) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED,
                    "Send {\"records\": [{\"payload\": {...}, \"idempotencyKey\": \"...\"}, ...]} with 1 to " + MAX_BATCH + " records");
        }
        var items = new ArrayList<Item>(records.size());
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            JsonNode payload = record.get("payload");
            JsonNode key = record.get("idempotencyKey");
            if (!record.isObject() || payload == null || payload.isNull() || key != null && !key.isNull() && !key.isString()) {
                throw new ProblemException(ProblemCode.VALIDATION_FAILED,
                        "records[" + i + "] must be {\"payload\": <JSON>, \"idempotencyKey\": \"<optional text>\"}");
            }
            items.add(new Item(payload, key == null || key.isNull() ? null : idempotencyKey(key.asString())));
        }
        return items;
    }

    /** A key is the sender's own: 1 to 255 printable ASCII characters (a UUID is a good one). */
    private static @Nullable String idempotencyKey(@Nullable String key) {
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, "An Idempotency-Key is 1 to 255 printable ASCII characters");
        }
        return key;
    }

    private static ProblemException tooLarge(int limit) {
        return new ProblemException(ProblemCode.PAYLOAD_TOO_LARGE, "This channel takes at most " + limit + " bytes in one call");
    }

    private static String contentType(ServerHttpRequest request) {
        MediaType type = request.getHeaders().getContentType();
        return type == null ? MediaType.APPLICATION_JSON_VALUE : type.toString();
    }

    private static String transactionId(Caller caller) {
        if (caller.transactionId() == null) {
            throw new ProblemException(ProblemCode.TOKEN_MISSING, "Call the platform through its gateway");
        }
        return caller.transactionId();
    }
}
