package vn.ndx.audit.search;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;
import vn.ndx.audit.export.CsvPage;

/**
 * One transaction as the log keeps it: metadata and body digests, never a payload. {@code seq} and
 * {@code entryHash} place it in the hash chain; they are null for transactions counted before the chain.
 *
 * @param date          the Asia/Ho_Chi_Minh day it counts on (the day it started)
 * @param purpose       the purpose of use a call to a personal-data service named
 * @param subjectDigest the keyed digest of the citizen it named, never the identity number
 */
record LoggedTransaction(String transactionId, LocalDate date, Instant startedAt, String kind, String outcome, int status,
                         @Nullable String consumerAgency, @Nullable String consumerSystem, @Nullable String clientId,
                         @Nullable String providerAgency, @Nullable String providerSystem, @Nullable String service,
                         @Nullable String method, @Nullable String problemCode, long requestBytes, long responseBytes,
                         long durationMicros, String emitter, @Nullable String requestDigest, @Nullable String responseDigest,
                         @Nullable Long seq, @Nullable Instant countedAt, @Nullable String entryHash,
                         @Nullable String purpose, @Nullable String subjectDigest) implements CsvPage.Row {

    static final String COLUMNS = """
            transaction_id, calendar_day, started_at, kind, outcome, status, consumer_agency, consumer_system, client_id,
            provider_agency, provider_system, service, method, problem_code, request_bytes, response_bytes, duration_micros,
            emitter, request_digest, response_digest, seq, counted_at, entry_hash, purpose, subject_digest""";

    static final List<String> HEADER = List.of("transactionId", "date", "startedAt", "kind", "outcome", "status",
            "consumerAgency", "consumerSystem", "clientId", "providerAgency", "providerSystem", "service", "method",
            "problemCode", "requestBytes", "responseBytes", "durationMicros", "emitter", "requestDigest", "responseDigest",
            "seq", "countedAt", "entryHash", "purpose", "subjectDigest");

    static LoggedTransaction read(ResultSet row, int rowNumber) throws SQLException {
        OffsetDateTime countedAt = row.getObject(22, OffsetDateTime.class);
        return new LoggedTransaction(row.getString(1), row.getDate(2).toLocalDate(), row.getObject(3, OffsetDateTime.class).toInstant(),
                row.getString(4), row.getString(5), row.getInt(6), row.getString(7), row.getString(8), row.getString(9),
                row.getString(10), row.getString(11), row.getString(12), row.getString(13), row.getString(14), row.getLong(15),
                row.getLong(16), row.getLong(17), row.getString(18), row.getString(19), row.getString(20),
                row.getObject(21, Long.class), countedAt == null ? null : countedAt.toInstant(), row.getString(23),
                row.getString(24), row.getString(25));
    }

    @Override
    public List<?> csvRow() {
        return Arrays.asList(transactionId, date, startedAt, kind, outcome, status, consumerAgency, consumerSystem, clientId,
                providerAgency, providerSystem, service, method, problemCode, requestBytes, responseBytes, durationMicros, emitter,
                requestDigest, responseDigest, seq, countedAt, entryHash, purpose, subjectDigest);
    }
}
