package vn.ndx.audit.chain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;
import vn.ndx.contract.TransactionEvent;

/**
 * One transaction's metadata exactly as the hash chain covers it, with its place in the chain.
 * docs/audit.md defines the same text so that anyone holding an export can recompute every hash; change
 * one and change the other, or old chains no longer verify.
 */
public record ChainEntry(long seq, Instant countedAt, String transactionId, Instant startedAt, String kind, String outcome,
                         int status, @Nullable String consumerAgency, @Nullable String consumerSystem,
                         @Nullable String clientId, @Nullable String providerAgency, @Nullable String providerSystem,
                         @Nullable String service, @Nullable String method, @Nullable String problemCode, long requestBytes,
                         long responseBytes, long durationMicros, String emitter, @Nullable String requestDigest,
                         @Nullable String responseDigest, @Nullable String purpose, @Nullable String subjectDigest) {

    /** The previous hash of the first entry ever linked. */
    public static final String GENESIS = "0".repeat(64);

    /** Marks the text's format, so that a later format can never produce the same text. */
    static final String FORMAT = "ndx-audit-chain-1";

    /** Fixed six fractional digits: the precision the database keeps, printed the same way every time. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** The log's columns that {@link #read} reads, in its order. */
    public static final String COLUMNS = """
            seq, counted_at, transaction_id, started_at, kind, outcome, status, consumer_agency, consumer_system, client_id,
            provider_agency, provider_system, service, method, problem_code, request_bytes, response_bytes, duration_micros,
            emitter, request_digest, response_digest, purpose, subject_digest""";

    /** How many columns {@link #COLUMNS} names: a query's own columns follow. */
    public static final int COLUMN_COUNT = 23;

    public ChainEntry {
        // what the database keeps (TIMESTAMP WITH TIME ZONE, microseconds) is what is hashed
        countedAt = countedAt.truncatedTo(ChronoUnit.MICROS);
        startedAt = startedAt.truncatedTo(ChronoUnit.MICROS);
    }

    static ChainEntry of(long seq, Instant countedAt, TransactionEvent e) {
        return new ChainEntry(seq, countedAt, e.transactionId(), e.startedAt(), e.kind().name(), e.outcome().name(), e.status(),
                e.consumerAgency(), e.consumerSystem(), e.clientId(), e.providerAgency(), e.providerSystem(), e.service(),
                e.method(), e.problemCode(), e.requestBytes(), e.responseBytes(), e.durationMicros(), e.emitter(),
                e.requestDigest(), e.responseDigest(), e.purpose(), e.subjectDigest());
    }

    /** An entry from a row holding {@link #COLUMNS} first. */
    public static ChainEntry read(ResultSet row) throws SQLException {
        return new ChainEntry(row.getLong(1), row.getObject(2, OffsetDateTime.class).toInstant(), row.getString(3),
                row.getObject(4, OffsetDateTime.class).toInstant(), row.getString(5), row.getString(6), row.getInt(7),
                row.getString(8), row.getString(9), row.getString(10), row.getString(11), row.getString(12), row.getString(13),
                row.getString(14), row.getString(15), row.getLong(16), row.getLong(17), row.getLong(18), row.getString(19),
                row.getString(20), row.getString(21), row.getString(22), row.getString(23));
    }

    /**
     * The hashed text: the format marker, the previous entry's hash and every field, separated by tabs, in
     * this order; null as {@code \N}; backslash, tab, CR and LF escaped so no two entries share a text. The
     * purpose and the subject's digest follow only on an entry that has either, so every entry counted before
     * they existed keeps its text and its hash.
     */
    public String canonicalText(String previousHash) {
        var text = new StringBuilder(512).append(FORMAT).append('\t').append(previousHash);
        Object[] fields = {seq, TIME.format(countedAt), transactionId, TIME.format(startedAt), kind, outcome, status,
                consumerAgency, consumerSystem, clientId, providerAgency, providerSystem, service, method, problemCode,
                requestBytes, responseBytes, durationMicros, emitter, requestDigest, responseDigest, purpose, subjectDigest};
        int count = purpose == null && subjectDigest == null ? fields.length - 2 : fields.length;
        for (int i = 0; i < count; i++) {
            Object field = fields[i];
            text.append('\t');
            if (field == null) {
                text.append("\\N");
            } else {
                escape(text, field.toString());
            }
        }
        return text.toString();
    }

    /** Lower-case hex SHA-256 of the UTF-8 canonical text. */
    public String hash(String previousHash) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(canonicalText(previousHash).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    private static void escape(StringBuilder text, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(c);
            }
        }
    }
}
