package vn.ndx.audit.chain;

import java.sql.Date;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import vn.ndx.audit.CalendarDays;
import vn.ndx.contract.TransactionEvent;

/**
 * Links newly counted transactions to the end of the chain, inside the counting transaction: the head row
 * is locked first, so batches from any number of partitions are linked one after another, and an entry's
 * hash commits (or rolls back) with the entry itself.
 */
@Component
public class HashChain {

    /** Where the chain ends when a batch starts linking. */
    public record Head(long lastSeq, String lastHash, @Nullable Instant countedAt) {
    }

    /** An entry with the hash it links to and its own. */
    public record Link(ChainEntry entry, String previousHash, String hash) {
    }

    private final JdbcTemplate jdbc;

    HashChain(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Locks the head until the calling transaction ends. Taken before anything else in a counting
     * transaction, so that the check for transactions already counted sees every earlier batch.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Head lockHead() {
        return jdbc.queryForObject("SELECT last_seq, last_hash, counted_at FROM chain_head WHERE id = 1 FOR UPDATE",
                (row, n) -> {
                    OffsetDateTime countedAt = row.getObject(3, OffsetDateTime.class);
                    return new Head(row.getLong(1), row.getString(2), countedAt == null ? null : countedAt.toInstant());
                });
    }

    /**
     * The links of {@code events} after {@code head}, in the given order. All share one counting time, never
     * earlier than the head's, so the chain's order and its days of counting agree even if the clock steps back.
     */
    public List<Link> link(Head head, List<TransactionEvent> events, Instant now) {
        Instant countedAt = head.countedAt() != null && head.countedAt().isAfter(now) ? head.countedAt() : now;
        var links = new ArrayList<Link>(events.size());
        long seq = head.lastSeq();
        String previous = head.lastHash();
        for (TransactionEvent event : events) {
            ChainEntry entry = ChainEntry.of(++seq, countedAt, event);
            String hash = entry.hash(previous);
            links.add(new Link(entry, previous, hash));
            previous = hash;
        }
        return links;
    }

    /** Moves the head and the day's root to the last of {@code links}, already inserted in the log. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void advance(List<Link> links) {
        if (links.isEmpty()) {
            return;
        }
        Link first = links.get(0);
        Link last = links.get(links.size() - 1);
        Instant countedAt = last.entry().countedAt();
        jdbc.update("UPDATE chain_head SET last_seq = ?, last_hash = ?, counted_at = ? WHERE id = 1",
                last.entry().seq(), last.hash(), countedAt.atOffset(ZoneOffset.UTC));
        Date day = Date.valueOf(CalendarDays.dayOf(countedAt));
        if (jdbc.update("UPDATE chain_days SET last_seq = ?, root = ? WHERE chain_day = ?", last.entry().seq(), last.hash(), day) == 0) {
            jdbc.update("INSERT INTO chain_days (chain_day, first_seq, last_seq, root) VALUES (?, ?, ?, ?)",
                    day, first.entry().seq(), last.entry().seq(), last.hash());
        }
    }
}
