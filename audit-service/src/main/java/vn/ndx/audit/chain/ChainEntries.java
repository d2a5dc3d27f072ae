package vn.ndx.audit.chain;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The chain's entries in chain order, with their links, as the store holds them. */
@Component
class ChainEntries {

    private final JdbcTemplate jdbc;

    ChainEntries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Up to {@code limit} entries after sequence number {@code afterSeq}. */
    List<ChainController.LinkedEntry> after(long afterSeq, int limit) {
        return jdbc.query("SELECT " + ChainEntry.COLUMNS + ", prev_hash, entry_hash FROM transaction_log "
                        + "WHERE seq > ? ORDER BY seq FETCH FIRST ? ROWS ONLY",
                (row, n) -> new ChainController.LinkedEntry(ChainEntry.read(row), row.getString(ChainEntry.COLUMN_COUNT + 1), row.getString(ChainEntry.COLUMN_COUNT + 2)), afterSeq, limit);
    }
}
