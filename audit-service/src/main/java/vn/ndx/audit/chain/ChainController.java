package vn.ndx.audit.chain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import vn.ndx.audit.AuditProperties;
import vn.ndx.audit.DayRange;
import vn.ndx.audit.export.CsvTable;
import vn.ndx.audit.web.QueryNumbers;

/**
 * The chain for operators and outsiders: the daily roots to publish, the entries to recompute them from,
 * and a verification that does so here. Ranges are days of counting (docs/audit.md says why).
 */
@RestController
class ChainController {

    /** An entry with its links, as exported for recomputation. */
    record LinkedEntry(@JsonUnwrapped ChainEntry entry, String previousHash, String hash) {
    }

    /** Entries after {@code afterSeq}, in chain order; {@code nextAfterSeq} pages on, null at the end. */
    record Entries(List<LinkedEntry> items, @Nullable Long nextAfterSeq) implements CsvTable {
        static final List<String> HEADER = List.of("seq", "countedAt", "transactionId", "startedAt", "kind", "outcome", "status",
                "consumerAgency", "consumerSystem", "clientId", "providerAgency", "providerSystem", "service", "method",
                "problemCode", "requestBytes", "responseBytes", "durationMicros", "emitter", "requestDigest", "responseDigest",
                "purpose", "subjectDigest", "previousHash", "hash");

        @Override
        public List<String> csvHeader() {
            return HEADER;
        }

        @Override
        public List<List<?>> csvRows() {
            var rows = new ArrayList<List<?>>(items.size());
            for (LinkedEntry item : items) {
                ChainEntry e = item.entry();
                rows.add(Arrays.asList(e.seq(), e.countedAt(), e.transactionId(), e.startedAt(), e.kind(), e.outcome(), e.status(),
                        e.consumerAgency(), e.consumerSystem(), e.clientId(), e.providerAgency(), e.providerSystem(), e.service(),
                        e.method(), e.problemCode(), e.requestBytes(), e.responseBytes(), e.durationMicros(), e.emitter(),
                        e.requestDigest(), e.responseDigest(), e.purpose(), e.subjectDigest(), item.previousHash(), item.hash()));
            }
            return rows;
        }
    }

    private static final int MAX_PAGE = 10_000;

    private final ChainDays chainDays;
    private final ChainVerifier verifier;
    private final ChainEntries entries;
    private final AuditProperties properties;

    ChainController(ChainDays chainDays, ChainVerifier verifier, ChainEntries entries, AuditProperties properties) {
        this.chainDays = chainDays;
        this.verifier = verifier;
        this.entries = entries;
        this.properties = properties;
    }

    /** {@code GET /audit/roots?from=&to=}: one root per day of counting, to publish. */
    @GetMapping("/audit/roots")
    ChainDays.Roots roots(@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to) {
        return chainDays.roots(DayRange.parse(from, to, properties.maxRangeDays()));
    }

    /** {@code GET /audit/verify?from=&to=}: recomputes every hash of those days of counting. */
    @GetMapping("/audit/verify")
    ChainVerifier.Report verify(@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to) {
        return verifier.verify(DayRange.parse(from, to, properties.maxRangeDays()));
    }

    /** {@code GET /audit/entries?afterSeq=0&size=1000}: the chain's entries in order, every hashed field. */
    @GetMapping("/audit/entries")
    Entries entries(@RequestParam(defaultValue = "0") String afterSeq, @RequestParam(defaultValue = "1000") String size) {
        long after = QueryNumbers.within("afterSeq", afterSeq, 0, Long.MAX_VALUE);
        int limit = QueryNumbers.within("size", size, 1, MAX_PAGE);
        List<LinkedEntry> items = entries.after(after, limit);
        Long next = items.size() < limit ? null : items.get(items.size() - 1).entry().seq();
        return new Entries(items, next);
    }
}
