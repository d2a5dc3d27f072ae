package vn.ndx.exchange.inbox;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;
import vn.ndx.exchange.ledger.DeliveryEvents;
import vn.ndx.exchange.ledger.InboxRecord;
import vn.ndx.exchange.ledger.RecordLedger;
import vn.ndx.exchange.ledger.RecordStates;

/**
 * What a recipient's inbox endpoints and the operators' share: the {@code {"transactionIds": [...]}} body,
 * the refusal of ids that are not what they should be, the view of a dead letter and a redrive.
 */
final class InboxRequests {

    private static final int IDS_NAMED = 10;

    private InboxRequests() {
    }

    record Sender(String agency, String system) {
    }

    /** A dead letter as its recipient and the operators see it: metadata, never the payload. */
    record DeadLetter(String transactionId, Sender sender, Instant acceptedAt, int deliveries, @Nullable String lastError) {
    }

    record Acknowledgement(@Nullable List<String> transactionIds) {
    }

    /** The ids of a {@code {"transactionIds": [...]}} body: acknowledgements and redrives. */
    static List<String> transactionIds(JsonMapper json, byte[] body) {
        try {
            var ids = json.readValue(body, Acknowledgement.class).transactionIds();
            if (ids == null) {
                throw new ProblemException(ProblemCode.BAD_REQUEST, "Send {\"transactionIds\": [...]}");
            }
            return ids;
        } catch (JacksonException e) {
            throw new ProblemException(ProblemCode.MALFORMED_JSON, "Send {\"transactionIds\": [...]} as JSON");
        }
    }

    /** Refuses a whole request for the ids that do not qualify, naming the first few of them. */
    static ProblemException unknownRecords(String why, List<String> unknown) {
        return new ProblemException(ProblemCode.UNKNOWN_RECORD, why + ": "
                + String.join(", ", unknown.subList(0, Math.min(IDS_NAMED, unknown.size()))) + (unknown.size() > IDS_NAMED ? ", ..." : ""));
    }

    static DeadLetter deadLetter(InboxRecord record, RecordLedger ledger) {
        RecordStates.View view = ledger.view(record.transactionId());
        return new DeadLetter(record.transactionId(), new Sender(record.senderAgency(), record.senderSystem()),
                record.acceptedAt(), view == null ? 0 : view.deliveries(), view == null ? null : view.lastError());
    }

    /** Dead letters back into delivery, answered once Kafka holds the change. */
    static Mono<Map<String, Integer>> redrive(DeliveryEvents events, List<String> ids) {
        return events.redriven(ids)
                .map(count -> Map.of("redriven", count.intValue()))
                .onErrorMap(error -> !(error instanceof ProblemException), error -> new ProblemException(
                        ProblemCode.SERVICE_UNAVAILABLE, "The redrive could not be stored; retry it"));
    }
}
