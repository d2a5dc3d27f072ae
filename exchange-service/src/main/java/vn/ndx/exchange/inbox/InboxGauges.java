package vn.ndx.exchange.inbox;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import vn.ndx.exchange.ledger.InboxKey;
import vn.ndx.exchange.ledger.RecordLedger;
import vn.ndx.exchange.registry.RegistryView;

/**
 * What waits in the inboxes, per recipient agency, so an operator sees a recipient fall behind before
 * its citizens do: {@code ndx_exchange_inbox_backlog} (records not yet acknowledged) and
 * {@code ndx_exchange_dead_letters} (pushes given up, waiting for a redrive). Every exchange instance
 * holds every inbox, so every instance reports the same figures: take the max across instances, not the
 * sum. Agencies stay at 0 once their inbox is empty rather than vanish from the graphs. Also
 * {@code ndx_exchange_payload_cache_bytes}: payloads held in memory, up to the configured cache.
 */
@Component
class InboxGauges {

    private final RecordLedger ledger;
    private final RegistryView registry;
    private final MultiGauge backlog;
    private final MultiGauge deadLetters;
    private final Map<String, Integer> backlogSeen = new HashMap<>();
    private final Map<String, Integer> deadLettersSeen = new HashMap<>();

    InboxGauges(RecordLedger ledger, RegistryView registry, MeterRegistry meters) {
        this.ledger = ledger;
        this.registry = registry;
        this.backlog = MultiGauge.builder("ndx.exchange.inbox.backlog")
                .description("Records waiting in inboxes, not yet acknowledged, per recipient agency").register(meters);
        this.deadLetters = MultiGauge.builder("ndx.exchange.dead.letters")
                .description("Dead letters waiting for a redrive, per recipient agency").register(meters);
        Gauge.builder("ndx.exchange.payload.cache", ledger, RecordLedger::cachedPayloadBytes).baseUnit("bytes")
                .description("Payloads of waiting records held in memory; the rest are read from Kafka when delivered").register(meters);
        refresh();
    }

    @Scheduled(fixedDelayString = "${ndx.exchange.gauge-interval:PT15S}")
    synchronized void refresh() {
        // every agency a channel delivers to has its series, 0 while its inboxes are empty: a dashboard and an
        // alert see an agency whose backlog never rose between two refreshes
        registry.channels().forEach(channel -> {
            backlogSeen.putIfAbsent(channel.agencyCode(), 0);
            deadLettersSeen.putIfAbsent(channel.agencyCode(), 0);
        });
        publish(backlog, backlogSeen, ledger.pendingCounts());
        publish(deadLetters, deadLettersSeen, ledger.deadLetterCounts());
    }

    private static void publish(MultiGauge gauge, Map<String, Integer> seen, Map<InboxKey, Integer> counts) {
        seen.replaceAll((agency, count) -> 0);
        counts.forEach((inbox, count) -> seen.merge(inbox.agency(), count, Integer::sum));
        gauge.register(seen.entrySet().stream()
                .map(entry -> MultiGauge.Row.of(Tags.of("recipient_agency", entry.getKey()), entry.getValue()))
                .toList(), true);
    }
}
