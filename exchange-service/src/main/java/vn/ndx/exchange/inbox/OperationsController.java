package vn.ndx.exchange.inbox;

import java.util.Comparator;
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
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.Headers;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;
import vn.ndx.contract.RegistrySnapshot;
import vn.ndx.exchange.ledger.DeliveryEvents;
import vn.ndx.exchange.ledger.InboxKey;
import vn.ndx.exchange.ledger.RecordLedger;

/**
 * The operators' view of every agency's dead letters: which channels hold some, what they are, and
 * sending them back into delivery once the recipient is fixed. Reached only through the gateway's
 * operator routes, which authenticate the operator and name it in {@link Headers#OPERATOR}.
 */
@RestController
class OperationsController {

    private final RecordLedger ledger;
    private final DeliveryEvents events;
        private final JsonMapper json;

    OperationsController(RecordLedger ledger, DeliveryEvents events, JsonMapper json) {
        this.ledger = ledger;
        this.events = events;
                this.json = json;
    }

    record ChannelDeadLetters(String agency, String system, String channel, int deadLetters) {
    }

    /** Every channel holding dead letters, the most first. */
    @GetMapping("/operations/dead-letters")
    Map<String, List<ChannelDeadLetters>> channels(ServerHttpRequest request) {
        requireOperator(request);
        return Map.of("channels", ledger.deadLetterCounts().entrySet().stream()
                .map(entry -> new ChannelDeadLetters(entry.getKey().agency(), entry.getKey().system(), entry.getKey().channel(),
                        entry.getValue()))
                .sorted(Comparator.comparingInt(ChannelDeadLetters::deadLetters).reversed()
                        .thenComparing(ChannelDeadLetters::agency).thenComparing(ChannelDeadLetters::channel))
                .toList());
    }

    @GetMapping("/operations/dead-letters/{agency}/{system}/{channel}")
    Map<String, List<InboxRequests.DeadLetter>> deadLetters(@PathVariable String agency, @PathVariable String system,
                                                              @PathVariable String channel,
                                                              @RequestParam(defaultValue = "100") int max, ServerHttpRequest request) {
        requireOperator(request);
        if (max < 1 || max > 1_000) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, "max must be between 1 and 1000");
        }
        return Map.of("deadLetters", ledger.deadLetters(new InboxKey(agency, system, channel), max).stream()
                .map(record -> InboxRequests.deadLetter(record, ledger)).toList());
    }

    /** Sends dead letters of any channels back into delivery; an id that is not a dead letter refuses all. */
    @PostMapping("/operations/dead-letters/redrive")
    Mono<Map<String, Integer>> redrive(@RequestBody byte[] body, ServerHttpRequest request) {
        requireOperator(request);
        if (!RegistrySnapshot.Operator.PLATFORM_ADMIN.equals(request.getHeaders().getFirst(Headers.OPERATOR_ROLE))) {
            throw new ProblemException(ProblemCode.OUT_OF_SCOPE, "A read-only operator may only read dead letters: ask a platform administrator");
        }
        List<String> ids = InboxRequests.transactionIds(json, body).stream().distinct().toList();
        List<String> unknown = ids.stream().filter(id -> ledger.deadLetterInbox(id) == null).toList();
        if (!unknown.isEmpty()) {
            throw InboxRequests.unknownRecords("Not dead letters, nothing redriven", unknown);
        }
        return InboxRequests.redrive(events, ids);
    }

    private static void requireOperator(ServerHttpRequest request) {
        if (request.getHeaders().getFirst(Headers.OPERATOR) == null) {
            throw new ProblemException(ProblemCode.OUT_OF_SCOPE, "Only the platform's operators may call this, through the gateway");
        }
    }
}
