package vn.ndx.exchange.push;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;
import vn.ndx.exchange.inbox.InboxController;
import vn.ndx.exchange.ledger.InboxKey;
import vn.ndx.exchange.registry.RegistryView;

/**
 * A push channel's secret, for its owning system only: {@code GET /inbox/{channel}/push-secret} reads it,
 * {@code POST /inbox/{channel}/push-secret/rotate} replaces it, the previous one signing too for
 * {@code previousValidForSeconds} (default a day, at most a week; 0 ends it at once, after a leak).
 */
@RestController
class PushSecretController {

    static final Duration DEFAULT_GRACE = Duration.ofDays(1);
    static final Duration LONGEST_GRACE = Duration.ofDays(7);

    private final RegistryView registry;
    private final PushSecrets secrets;
    private final JsonMapper json;
    private final RotationPace rotations = new RotationPace(5, Duration.ofMinutes(10));

    PushSecretController(RegistryView registry, PushSecrets secrets, JsonMapper json) {
        this.registry = registry;
        this.secrets = secrets;
        this.json = json;
    }

    /**
     * At most {@code max} rotations of a channel in any {@code window} on this instance: each is a write to a
     * topic every instance reads whole at its start, so a client rotating in a loop would slow every exchange's
     * start for everyone. A few in a row stay possible: a rotation, then the leak found a moment later.
     */
    static final class RotationPace {
        private final int max;
        private final Duration window;
        private final Map<InboxKey, ArrayDeque<Long>> recent = new ConcurrentHashMap<>();

        RotationPace(int max, Duration window) {
            this.max = max;
            this.window = window;
        }

        /** Zero, counting this rotation; or how long until the channel may rotate again. */
        Duration waitBeforeNext(InboxKey inbox) {
            long now = System.nanoTime();
            var wait = new long[1];
            recent.compute(inbox, (key, times) -> {
                var kept = times == null ? new ArrayDeque<Long>() : times;
                while (!kept.isEmpty() && now - kept.peekFirst() >= window.toNanos()) {
                    kept.pollFirst();
                }
                if (kept.size() < max) {
                    kept.addLast(now);
                } else {
                    wait[0] = window.toNanos() - (now - kept.peekFirst());
                }
                return kept;
            });
            return Duration.ofNanos(wait[0]);
        }
    }

    @GetMapping("/inbox/{channel}/push-secret")
    ResponseEntity<Map<String, Object>> read(@PathVariable String channel, ServerHttpRequest request) {
        InboxKey inbox = InboxController.ownInbox(registry, channel, request);
        requireCurrent();
        return answer(inbox, secrets.generation(inbox));
    }

    @PostMapping("/inbox/{channel}/push-secret/rotate")
    Mono<ResponseEntity<Map<String, Object>>> rotate(@PathVariable String channel, @RequestBody(required = false) byte @Nullable [] body,
                                     ServerHttpRequest request) {
        InboxKey inbox = InboxController.ownInbox(registry, channel, request);
        Duration grace = grace(body);
        requireCurrent();
        Duration wait = rotations.waitBeforeNext(inbox);
        if (!wait.isZero()) {
            throw ProblemException.throttled("A channel's secret is rotated 5 times in 10 minutes at most", wait);
        }
        return secrets.rotate(inbox, grace)
                .onErrorMap(error -> !(error instanceof ProblemException), error -> new ProblemException(
                        ProblemCode.SERVICE_UNAVAILABLE, "The new secret could not be stored; the current one stays, retry later"))
                .map(generation -> answer(inbox, generation));
    }

    /**
     * Before every rotation stored is read, the channel would look unrotated: a secret revoked after a leak
     * must not be handed out again.
     */
    private void requireCurrent() {
        if (!secrets.current()) {
            throw new ProblemException(ProblemCode.SERVICE_UNAVAILABLE, "The exchange is still reading its push secrets; retry shortly");
        }
    }

    /** The secret of exactly this generation, never kept by a cache on the way. */
    private ResponseEntity<Map<String, Object>> answer(InboxKey inbox, PushSecrets.Generation generation) {
        var answer = new LinkedHashMap<String, Object>();
        answer.put("algorithm", "HMAC-SHA256");
        answer.put("secret", secrets.secret(inbox, generation.number()));
        answer.put("generation", generation.number());
        if (generation.number() > 0 && generation.previousUntil() != null) {
            answer.put("previousValidUntil", generation.previousUntil().toString());
        }
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(answer);
    }

    private Duration grace(byte @Nullable [] body) {
        if (body == null || body.length == 0) {
            return DEFAULT_GRACE;
        }
        JsonNode request;
        try {
            request = json.readTree(body);
        } catch (JacksonException e) {
            throw new ProblemException(ProblemCode.MALFORMED_JSON, "The body is not well-formed JSON");
        }
        JsonNode seconds = request.get("previousValidForSeconds");
        if (!request.isObject() || request.size() != (seconds == null ? 0 : 1)) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "Send {} or {\"previousValidForSeconds\": <0 to "
                    + LONGEST_GRACE.toSeconds() + ">}");
        }
        if (seconds == null) {
            return DEFAULT_GRACE;
        }
        if (!seconds.canConvertToLong() || !seconds.isIntegralNumber() || seconds.asLong() < 0
                || seconds.asLong() > LONGEST_GRACE.toSeconds()) {
            throw new ProblemException(ProblemCode.VALIDATION_FAILED, "previousValidForSeconds is a whole number from 0 to "
                    + LONGEST_GRACE.toSeconds());
        }
        return Duration.ofSeconds(seconds.asLong());
    }
}
