package vn.ndx.audit;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import vn.ndx.contract.Outcome;
import vn.ndx.contract.TransactionEvent;
import vn.ndx.contract.TransactionKind;

import static org.assertj.core.api.Assertions.assertThat;

/** Operators tracing calls: one transaction by id, or pages of them by agency, service, outcome and time. */
class TransactionsIT extends AuditTest {

    @Test
    void a_transaction_is_found_by_its_id_with_its_metadata_and_place_in_the_chain() throws Exception {
        LocalDate day = LocalDate.of(2033, 3, 1);
        TransactionEvent sent = event(UUID.randomUUID().toString(), noonOf(day), TransactionKind.RECORD, H41, H29,
                "business-registration", Outcome.PROVIDER_ERROR);
        sendRecord(sent, "{\"secret\":\"never stored\"}");
        awaitTotal(port, day, 1);

        JsonNode found = json("/transactions/" + sent.transactionId());
        assertThat(found.get("transactionId").asString()).isEqualTo(sent.transactionId());
        assertThat(found.get("date").asString()).isEqualTo("2033-03-01");
        assertThat(found.get("kind").asString()).isEqualTo("RECORD");
        assertThat(found.get("outcome").asString()).isEqualTo("PROVIDER_ERROR");
        assertThat(found.get("consumerAgency").asString()).isEqualTo(H41);
        assertThat(found.get("providerAgency").asString()).isEqualTo(H29);
        assertThat(found.get("problemCode").asString()).isEqualTo("provider_unavailable");
        assertThat(found.get("responseDigest").asString()).isEqualTo(sent.responseDigest());
        assertThat(found.get("seq").asLong()).isPositive();
        assertThat(found.get("entryHash").asString()).hasSize(64);
        assertThat(found.toString()).doesNotContain("never stored");

        var missing = get(port, "/transactions/" + UUID.randomUUID());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(missing.body()).get("code").asString()).isEqualTo("not_found");
    }

    @Test
    void search_pages_through_an_agencys_transactions_newest_first() throws Exception {
        LocalDate day = LocalDate.of(2033, 3, 2);
        for (int i = 0; i < 12; i++) {
            sendEvent(event(UUID.randomUUID().toString(), noonOf(day).plusSeconds(i), TransactionKind.QUERY, i % 2 == 0 ? H41 : H29, TAX,
                    i % 3 == 0 ? "land-parcel" : "business-tax-status", i % 4 == 0 ? Outcome.TIMEOUT : Outcome.OK));
        }
        awaitTotal(port, day, 12);

        var seen = new HashSet<String>();
        String previousStart = null;
        for (int page = 0; page < 2; page++) {
            JsonNode result = json("/transactions?from=2033-03-02&to=2033-03-02&agency=" + H41 + "&size=4&page=" + page);
            assertThat(result.get("hasMore").asBoolean()).isEqualTo(page == 0);
            assertThat(result.propertyNames()).as("a page, and only a page: the CSV header stays out of the JSON")
                    .containsExactlyInAnyOrder("items", "page", "size", "hasMore");
            for (JsonNode item : result.get("items")) {
                assertThat(seen.add(item.get("transactionId").asString())).isTrue();
                assertThat(item.get("consumerAgency").asString()).isEqualTo(H41);
                String startedAt = item.get("startedAt").asString();
                if (previousStart != null) {
                    assertThat(startedAt).isLessThan(previousStart);
                }
                previousStart = startedAt;
            }
        }
        assertThat(seen).hasSize(6);
        assertThat(json("/transactions?from=2033-03-02&to=2033-03-02&agency=" + TAX).get("items")).hasSize(12);
        assertThat(json("/transactions?from=2033-03-02&to=2033-03-02&service=land-parcel").get("items")).hasSize(4);
        assertThat(json("/transactions?from=2033-03-02&to=2033-03-02&outcome=TIMEOUT&consumerAgency=" + H41).get("items")).hasSize(3);
        // time, to the second, with its offset: 12:00:00 to 12:00:03 in Hanoi is the first three
        List<String> firstThree = json("/transactions?from=2033-03-02T12:00:00%2B07:00&to=2033-03-02T05:00:03Z").get("items")
                .valueStream().map(item -> item.get("startedAt").asString()).toList();
        assertThat(firstThree).containsExactly("2033-03-02T05:00:02Z", "2033-03-02T05:00:01Z", "2033-03-02T05:00:00Z");
    }
}
