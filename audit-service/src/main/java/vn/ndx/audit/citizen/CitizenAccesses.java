package vn.ndx.audit.citizen;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import vn.ndx.audit.AuditProperties;
import vn.ndx.contract.AgencyCode;

/**
 * The log's transactions that named one citizen, found by the keyed digest the gateway made of the identity
 * number (the number itself is nowhere here), leaving out the agencies the law exempts.
 */
@Component
class CitizenAccesses {

    private final JdbcTemplate jdbc;
    private final List<String> exemptPatterns;

    CitizenAccesses(JdbcTemplate jdbc, AuditProperties properties) {
        this.jdbc = jdbc;
        this.exemptPatterns = properties.citizen().exemptAgencies().stream().map(CitizenAccesses::subtreePattern).toList();
    }

    /** Newest first; up to {@code limit} rows after skipping {@code offset}. */
    List<CitizenAccess> of(String subjectDigest, Instant from, Instant to, long offset, int limit) {
        var sql = new StringBuilder("SELECT ").append(CitizenAccess.COLUMNS)
                .append(" FROM transaction_log WHERE subject_digest = ? AND started_at >= ? AND started_at < ?");
        var arguments = new ArrayList<Object>(List.of(subjectDigest, from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC)));
        for (String pattern : exemptPatterns) {
            sql.append(" AND consumer_agency NOT LIKE ?");
            arguments.add(pattern);
        }
        sql.append(" ORDER BY started_at DESC, transaction_id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY");
        arguments.add(offset);
        arguments.add(limit);
        return jdbc.query(sql.toString(), CitizenAccess::read, arguments.toArray());
    }

    /** A LIKE pattern matching an agency and its whole subtree: the codes ending in its used levels. */
    static String subtreePattern(String code) {
        String used = AgencyCode.usedLevels(code);
        return used.equals(code) ? used : "%." + used;
    }
}
