package vn.ndx.exchange.record;

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
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.Headers;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;
import vn.ndx.contract.RegistrySnapshot.Service;
import vn.ndx.exchange.Caller;
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
    private final RecordIntake intake;
    private final RefusalEvents refusals;
    private final JsonMapper json;

    RecordController(RegistryView registry, RecordIntake intake, RefusalEvents refusals, JsonMapper json) {
        this.registry = registry;
        this.intake = intake;
        this.refusals = refusals;
        this.json = json;
    }

    @PostMapping("/records/{agency}/{system}/{channel}")
    Mono<ResponseEntity<Map<String, String>>> submit(@PathVariable String agency, @PathVariable String system,
                                                     @PathVariable String channel, ServerHttpRequest request) {
        Caller caller = Caller.from(request.getHeaders());
        Service target = registry.channel(agency, system, channel);
        long declaredLength = request.getHeaders().getContentLength();
        return validate(request, target, declaredLength)
                .map(payload -> new RecordIntake.Item(transactionId(caller), payload, parse(payload),
                        idempotencyKey(request.getHeaders().getFirst(IDEMPOTENCY_KEY))))
                .onErrorResume(ProblemException.class, refusal -> refusals
                        .refused(caller, agency, system, target, refusal.code(), Math.max(0, declaredLength))
                        .then(Mono.error(refusal)))
                .flatMap(item -> intake.store(caller, target, contentType(request), List.of(item)))
                .map(results -> {
                    RecordIntake.Result result = results.get(0);
                    if (!result.isStored()) {
                        throw ProblemException.withErrors(result.refusal(), result.detail(), result.errors());
                    }
                    var answer = ResponseEntity.status(HttpStatus.ACCEPTED).header(Headers.TRANSACTION_ID, result.transactionId());
                    if (result.replayed()) {
                        answer.header("Idempotent-Replayed", "true");
                    }
                    return answer.body(Map.of("transactionId", result.transactionId()));
                });
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
                .onErrorResume(ProblemException.class, refusal -> refusals
                        .refused(caller, agency, system, target, refusal.code(), Math.max(0, declaredLength))
                        .then(Mono.error(refusal)))
                .flatMap(items -> intake.store(caller, target, contentType(request), items))
                .map(RecordController::answer);
    }

    /** {@code {"accepted": n, "refused": n, "results": [{index, status, transactionId, code?, title?, replayed?, errors?}]}}. */
    private static Map<String, Object> answer(List<RecordIntake.Result> results) {
        var listed = new ArrayList<Map<String, Object>>(results.size());
        int accepted = 0;
        for (int i = 0; i < results.size(); i++) {
            RecordIntake.Result result = results.get(i);
            var entry = new LinkedHashMap<String, Object>();
            entry.put("index", i);
            entry.put("status", result.isStored() ? 202 : result.refusal().status());
            entry.put("transactionId", result.transactionId());
            if (!result.isStored()) {
                entry.put("code", result.refusal().code());
                entry.put("title", result.refusal().title());
            }
            if (result.replayed()) {
                entry.put("replayed", true);
            }
            if (!result.errors().isEmpty()) {
                entry.put("errors", result.errors());
            }
            accepted += result.isStored() && !result.replayed() ? 1 : 0;
            listed.add(entry);
        }
        var answer = new LinkedHashMap<String, Object>();
        answer.put("accepted", accepted);
        answer.put("refused", (int) results.stream().filter(result -> !result.isStored()).count());
        answer.put("results", listed);
        return answer;
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

    /** The batch's records, each re-serialized as stored, with a transaction id of its own. */
    private List<RecordIntake.Item> items(byte[] body) {
        JsonNode records = parse(body).get("records");
        if (records == null || !records.isArray() || records.isEmpty() || records.size() > MAX_BATCH) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED,
                    "Send {\"records\": [{\"payload\": {...}, \"idempotencyKey\": \"...\"}, ...]} with 1 to " + MAX_BATCH + " records");
        }
        var items = new ArrayList<RecordIntake.Item>(records.size());
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            JsonNode payload = record.get("payload");
            JsonNode key = record.get("idempotencyKey");
            if (!record.isObject() || payload == null || payload.isNull() || key != null && !key.isNull() && !key.isString()) {
                throw new ProblemException(ProblemCode.VALIDATION_FAILED,
                        "records[" + i + "] must be {\"payload\": <JSON>, \"idempotencyKey\": \"<optional text>\"}");
            }
            items.add(new RecordIntake.Item(UuidCreator.getTimeOrderedEpoch().toString(), json.writeValueAsBytes(payload), payload,
                    key == null || key.isNull() ? null : idempotencyKey(key.asString())));
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
