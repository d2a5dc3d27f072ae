package vn.ndx.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import vn.ndx.contract.TransactionKind;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tamper-evident log: whatever is changed or removed in the stored log, verification finds it and
 * says where; an outsider with the exported entries recomputes every hash and the published roots.
 */
class ChainIT extends AuditTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void changing_one_stored_entry_is_found_by_verify_at_its_position() throws Exception {
        List<String> ids = countFive(LocalDate.of(2033, 2, 1));
        String today = CalendarDays.today().toString();
        String verify = "/audit/verify?from=" + today + "&to=" + today;
        assertThat(json(verify).get("intact").asBoolean()).as(json(verify).toString()).isTrue();

        String altered = ids.get(2);
        long seq = json("/transactions/" + altered).get("seq").asLong();
        long firstOfDay = json("/audit/roots?from=" + today + "&to=" + today).get(0).get("firstSeq").asLong();
        String original = jdbc.queryForObject("SELECT provider_agency FROM transaction_log WHERE transaction_id = ?", String.class, altered);
        jdbc.update("UPDATE transaction_log SET provider_agency = '000.00.00.G99' WHERE transaction_id = ?", altered);
        try {
            JsonNode report = json(verify);
            assertThat(report.get("intact").asBoolean()).isFalse();
            assertThat(report.get("breaks").asLong()).isEqualTo(1);
            JsonNode broken = report.get("firstBroken");
            assertThat(broken.get("seq").asLong()).isEqualTo(seq);
            assertThat(broken.get("positionInDay").asLong()).isEqualTo(seq - firstOfDay + 1);
            assertThat(broken.get("transactionId").asString()).isEqualTo(altered);
            assertThat(broken.get("reason").asString()).isEqualTo("ENTRY_ALTERED");
            assertThat(broken.get("date").asString()).isEqualTo(today);
        } finally {
            jdbc.update("UPDATE transaction_log SET provider_agency = ? WHERE transaction_id = ?", original, altered);
        }
        assertThat(json(verify).get("intact").asBoolean()).isTrue();
    }

    @Test
    void an_entry_removed_or_rehashed_is_found_too() throws Exception {
        List<String> ids = countFive(LocalDate.of(2033, 2, 2));
        String today = CalendarDays.today().toString();
        String verify = "/audit/verify?from=" + today + "&to=" + today;

        String removed = ids.get(1);
        long seq = json("/transactions/" + removed).get("seq").asLong();
        jdbc.update("CREATE TABLE removed_entry AS SELECT * FROM transaction_log WHERE transaction_id = ?", removed);
        jdbc.update("DELETE FROM transaction_log WHERE transaction_id = ?", removed);
        try {
            JsonNode broken = json(verify).get("firstBroken");
            assertThat(broken.get("seq").asLong()).isEqualTo(seq);
            assertThat(broken.get("reason").asString()).isEqualTo("ENTRY_MISSING");
        } finally {
            jdbc.update("INSERT INTO transaction_log SELECT * FROM removed_entry");
            jdbc.update("DROP TABLE removed_entry");
        }

        // someone who changes an entry and stores its new hash breaks the link to the next entry instead
        String rehashed = ids.get(3);
        long rehashedSeq = json("/transactions/" + rehashed).get("seq").asLong();
        String hash = jdbc.queryForObject("SELECT entry_hash FROM transaction_log WHERE transaction_id = ?", String.class, rehashed);
        jdbc.update("UPDATE transaction_log SET entry_hash = ? WHERE transaction_id = ?", "f".repeat(64), rehashed);
        try {
            JsonNode report = json(verify);
            assertThat(report.get("firstBroken").get("seq").asLong()).isEqualTo(rehashedSeq);
            assertThat(report.get("firstBroken").get("reason").asString()).isEqualTo("ENTRY_ALTERED");
        } finally {
            jdbc.update("UPDATE transaction_log SET entry_hash = ? WHERE transaction_id = ?", hash, rehashed);
        }
        assertThat(json(verify).get("intact").asBoolean()).isTrue();
    }

    @Test
    void an_outsider_recomputes_every_hash_and_the_published_root_from_the_export() throws Exception {
        countFive(LocalDate.of(2033, 2, 3));
        // and one that named a purpose and a data subject: the two fields its text ends with
        var base = event(UUID.randomUUID().toString(), noonOf(LocalDate.of(2033, 2, 4)), TransactionKind.QUERY);
        sendEvent(new vn.ndx.contract.TransactionEvent(base.transactionId(), base.kind(), base.startedAt(), base.durationMicros(),
                base.consumerAgency(), base.consumerSystem(), base.clientId(), base.providerAgency(), base.providerSystem(),
                base.service(), base.method(), base.status(), base.outcome(), base.problemCode(), base.requestBytes(),
                base.responseBytes(), base.emitter(), base.requestDigest(), base.responseDigest(), "administrative-procedure",
                "5d41402abc4b2a76b9719d911017c5925d41402abc4b2a76b9719d911017c592"));
        awaitTotal(port, LocalDate.of(2033, 2, 4), 1);
        String today = CalendarDays.today().toString();

        // roots first: entries counted while this test reads are after the root it checks
        JsonNode root = json("/audit/roots?from=" + today + "&to=" + today).get(0);
        long lastSeq = root.get("lastSeq").asLong();
        assertThat(csv("/audit/roots?from=" + today + "&to=" + today).get(0).get("root")).isEqualTo(root.get("root").asString());

        // docs/audit.md, written again here from its text rather than from the code
        var time = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
        var sha256 = MessageDigest.getInstance("SHA-256");
        String previous = "0".repeat(64);
        long after = 0;
        int purposes = 0;
        while (after < lastSeq) {
            JsonNode page = json("/audit/entries?afterSeq=" + after + "&size=100");
            assertThat(page.get("items")).as("entries up to the root's").isNotEmpty();
            for (JsonNode entry : page.get("items")) {
                if (entry.get("seq").asLong() > lastSeq) {
                    break;
                }
                var text = new StringBuilder("ndx-audit-chain-1\t").append(previous);
                var fields = new ArrayList<>(List.of("seq", "countedAt", "transactionId", "startedAt", "kind", "outcome", "status",
                        "consumerAgency", "consumerSystem", "clientId", "providerAgency", "providerSystem", "service", "method", "problemCode",
                        "requestBytes", "responseBytes", "durationMicros", "emitter", "requestDigest", "responseDigest"));
                if (!entry.get("purpose").isNull() || !entry.get("subjectDigest").isNull()) {
                    fields.addAll(List.of("purpose", "subjectDigest"));
                    purposes++;
                }
                for (String field : fields) {
                    JsonNode value = entry.get(field);
                    text.append('\t');
                    if (value.isNull()) {
                        text.append("\\N");
                    } else {
                        String written = field.endsWith("At") ? time.format(Instant.parse(value.asString())) : value.asString();
                        text.append(written.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r"));
                    }
                }
                assertThat(entry.get("previousHash").asString()).as("entry " + entry.get("seq")).isEqualTo(previous);
                String hash = HexFormat.of().formatHex(sha256.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
                assertThat(entry.get("hash").asString()).as("entry " + entry.get("seq")).isEqualTo(hash);
                previous = hash;
                after = entry.get("seq").asLong();
            }
        }
        assertThat(after).isEqualTo(lastSeq);
        assertThat(purposes).as("entries with a purpose recomputed").isPositive();
        assertThat(previous).as("the published root is the hash of the day's last entry").isEqualTo(root.get("root").asString());
    }

    private List<String> countFive(LocalDate day) throws Exception {
        var ids = new ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            sendEvent(event(id, noonOf(day).plusSeconds(i), TransactionKind.QUERY));
        }
        awaitTotal(port, day, 5);
        return ids;
    }
}
