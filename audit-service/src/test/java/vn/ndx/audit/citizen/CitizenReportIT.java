package vn.ndx.audit.citizen;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.apache.commons.csv.CSVFormat;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import vn.ndx.audit.AuditTest;
import vn.ndx.contract.Headers;
import vn.ndx.contract.Outcome;
import vn.ndx.contract.RegistrySnapshot.Operator;
import vn.ndx.contract.TransactionEvent;
import vn.ndx.contract.TransactionKind;
import vn.ndx.contract.testing.GatewayProofs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A citizen's report holds exactly the transactions that named that citizen, newest first, and nothing of
 * anyone else's; the agencies the law exempts are left out; only the citizen portal may ask.
 */
class CitizenReportIT extends AuditTest {

    static final String SECURITY_UNIT = "000.00.01.B05"; // under the exempt 000.00.00.B05

    @Test
    void the_report_holds_exactly_the_citizens_own_accesses_newest_first_without_exempt_agencies() throws Exception {
        LocalDate day = LocalDate.of(2033, 4, 1);
        String citizen = randomDigest();
        String neighbour = randomDigest();
        Instant noon = noonOf(day);
        var expected = new ArrayList<String>(); // newest first
        List<TransactionEvent> events = List.of(
                named(noon, H29, "administrative-procedure", Outcome.OK, citizen),
                named(noon.plusSeconds(1), H41, "social-assistance", Outcome.REFUSED, citizen),
                named(noon.plusSeconds(2), H29, "administrative-procedure", Outcome.OK, neighbour),
                named(noon.plusSeconds(3), SECURITY_UNIT, "investigation", Outcome.OK, citizen),
                named(noon.plusSeconds(4), H29, null, Outcome.OK, null),
                named(noon.plusSeconds(5), H29, "administrative-procedure", Outcome.TIMEOUT, citizen),
                // the day after: outside the range asked for
                named(noonOf(day.plusDays(1)), H29, "administrative-procedure", Outcome.OK, citizen));
        for (TransactionEvent event : events) {
            sendEvent(event);
        }
        awaitTotal(port, day.plusDays(1), 1);
        awaitTotal(port, day, 6);
        expected.add(events.get(5).transactionId());
        expected.add(events.get(1).transactionId());
        expected.add(events.get(0).transactionId());

        JsonNode report = report(citizen, "from=2033-04-01&to=2033-04-01", "application/json");
        List<String> ids = report.get("items").valueStream().map(item -> item.get("transactionId").asString()).toList();
        assertThat(ids).containsExactlyElementsOf(expected);
        JsonNode newest = report.get("items").get(0);
        assertThat(newest.get("consumerAgency").asString()).isEqualTo(H29);
        assertThat(newest.get("consumerSystem").asString()).isEqualTo("one-stop-portal");
        assertThat(newest.get("providerAgency").asString()).isEqualTo(TAX);
        assertThat(newest.get("service").asString()).isEqualTo("personal-income");
        assertThat(newest.get("purpose").asString()).isEqualTo("administrative-procedure");
        assertThat(newest.get("outcome").asString()).isEqualTo("TIMEOUT");
        assertThat(newest.get("at").asString()).isEqualTo(noon.plusSeconds(5).toString());
        assertThat(report.toString()).as("the digest is the key, never shown back").doesNotContain(citizen);
        assertThat(report.get("hasMore").asBoolean()).isFalse();

        // the neighbour sees their own one and nothing of the citizen's
        assertThat(report(neighbour, "from=2033-04-01&to=2033-04-02", "application/json").get("items").valueStream()
                .map(item -> item.get("transactionId").asString()).toList()).containsExactly(events.get(2).transactionId());

        // paged
        JsonNode first = report(citizen, "from=2033-04-01&to=2033-04-02&size=2", "application/json");
        JsonNode second = report(citizen, "from=2033-04-01&to=2033-04-02&size=2&page=1", "application/json");
        assertThat(first.get("hasMore").asBoolean()).isTrue();
        assertThat(second.get("hasMore").asBoolean()).isFalse();
        assertThat(first.get("items").get(0).get("transactionId").asString()).isEqualTo(events.get(6).transactionId());
        assertThat(second.get("items")).hasSize(2);

        // CSV, the same rows
        var csv = send(citizen, "from=2033-04-01&to=2033-04-01", "text/csv", Operator.CITIZEN_PORTAL);
        assertThat(csv.statusCode()).as(csv.body()).isEqualTo(200);
        try (var parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(csv.body()))) {
            assertThat(parser.getRecords().stream().map(row -> row.get("transactionId")).toList()).containsExactlyElementsOf(expected);
        }

        // operators find the same citizen's transactions in the log, by purpose too
        var search = http.send(GatewayProofs.signed("audit", HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/transactions?from=2033-04-01&to=2033-04-01&purpose=administrative-procedure"))
                .header(Headers.OPERATOR, "platform-operator").header(Headers.OPERATOR_ROLE, Operator.READ_ONLY)
                .header(Headers.DATA_SUBJECT_DIGEST, citizen).build()), HttpResponse.BodyHandlers.ofString());
        assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
        JsonNode found = JSON.readTree(search.body()).get("items");
        assertThat(found.valueStream().map(item -> item.get("transactionId").asString()).toList())
                .containsExactly(events.get(5).transactionId(), events.get(0).transactionId());
        assertThat(found.get(0).get("subjectDigest").asString()).isEqualTo(citizen);
    }

    @Test
    void only_the_citizen_portal_asks_and_only_for_a_named_citizen_over_a_valid_range() throws Exception {
        String citizen = randomDigest();
        assertProblem(send(citizen, "from=2033-04-01&to=2033-04-01", "application/json", Operator.READ_ONLY), 403, "out_of_scope");
        assertProblem(send(citizen, "from=2033-04-01&to=2033-04-01", "application/json", Operator.PLATFORM_ADMIN), 403, "out_of_scope");
        assertProblem(send(citizen, "from=2033-04-01&to=2033-04-01", "application/json", null), 403, "out_of_scope");
        assertProblem(send(null, "from=2033-04-01&to=2033-04-01", "application/json", Operator.CITIZEN_PORTAL), 400, "data_subject_invalid");
        assertProblem(send("079203001234", "from=2033-04-01&to=2033-04-01", "application/json", Operator.CITIZEN_PORTAL), 400,
                "data_subject_invalid");
        assertProblem(send(citizen, "from=2033-04-02&to=2033-04-01", "application/json", Operator.CITIZEN_PORTAL), 400, "bad_request");
        assertProblem(send(citizen, "from=yesterday&to=2033-04-01", "application/json", Operator.CITIZEN_PORTAL), 400, "bad_request");
        assertProblem(send(citizen, "from=2020-01-01&to=2033-04-01", "application/json", Operator.CITIZEN_PORTAL), 400, "bad_request");
        assertProblem(send(citizen, "from=2033-04-01&to=2033-04-01&size=501", "application/json", Operator.CITIZEN_PORTAL), 400, "bad_request");
    }

    private JsonNode report(String digest, String query, String accept) throws Exception {
        var response = send(digest, query, accept, Operator.CITIZEN_PORTAL);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** The call as the gateway forwards the citizen portal's: its role and the digest of the citizen it named. */
    private HttpResponse<String> send(@Nullable String digest, String query, String accept, @Nullable String role) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/citizen/accesses?" + query)).header("Accept", accept);
        if (role != null) {
            request.header(Headers.OPERATOR, "citizen-portal").header(Headers.OPERATOR_ROLE, role);
        }
        if (digest != null) {
            request.header(Headers.DATA_SUBJECT_DIGEST, digest);
        }
        return http.send(GatewayProofs.signed("audit", request.build()), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("code").asString()).isEqualTo(code);
    }

    private static TransactionEvent named(Instant startedAt, String consumer, @Nullable String purpose, Outcome outcome,
                                          @Nullable String subjectDigest) {
        return new TransactionEvent(UUID.randomUUID().toString(), TransactionKind.QUERY, startedAt, 2_000, consumer, "one-stop-portal",
                "client-of-" + consumer, TAX, "tax-registry", "personal-income", "GET", outcome == Outcome.OK ? 200 : 400, outcome,
                outcome == Outcome.OK ? null : "purpose_required", 0, 80, "gateway", null, null, purpose, subjectDigest);
    }

    private static String randomDigest() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
