package vn.ndx.exchange.inbox;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * {@code ndx_exchange_dead_letters{recipient_agency}}: dead letters waiting per recipient agency, so an
 * alert sees them grow. Every exchange instance holds every inbox, so every instance reports the same
 * figure: take the max across instances, not the sum.
 */
@Component
class DeadLetterGauge {

    private final InboxIndex index;
    private final MultiGauge gauge;
    /** Agencies that had dead letters: they stay at 0 once redriven rather than vanish from the graphs. */
    private final Map<String, Integer> seen = new HashMap<>();

    DeadLetterGauge(InboxIndex index, MeterRegistry meters) {
        this.index = index;
        this.gauge = MultiGauge.builder("ndx.exchange.dead.letters")
                .description("Dead letters waiting for a redrive, per recipient agency").register(meters);
        refresh();
    }

    @Scheduled(fixedDelayString = "PT15S")
    synchronized void refresh() {
        seen.replaceAll((agency, count) -> 0);
        index.deadLetterCounts().forEach((inbox, count) -> seen.merge(inbox.agency(), count, Integer::sum));
        gauge.register(seen.entrySet().stream()
                .map(entry -> MultiGauge.Row.of(Tags.of("recipient_agency", entry.getKey()), entry.getValue()))
                .toList(), true);
    }
}
