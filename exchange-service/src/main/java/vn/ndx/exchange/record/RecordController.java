package vn.ndx.exchange.record;

import java.util.Map;

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
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.Headers;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.RegistrySnapshot.Service;
import vn.ndx.exchange.Caller;
import vn.ndx.exchange.problem.ExchangeException;
import vn.ndx.exchange.registry.RegistryView;

/**
 * {@code POST /records/{agency}/{system}/{channel}}: refuses at the door what the recipient could not use
 * (unknown channel, not JSON, too large, malformed), and answers 202 only once Kafka holds the record.
 * Grants were checked by the gateway.
 */
@RestController
class RecordController {

    private final RegistryView registry;
    private final RecordAcceptor acceptor;
    private final RefusalEvents refusals;
    private final JsonMapper json;

    RecordController(RegistryView registry, RecordAcceptor acceptor, RefusalEvents refusals, JsonMapper json) {
        this.registry = registry;
        this.acceptor = acceptor;
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
                .flatMap(payload -> acceptor.accept(caller, target, transactionId(caller), contentType(request), payload)
                        .onErrorMap(error -> !(error instanceof ExchangeException),
                                error -> new ExchangeException(ProblemCode.SERVICE_UNAVAILABLE,
                                        "The record could not be stored; nothing was accepted, retry later"))
                        .thenReturn(ResponseEntity.status(HttpStatus.ACCEPTED)
                                .header(Headers.TRANSACTION_ID, transactionId(caller))
                                .body(Map.of("transactionId", transactionId(caller)))))
                .onErrorResume(ExchangeException.class, refusal -> refusals
                        .refused(caller, agency, system, target, refusal.code(), Math.max(0, declaredLength))
                        .then(Mono.error(refusal)));
    }

    private Mono<byte[]> validate(ServerHttpRequest request, @Nullable Service channel, long declaredLength) {
        if (channel == null) {
            return Mono.error(new ExchangeException(ProblemCode.UNKNOWN_CHANNEL, "No such channel at this recipient"));
        }
        MediaType type = request.getHeaders().getContentType();
        if (type == null || !(MediaType.APPLICATION_JSON.isCompatibleWith(type) || type.getSubtype().endsWith("+json"))) {
            return Mono.error(new ExchangeException(ProblemCode.UNSUPPORTED_MEDIA_TYPE, "Records are JSON: send Content-Type: application/json"));
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
                .onErrorMap(DataBufferLimitException.class, e -> tooLarge(limit))
                .map(this::wellFormed);
    }

    private byte[] wellFormed(byte[] payload) {
        if (payload.length == 0) {
            throw new ExchangeException(ProblemCode.MALFORMED_JSON, "The record is empty");
        }
        try {
            json.readTree(payload);
            return payload;
        } catch (JacksonException e) {
            // where, not what: the detail must not echo the payload
            var where = e.getLocation();
            throw new ExchangeException(ProblemCode.MALFORMED_JSON, where == null ? "The record is not well-formed JSON"
                    : "The record is not well-formed JSON (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")");
        }
    }

    private static ExchangeException tooLarge(int limit) {
        return new ExchangeException(ProblemCode.PAYLOAD_TOO_LARGE, "This channel takes records of at most " + limit + " bytes");
    }

    private static String contentType(ServerHttpRequest request) {
        MediaType type = request.getHeaders().getContentType();
        return type == null ? MediaType.APPLICATION_JSON_VALUE : type.toString();
    }

    private static String transactionId(Caller caller) {
        if (caller.transactionId() == null) {
            throw new ExchangeException(ProblemCode.TOKEN_MISSING, "Call the platform through its gateway");
        }
        return caller.transactionId();
    }
}
