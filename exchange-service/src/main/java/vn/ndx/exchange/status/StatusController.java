package vn.ndx.exchange.status;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;
import vn.ndx.exchange.Caller;
import vn.ndx.exchange.ledger.RecordLedger;
import vn.ndx.exchange.ledger.RecordStates;

/**
 * {@code GET /records/{transactionId}}: where a record is, for its sender and its recipient. To anyone
 * else a record does not exist: the answer is the same 404 as for an id never used.
 */
@RestController
class StatusController {

    private final RecordLedger ledger;

    StatusController(RecordLedger ledger) {
        this.ledger = ledger;
    }

    @GetMapping("/records/{transactionId}")
    RecordStates.View status(@PathVariable String transactionId, ServerHttpRequest request) {
        Caller caller = Caller.from(request.getHeaders());
        RecordStates.View view = ledger.view(transactionId);
        if (view == null || !view.involves(caller.agency(), caller.system())) {
            throw new ProblemException(ProblemCode.UNKNOWN_RECORD,
                    "No record " + transactionId + " that your system sent or received is known");
        }
        return view;
    }
}
