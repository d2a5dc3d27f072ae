package vn.ndx.audit.chain;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import vn.ndx.audit.DayRange;

/**
 * Recomputes the chain over days of counting from the stored entries and reports the first link that does
 * not hold. It trusts nothing stored but the root of the day before the range (the anchor), which an
 * outsider can compare with the roots published earlier.
 */
@Component
class ChainVerifier {

    /**
     * Why a link does not hold: an entry's fields no longer hash to its stored hash ({@code entry_altered});
     * its previous hash is not the hash of the entry before it ({@code link_broken}); a position in the chain
     * has no entry ({@code entry_missing}); the day's last hash is not its stored root ({@code root_mismatch}).
     */
    enum Reason { ENTRY_ALTERED, LINK_BROKEN, ENTRY_MISSING, ROOT_MISMATCH }

    /**
     * @param seq           the entry's position in the whole chain
     * @param positionInDay its position among the entries of its day of counting, from 1
     */
    record Break(long seq, LocalDate date, long positionInDay, @Nullable String transactionId, Reason reason) {
    }

    record DayResult(LocalDate date, long entries, String root, boolean pruned, boolean intact) {
    }

    /**
     * @param entriesChecked entries recomputed (pruned days have none)
     * @param breaks         links that do not hold; {@code firstBroken} is the first of them
     */
    record Report(LocalDate from, LocalDate to, boolean intact, long entriesChecked, long breaks, @Nullable Break firstBroken,
                  List<DayResult> days) {
    }

    private final JdbcTemplate jdbc;
    private final ChainDays chainDays;

    ChainVerifier(JdbcTemplate jdbc, ChainDays chainDays) {
        this.jdbc = jdbc;
        this.chainDays = chainDays;
    }

    Report verify(DayRange range) {
        List<ChainDays.Day> days = chainDays.between(range.from(), range.to());
        var walk = new Walk();
        if (!days.isEmpty()) {
            ChainDays.Day before = chainDays.before(range.from());
            ChainDays.Day first = days.get(0);
            walk.expectedSeq = first.firstSeq();
            walk.running = before != null ? before.root() : first.firstSeq() == 1 ? ChainEntry.GENESIS : null;
        }
        var results = new ArrayList<DayResult>();
        for (ChainDays.Day day : days) {
            long breaksBefore = walk.breaks;
            if (day.firstSeq() != walk.expectedSeq) {
                walk.broke(new Break(walk.expectedSeq, day.date(), 0, null, Reason.ENTRY_MISSING));
            }
            if (day.pruned()) {
                walk.running = day.root();
            } else {
                walk.day = day;
                walk.expectedSeq = day.firstSeq();
                jdbc.query("SELECT " + ChainEntry.COLUMNS + ", prev_hash, entry_hash FROM transaction_log WHERE seq BETWEEN ? AND ? ORDER BY seq",
                        walk::check, day.firstSeq(), day.lastSeq());
                if (walk.expectedSeq <= day.lastSeq()) {
                    walk.broke(new Break(walk.expectedSeq, day.date(), walk.expectedSeq - day.firstSeq() + 1, null, Reason.ENTRY_MISSING));
                } else if (walk.running != null && !walk.running.equals(day.root())) {
                    walk.broke(new Break(day.lastSeq(), day.date(), day.entries(), null, Reason.ROOT_MISMATCH));
                }
            }
            walk.expectedSeq = day.lastSeq() + 1;
            results.add(new DayResult(day.date(), day.entries(), day.root(), day.pruned(), walk.breaks == breaksBefore));
        }
        return new Report(range.from(), range.to(), walk.breaks == 0, walk.checked, walk.breaks, walk.first, results);
    }

    /** The state of one pass along the chain. */
    private static final class Walk {
        long expectedSeq;
        @Nullable String running; // the hash the next entry must link to; null when nothing anchors the range
        ChainDays.@Nullable Day day;
        long checked;
        long breaks;
        @Nullable Break first;

        void check(java.sql.ResultSet row) throws java.sql.SQLException {
            ChainEntry entry = ChainEntry.read(row);
            String previousHash = row.getString(ChainEntry.COLUMN_COUNT + 1);
            String storedHash = row.getString(ChainEntry.COLUMN_COUNT + 2);
            LocalDate date = day.date();
            long position = entry.seq() - day.firstSeq() + 1;
            checked++;
            if (entry.seq() != expectedSeq) {
                broke(new Break(expectedSeq, date, expectedSeq - day.firstSeq() + 1, null, Reason.ENTRY_MISSING));
            }
            if (running != null && !running.equals(previousHash)) {
                broke(new Break(entry.seq(), date, position, entry.transactionId(), Reason.LINK_BROKEN));
            } else if (!entry.hash(previousHash).equals(storedHash)) {
                broke(new Break(entry.seq(), date, position, entry.transactionId(), Reason.ENTRY_ALTERED));
            }
            // go on from what is stored, so one altered entry is reported once, not as every link after it
            running = storedHash;
            expectedSeq = entry.seq() + 1;
        }

        void broke(Break found) {
            breaks++;
            if (first == null) {
                first = found;
            }
        }
    }
}
