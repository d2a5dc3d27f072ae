package vn.ndx.registry;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import vn.ndx.contract.RegistryChange;
import vn.ndx.contract.Topics;
import vn.ndx.contract.testing.KafkaFixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Access requests over real HTTP on the registry of {@link RunningRegistry}: Ho Chi Minh City's administrator
 * ({@code h29-admin}) asks for the tax department's business-tax-status service, the Ministry of Finance's
 * administrator ({@code g12-admin}, whose subtree holds the tax department) decides, and Nghệ An's
 * administrator, made here, is the third agency that sees none of it. Each test asks for a system of its own,
 * so the tests hold whatever order they run in.
 */
class AccessRequestsIT extends RunningRegistry {

    static final String TAX = "\"providerAgency\":\"000.00.18.G12\",\"providerSystem\":\"tax-registry\",\"service\":\"business-tax-status\"";
    static final String H29 = "000.00.00.H29";

    private static String h41AdminSecret;

    @Test
    void an_agency_asks_the_provider_approves_narrower_terms_and_the_grant_carries_the_purpose() throws Exception {
        String h29 = accessToken("h29-admin");
        String g12 = accessToken("g12-admin");
        consumerSystem("permits-desk");
        Instant asked = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        var created = admin("POST", "/access-requests", h29, "{\"consumerAgency\":\"" + H29 + "\",\"consumerSystem\":\"permits-desk\","
                + TAX + ",\"purpose\":\"business-licensing\",\"legalBasis\":\"Business licensing: the applicant business tax status is checked\","
                + "\"methods\":[\"GET\",\"HEAD\"],\"paths\":[\"/business/*\",\"/business/{taxCode}/history\"],\"until\":\"" + asked + "\"}", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode request = JSON.readTree(created.body());
        String id = request.get("id").asString();
        assertThat(created.headers().firstValue("Location")).hasValue("/access-requests/" + id);
        assertThat(request.get("state").asString()).isEqualTo("PENDING");
        assertThat(request.get("requestedBy").asString()).isEqualTo("h29-admin");
        assertThat(request.get("grantId").isNull()).isTrue();

        // both sides see it; the asking side does not decide it
        assertThat(ids(admin("GET", "/access-requests", h29, null, null))).contains(id);
        assertThat(ids(admin("GET", "/access-requests?state=PENDING&size=200", g12, null, null))).contains(id);
        assertThat(ids(admin("GET", "/access-requests?state=APPROVED&size=200", g12, null, null))).doesNotContain(id);
        assertThat(admin("GET", "/access-requests/" + id, g12, null, null).statusCode()).isEqualTo(200);
        assertProblem(admin("POST", "/access-requests/" + id + "/approve", h29, "{}", null), 403, "out_of_scope");

        // the provider narrows, never widens: a method, a path or an end not asked for is refused and changes nothing
        long before = version();
        var wider = admin("POST", "/access-requests/" + id + "/approve", g12, "{\"methods\":[\"POST\"]}", null);
        assertProblem(wider, 400, "validation_failed");
        assertThat(JSON.readTree(wider.body()).get("errors").get(0).get("field").asString()).isEqualTo("methods[0]");
        assertProblem(admin("POST", "/access-requests/" + id + "/approve", g12, "{\"paths\":[\"/business/**\"]}", null),
                400, "validation_failed");
        assertProblem(admin("POST", "/access-requests/" + id + "/approve", g12, "{\"until\":\"" + asked.plusSeconds(1) + "\"}", null),
                400, "validation_failed");
        assertProblem(admin("POST", "/access-requests/" + id + "/approve", g12, "{\"until\":\"2020-01-01T00:00:00Z\"}", null),
                400, "validation_failed");
        assertThat(version()).as("nothing stored").isEqualTo(before);
        assertThat(state(g12, id)).isEqualTo("PENDING");

        Instant approvedUntil = Instant.now().plus(7, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        var approved = admin("POST", "/access-requests/" + id + "/approve", g12, "{\"methods\":[\"GET\"],\"paths\":[\"/business/*\"],"
                + "\"until\":\"" + approvedUntil + "\"}", null);
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        JsonNode decided = JSON.readTree(approved.body());
        assertThat(decided.get("state").asString()).isEqualTo("APPROVED");
        assertThat(decided.get("decidedBy").asString()).isEqualTo("g12-admin");
        String grantId = decided.get("grantId").asString();
        assertThat(decided.get("methods")).as("the request keeps what was asked").hasSize(2);

        // what approval created: a grant of the narrowed terms, carrying the request's purpose and legal basis
        JsonNode grant = grant(g12, grantId);
        assertThat(grant.get("consumerAgency").asString()).isEqualTo(H29);
        assertThat(grant.get("consumerSystem").asString()).isEqualTo("permits-desk");
        assertThat(grant.get("service").asString()).isEqualTo("business-tax-status");
        assertThat(strings(grant.get("purposes"))).containsExactly("business-licensing");
        assertThat(strings(grant.get("methods"))).containsExactly("GET");
        assertThat(strings(grant.get("paths"))).containsExactly("/business/*");
        assertThat(Instant.parse(grant.get("validUntil").asString())).isEqualTo(approvedUntil);
        assertThat(grant.get("grantedBy").asString()).isEqualTo("g12-admin");
        assertThat(grant.get("reason").asString()).isEqualTo("Access request " + id + ": Business licensing: the applicant business tax status is checked");
        assertThat(grant(h29, grantId).get("id").asString()).as("the consumer's administrators see it too").isEqualTo(grantId);
        await().atMost(Duration.ofSeconds(5)).until(() -> latestSnapshot().grants().stream().anyMatch(g ->
                g.consumerSystem().equals("permits-desk") && g.purposes().equals(List.of("business-licensing"))));

        // decided once: neither decided again nor withdrawn
        assertProblem(admin("POST", "/access-requests/" + id + "/approve", g12, null, null), 409, "conflict");
        assertProblem(admin("POST", "/access-requests/" + id + "/refuse", g12, "{\"reason\":\"second thoughts\"}", null), 409, "conflict");
        assertProblem(admin("POST", "/access-requests/" + id + "/withdraw", h29, null, null), 409, "conflict");

        // every step is a registry change, kept by audit, under the provider agency
        await().atMost(Duration.ofSeconds(5)).until(() -> changesOf(id).size() == 2);
        assertThat(changesOf(id)).extracting(RegistryChange::action).containsExactly("access-request.created", "access-request.approved");
        assertThat(changesOf(id)).extracting(RegistryChange::actor).containsExactly("h29-admin", "g12-admin");
        assertThat(changesOf(id)).extracting(RegistryChange::agency).containsOnly("000.00.18.G12");
    }

    @Test
    void the_provider_refuses_with_its_reason_and_no_grant_is_given() throws Exception {
        String h29 = accessToken("h29-admin");
        String g12 = accessToken("g12-admin");
        consumerSystem("tourism-desk");
        String id = ask(h29, "tourism-desk", "tourism-licensing");
        long before = version();
        assertProblem(admin("POST", "/access-requests/" + id + "/refuse", g12, "{}", null), 400, "validation_failed");
        assertProblem(admin("POST", "/access-requests/" + id + "/refuse", g12, "{\"reason\":\" \"}", null), 400, "validation_failed");
        assertProblem(admin("POST", "/access-requests/" + id + "/refuse", g12, "{\"reason\":\"" + "x".repeat(501) + "\"}", null),
                400, "validation_failed");
        assertProblem(admin("POST", "/access-requests/" + id + "/refuse", h29, "{\"reason\":\"not mine to refuse\"}", null),
                403, "out_of_scope");
        assertThat(version()).as("nothing stored").isEqualTo(before);

        var refused = admin("POST", "/access-requests/" + id + "/refuse", g12,
                "{\"reason\":\"Tourism licensing needs no business tax status: no legal basis\"}", null);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(200);
        JsonNode decided = JSON.readTree(refused.body());
        assertThat(decided.get("state").asString()).isEqualTo("REFUSED");
        assertThat(decided.get("refusalReason").asString()).isEqualTo("Tourism licensing needs no business tax status: no legal basis");
        assertThat(decided.get("decidedBy").asString()).isEqualTo("g12-admin");
        assertThat(decided.get("grantId").isNull()).isTrue();
        assertThat(ids(admin("GET", "/access-requests?state=REFUSED&size=200", h29, null, null))).contains(id);
        assertThat(admin("GET", "/admin/grants?agency=" + H29 + "&size=200", g12, null, null).body()).doesNotContain("tourism-desk");
        assertProblem(admin("POST", "/access-requests/" + id + "/approve", g12, null, null), 409, "conflict");
        await().atMost(Duration.ofSeconds(5)).until(() -> changesOf(id).stream().anyMatch(c -> c.action().equals("access-request.refused")));
    }

    @Test
    void the_asking_agency_withdraws_and_a_withdrawn_request_is_not_approved() throws Exception {
        String h29 = accessToken("h29-admin");
        String g12 = accessToken("g12-admin");
        consumerSystem("archive-desk");
        String id = ask(h29, "archive-desk", "records-archiving");
        assertProblem(admin("POST", "/access-requests/" + id + "/withdraw", g12, null, null), 403, "out_of_scope");

        var withdrawn = admin("POST", "/access-requests/" + id + "/withdraw", h29, null, null);
        assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(200);
        assertThat(JSON.readTree(withdrawn.body()).get("state").asString()).isEqualTo("WITHDRAWN");
        assertThat(JSON.readTree(withdrawn.body()).get("decidedBy").asString()).isEqualTo("h29-admin");
        assertProblem(admin("POST", "/access-requests/" + id + "/approve", g12, null, null), 409, "conflict");
        assertThat(admin("GET", "/admin/grants?agency=" + H29 + "&size=200", g12, null, null).body()).doesNotContain("archive-desk");

        // once withdrawn, the same access may be asked for again
        String again = ask(h29, "archive-desk", "records-archiving");
        assertThat(again).isNotEqualTo(id);
        await().atMost(Duration.ofSeconds(5)).until(() -> changesOf(id).stream().anyMatch(c -> c.action().equals("access-request.withdrawn")));
    }

    @Test
    void an_administrator_of_a_third_agency_neither_sees_nor_acts() throws Exception {
        String h29 = accessToken("h29-admin");
        consumerSystem("customs-desk");
        String id = ask(h29, "customs-desk", "customs-clearance");
        String h41 = accessToken("h41-admin", h41AdminSecret());
        long before = version();

        // as if it did not exist: 404, as for an id nobody made, so a guessed id tells nothing
        assertProblem(admin("GET", "/access-requests/" + id, h41, null, null), 404, "not_found");
        assertProblem(admin("GET", "/access-requests/no-such-request", h41, null, null), 404, "not_found");
        assertThat(ids(admin("GET", "/access-requests?size=200", h41, null, null))).doesNotContain(id);
        assertProblem(admin("POST", "/access-requests/" + id + "/approve", h41, null, null), 404, "not_found");
        assertProblem(admin("POST", "/access-requests/" + id + "/refuse", h41, "{\"reason\":\"not mine\"}", null), 404, "not_found");
        assertProblem(admin("POST", "/access-requests/" + id + "/withdraw", h41, null, null), 404, "not_found");
        // nor asks for another agency's system
        assertProblem(admin("POST", "/access-requests", h41, "{\"consumerAgency\":\"" + H29 + "\",\"consumerSystem\":\"customs-desk\","
                + TAX + ",\"purpose\":\"customs-clearance\",\"legalBasis\":\"none\"}", null), 403, "out_of_scope");
        // an agency system is no administrator
        assertProblem(admin("GET", "/access-requests", accessToken("h29-one-stop-portal"), null, null), 403, "out_of_scope");
        assertProblem(admin("GET", "/access-requests", null, null, null), 401, "token_missing");
        assertThat(version()).as("nothing stored").isEqualTo(before);
        assertThat(state(accessToken("g12-admin"), id)).isEqualTo("PENDING");
    }

    @Test
    void bad_requests_are_answered_with_problem_json_and_store_nothing() throws Exception {
        String h29 = accessToken("h29-admin");
        String g12 = accessToken("g12-admin");
        String platform = accessToken("platform-admin");
        consumerSystem("bad-input-desk");
        String valid = "{\"consumerAgency\":\"" + H29 + "\",\"consumerSystem\":\"bad-input-desk\"," + TAX
                + ",\"purpose\":\"business-verification\",\"legalBasis\":\"Decree 278/2025\"";
        long before = version();
        long listed = total(platform);

        assertProblem(admin("POST", "/access-requests", h29, "{\"consumerAgency\": ", null), 400, "malformed_json");
        assertProblem(admin("POST", "/access-requests", h29, valid + ",\"priority\":\"urgent\"}", null), 400, "malformed_json");
        var blank = admin("POST", "/access-requests", h29, "{\"consumerAgency\":\"" + H29 + "\",\"consumerSystem\":\"bad-input-desk\","
                + TAX + ",\"purpose\":\"\",\"legalBasis\":\"\"}", null);
        assertProblem(blank, 400, "validation_failed");
        assertThat(fields(blank)).contains("purpose", "legalBasis");
        assertThat(fields(admin("POST", "/access-requests", h29, valid.replace("business-verification", "Marketing!") + "}", null)))
                .containsExactly("purpose");
        assertThat(fields(admin("POST", "/access-requests", h29, valid.replace("Decree 278/2025", "x".repeat(501)) + "}", null)))
                .containsExactly("legalBasis");
        assertThat(fields(admin("POST", "/access-requests", h29, valid + ",\"methods\":[\"get\"]}", null))).containsExactly("methods[0]");
        assertThat(fields(admin("POST", "/access-requests", h29, valid + ",\"paths\":[\"/business/*\",\"/{\"]}", null)))
                .containsExactly("paths[1]");
        assertThat(fields(admin("POST", "/access-requests", h29, valid + ",\"until\":\"2020-01-01T00:00:00Z\"}", null)))
                .containsExactly("until");
        assertThat(fields(admin("POST", "/access-requests", h29, valid.replace("\"bad-input-desk\"", "\"no-such-desk\"") + "}", null)))
                .containsExactly("consumerSystem");
        assertThat(fields(admin("POST", "/access-requests", h29, valid.replace("business-tax-status", "no-such-service") + "}", null)))
                .containsExactly("service");
        // another agency's system is not the administrator's to ask for
        assertProblem(admin("POST", "/access-requests", h29, valid.replace(H29, "000.00.00.H41").replace("bad-input-desk", "one-stop-portal")
                + "}", null), 403, "out_of_scope");
        // an administrator whose subtree provides the service grants it, and says so
        var own = admin("POST", "/access-requests", g12, "{\"consumerAgency\":\"000.00.18.G12\",\"consumerSystem\":\"tax-registry\","
                + TAX + ",\"purpose\":\"tax-verification\",\"legalBasis\":\"own data\"}", null);
        assertThat(fields(own)).containsExactly("providerAgency");
        assertThat(JSON.readTree(own.body()).get("errors").get(0).get("message").asString()).contains("POST /admin/grants");
        assertThat(fields(admin("POST", "/access-requests", platform, valid + "}", null))).containsExactly("providerAgency");
        // a list filter that is not a state, or a parameter the list does not take
        assertThat(fields(admin("GET", "/access-requests?state=OPEN", h29, null, null))).containsExactly("state");
        assertProblem(admin("GET", "/access-requests?status=PENDING", h29, null, null), 400, "bad_request");
        assertProblem(admin("GET", "/access-requests?size=1000", h29, null, null), 400, "bad_request");
        assertThat(version()).as("nothing stored").isEqualTo(before);
        assertThat(total(platform)).as("no request listed").isEqualTo(listed);

        // a second request for access already waiting for its decision conflicts, whatever its purpose
        String id = ask(h29, "bad-input-desk", "business-verification");
        long waiting = version();
        var duplicate = admin("POST", "/access-requests", h29, valid.replace("business-verification", "another-purpose") + "}", null);
        assertProblem(duplicate, 409, "conflict");
        assertThat(JSON.readTree(duplicate.body()).get("detail").asString()).contains(id);
        assertThat(version()).isEqualTo(waiting);
        assertThat(total(platform)).isEqualTo(listed + 1);
    }

    @Test
    void waits_and_pending_requests_show_on_the_management_endpoint() throws Exception {
        String h29 = accessToken("h29-admin");
        String g12 = accessToken("g12-admin");
        String platform = accessToken("platform-admin");
        String metrics = metrics();
        // every decision's histogram is there before any decision, with the buckets from an hour to a month
        for (String decision : List.of("approved", "refused", "withdrawn")) {
            for (String bucket : List.of("3600.0", "14400.0", "86400.0", "172800.0", "432000.0", "864000.0", "2592000.0", "+Inf")) {
                assertThat(metrics).contains("ndx_registry_access_request_wait_seconds_bucket{decision=\"" + decision + "\",le=\"" + bucket + "\"}");
            }
        }
        double approvedBefore = metric(metrics, "ndx_registry_access_request_wait_seconds_count{decision=\"approved\"}");
        double refusedBefore = metric(metrics, "ndx_registry_access_request_wait_seconds_count{decision=\"refused\"}");

        consumerSystem("metrics-desk");
        consumerSystem("metrics-desk-2");
        String first = ask(h29, "metrics-desk", "business-verification");
        String second = ask(h29, "metrics-desk-2", "business-verification");
        Thread.sleep(1_100);
        metrics = metrics();
        assertThat(metric(metrics, "ndx_registry_access_requests_pending")).isEqualTo(pending(platform));
        assertThat(metric(metrics, "ndx_registry_access_request_oldest_pending_seconds")).isGreaterThanOrEqualTo(1.0);

        assertThat(admin("POST", "/access-requests/" + first + "/approve", g12, null, null).statusCode()).isEqualTo(200);
        assertThat(admin("POST", "/access-requests/" + second + "/refuse", g12, "{\"reason\":\"not needed\"}", null).statusCode())
                .isEqualTo(200);
        metrics = metrics();
        assertThat(metric(metrics, "ndx_registry_access_request_wait_seconds_count{decision=\"approved\"}")).isEqualTo(approvedBefore + 1);
        assertThat(metric(metrics, "ndx_registry_access_request_wait_seconds_count{decision=\"refused\"}")).isEqualTo(refusedBefore + 1);
        assertThat(metric(metrics, "ndx_registry_access_request_wait_seconds_bucket{decision=\"approved\",le=\"3600.0\"}"))
                .as("decided within the hour").isEqualTo(approvedBefore + 1);
        assertThat(metric(metrics, "ndx_registry_access_requests_pending")).isEqualTo(pending(platform));

        // the console's summary, for the platform's operators and no one else
        var summary = admin("GET", "/access-requests/summary", accessToken("platform-operator"), null, null);
        assertThat(summary.statusCode()).as(summary.body()).isEqualTo(200);
        JsonNode figures = JSON.readTree(summary.body());
        assertThat(figures.get("pending").asDouble()).isEqualTo(pending(platform));
        assertThat(figures.get("approved").asInt()).isPositive();
        assertThat(figures.get("medianSecondsToGrant").asLong()).isNotNegative();
        assertProblem(admin("GET", "/access-requests/summary", h29, null, null), 403, "out_of_scope");
        assertProblem(admin("GET", "/access-requests/summary", g12, null, null), 403, "out_of_scope");
    }

    // --- helpers

    /** A new system of Ho Chi Minh City, registered by its administrator, to ask access for. */
    private void consumerSystem(String code) throws Exception {
        var created = admin("POST", "/admin/agencies/" + H29 + "/systems", accessToken("h29-admin"),
                "{\"code\":\"" + code + "\",\"name\":\"" + code + "\"}", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    /** Ho Chi Minh City's administrator asks for the tax status service for one of its systems; the request's id. */
    private String ask(String h29Admin, String system, String purpose) throws Exception {
        var created = admin("POST", "/access-requests", h29Admin, "{\"consumerAgency\":\"" + H29 + "\",\"consumerSystem\":\"" + system
                + "\"," + TAX + ",\"purpose\":\"" + purpose + "\",\"legalBasis\":\"Decree 278/2025\"}", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).get("id").asString();
    }

    private String state(String token, String id) throws Exception {
        var read = admin("GET", "/access-requests/" + id, token, null, null);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        return JSON.readTree(read.body()).get("state").asString();
    }

    private long total(String token) throws Exception {
        var listed = admin("GET", "/access-requests", token, null, null);
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        return JSON.readTree(listed.body()).get("total").asLong();
    }

    private double pending(String platformAdmin) throws Exception {
        return JSON.readTree(admin("GET", "/access-requests?state=PENDING", platformAdmin, null, null).body()).get("total").asDouble();
    }

    private JsonNode grant(String token, String id) throws Exception {
        var grants = admin("GET", "/admin/grants?agency=" + H29 + "&size=200", token, null, null);
        assertThat(grants.statusCode()).as(grants.body()).isEqualTo(200);
        for (JsonNode grant : JSON.readTree(grants.body()).get("items")) {
            if (grant.get("id").asString().equals(id)) {
                return grant;
            }
        }
        throw new AssertionError("grant " + id + " not listed: " + grants.body());
    }

    private static List<String> ids(HttpResponse<String> page) {
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        return strings(JSON.readTree(page.body()).get("items"), "id");
    }

    private static List<String> fields(HttpResponse<String> refusal) {
        assertProblem(refusal, 400, "validation_failed");
        return strings(JSON.readTree(refusal.body()).get("errors"), "field");
    }

    private static List<String> strings(JsonNode array) {
        var values = new ArrayList<String>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }

    private static List<String> strings(JsonNode array, String member) {
        var values = new ArrayList<String>();
        array.forEach(value -> values.add(value.get(member).asString()));
        return values;
    }

    /** The registry changes about one entity, in the order they were written. */
    private List<RegistryChange> changesOf(String entity) {
        var props = new Properties();
        props.putAll(KafkaFixture.clientProperties(KafkaFixture.ADMIN));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        var changes = new ArrayList<RegistryChange>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            var partitions = consumer.partitionsFor(Topics.REGISTRY_CHANGES).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (entity.equals(record.key())) { // keyed by entity: one partition, in order
                        changes.add(JSON.readValue(record.value(), RegistryChange.class));
                    }
                }
            }
        }
        return changes;
    }

    /**
     * Nghệ An's administrator, whom the demo registry lacks: added the one way there is to add an
     * administrator's client (a platform administrator imports the registry with it), then given its first
     * secret by rotation.
     */
    private synchronized String h41AdminSecret() throws Exception {
        if (h41AdminSecret == null) {
            String platform = accessToken("platform-admin");
            var exported = admin("GET", "/admin/export", platform, null, null);
            assertThat(exported.statusCode()).as(exported.body()).isEqualTo(200);
            var document = (ObjectNode) JSON.readTree(exported.body());
            ObjectNode client = ((ArrayNode) document.get("clients")).addObject();
            client.put("clientId", "h41-admin").put("agencyCode", "000.00.00.H41").putNull("systemCode");
            client.putArray("roles").add("agency-admin");
            client.put("enabled", true).putNull("limits");
            client.putArray("secrets");
            var imported = admin("POST", "/admin/import", platform, JSON.writeValueAsString(document), null);
            assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
            var rotated = admin("POST", "/admin/clients/h41-admin/secret", platform, "{\"overlap\":\"PT0S\"}", null);
            assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
            h41AdminSecret = JSON.readTree(rotated.body()).get("secret").asString();
        }
        return h41AdminSecret;
    }
}
