package vn.ndx.audit.search;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Finds transactions in the detailed log, which retention keeps for a limited number of days. */
@Component
class TransactionSearch {

    /**
     * Equality filters, null meaning any; {@code agency} matches either side; {@code subjectDigest} is the
     * gateway's keyed digest of the citizen looked for.
     */
    record Criteria(Instant from, Instant to, @Nullable String agency, @Nullable String consumerAgency,
                    @Nullable String providerAgency, @Nullable String service, @Nullable String outcome, @Nullable String kind,
                    @Nullable String purpose, @Nullable String subjectDigest) {
    }

    private final JdbcTemplate jdbc;

    TransactionSearch(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<LoggedTransaction> byId(String transactionId) {
        return jdbc.query("SELECT " + LoggedTransaction.COLUMNS + " FROM transaction_log WHERE transaction_id = ?",
                LoggedTransaction::read, transactionId).stream().findFirst();
    }

    /** Newest first; up to {@code limit} rows after skipping {@code offset}. */
    List<LoggedTransaction> find(Criteria criteria, long offset, int limit) {
        var sql = new StringBuilder("SELECT ").append(LoggedTransaction.COLUMNS)
                .append(" FROM transaction_log WHERE started_at >= ? AND started_at < ?");
        var arguments = new ArrayList<Object>(List.of(criteria.from().atOffset(ZoneOffset.UTC), criteria.to().atOffset(ZoneOffset.UTC)));
        if (criteria.agency() != null) {
            sql.append(" AND (consumer_agency = ? OR provider_agency = ?)");
            arguments.add(criteria.agency());
            arguments.add(criteria.agency());
        }
        equal(sql, arguments, "consumer_agency", criteria.consumerAgency());
        equal(sql, arguments, "provider_agency", criteria.providerAgency());
        equal(sql, arguments, "service", criteria.service());
        equal(sql, arguments, "outcome", criteria.outcome());
        equal(sql, arguments, "kind", criteria.kind());
        equal(sql, arguments, "purpose", criteria.purpose());
        equal(sql, arguments, "subject_digest", criteria.subjectDigest());
        sql.append(" ORDER BY started_at DESC, transaction_id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY");
        arguments.add(offset);
        arguments.add(limit);
        return jdbc.query(sql.toString(), LoggedTransaction::read, arguments.toArray());
    }

    private static void equal(StringBuilder sql, List<Object> arguments, String column, @Nullable String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            arguments.add(value);
        }
    }
}
