package vn.ndx.audit.retention;

import java.time.Clock;
import java.time.LocalDate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import vn.ndx.audit.AuditProperties;
import vn.ndx.audit.CalendarDays;
import vn.ndx.audit.chain.ChainDays;
import vn.ndx.web.loop.PeriodicLoop;

/**
 * Removes the detailed log of days older than {@code ndx.audit.retention.log-days}; totals, imported
 * history and the chain's daily roots stay forever. Whole days of counting go at once, so the chain that
 * remains still starts from a kept root. Deletes run in slices of {@link #SLICE} rows, each its own
 * transaction, so counting is never held up for long.
 *
 * <p>The log is also what recognises a transaction delivered twice: Kafka must keep events for less time
 * than audit keeps the log (7 days against 180 by default), or a very late redelivery would count again.
 */
@Component
class LogRetention extends PeriodicLoop {

    private static final Logger log = LoggerFactory.getLogger(LogRetention.class);
    static final int SLICE = 10_000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final ChainDays chainDays;
    private final AuditProperties.Retention retention;
    private final Clock clock;
    private final Counter removed;

    LogRetention(JdbcTemplate jdbc, TransactionTemplate transaction, ChainDays chainDays, AuditProperties properties, Clock clock,
                 MeterRegistry meters) {
        super("audit-retention", properties.retention().checkEvery(), meters);
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.chainDays = chainDays;
        this.retention = properties.retention();
        this.clock = clock;
        this.removed = Counter.builder("ndx.audit.log.pruned").description("Log entries removed by retention").register(meters);
    }

    /** Removes the log of every day before {@code firstKept}; returns the number of entries removed. */
    long pruneBefore(LocalDate firstKept) {
        long total = 0;
        for (ChainDays.Day day : chainDays.between(LocalDate.EPOCH, firstKept.minusDays(1))) {
            if (day.pruned()) {
                continue;
            }
            for (long from = day.firstSeq(); from <= day.lastSeq(); from += SLICE) {
                total += jdbc.update("DELETE FROM transaction_log WHERE seq BETWEEN ? AND ?", from, Math.min(from + SLICE - 1, day.lastSeq()));
            }
            transaction.executeWithoutResult(status -> chainDays.markPruned(day.date()));
        }
        removed.increment(total);
        return total;
    }

    /** A failure is logged by the loop, and the next run, one interval later, tries again. */
    @Override
    protected void runOnce() {
        LocalDate firstKept = LocalDate.now(clock.withZone(CalendarDays.ZONE)).minusDays(retention.logDays());
        long pruned = pruneBefore(firstKept);
        if (pruned > 0) {
            log.info("Removed {} log entries of days before {}", pruned, firstKept);
        }
    }
}
