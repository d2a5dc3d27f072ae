package vn.ndx.e2e;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The check the e2e holds traffic to can fail: each kind of drift it is meant to catch, caught. */
class ApiContractTest {

    private static final String JSON = "application/json";
    private static final String PROBLEM = "application/problem+json";
    private static final URI RECORD = URI.create("https://localhost:8443/records/000.00.00.H41/one-stop-portal/business-registration");
    private static final String ID = "0192c7a4-7d2e-7b53-9f5c-2d1e8a6b4c10";

    private static final Map<String, List<String>> TYPED_JSON = Map.of("content-type", List.of(JSON));

    private final ApiContract contract = ApiContract.read();

    @Test
    void a_documented_exchange_passes() {
        assertThat(contract.check("POST", RECORD, TYPED_JSON, "{\"taxCode\":\"0301234567\"}", 202, JSON,
                "{\"transactionId\":\"" + ID + "\"}")).isEmpty();
        assertThat(contract.check("POST", RECORD, TYPED_JSON, "{}", 403, PROBLEM,
                "{\"type\":\"urn:ndx:problem:no_grant\",\"title\":\"Forbidden\",\"status\":403,\"code\":\"no_grant\",\"transactionId\":\"" + ID + "\"}"))
                .isEmpty();
    }

    @Test
    void an_answer_unlike_its_schema_is_named() {
        assertThat(contract.check("POST", RECORD, TYPED_JSON, "{}", 202, JSON, "{\"id\":\"" + ID + "\"}"))
                .singleElement().asString().contains("sendRecord", "transactionId");
        assertThat(contract.check("POST", RECORD, TYPED_JSON, "{}", 202, JSON, "{\"transactionId\":\"42\"}"))
                .singleElement().asString().contains("uuid");
    }

    @Test
    void an_undocumented_status_media_type_or_code_is_named() {
        assertThat(contract.check("POST", RECORD, TYPED_JSON, "{}", 201, JSON, "{\"transactionId\":\"" + ID + "\"}"))
                .singleElement().asString().contains("status not documented");
        assertThat(contract.check("POST", RECORD, TYPED_JSON, "{}", 202, "text/plain", "accepted"))
                .singleElement().asString().contains("text/plain");
        assertThat(contract.check("POST", RECORD, TYPED_JSON, "{}", 403, PROBLEM,
                "{\"type\":\"urn:ndx:problem:nope\",\"title\":\"Forbidden\",\"status\":403,\"code\":\"nope\"}"))
                .singleElement().asString().contains("code");
    }

    @Test
    void under_a_query_the_providers_own_problem_passes_unchanged_but_the_platforms_must_be_one_of_its_own() {
        URI query = URI.create("https://localhost:8443/query/000.00.18.G12/tax-registry/business-tax-status/business/0000000000");
        assertThat(contract.check("GET", query, Map.of(), null, 404, PROBLEM,
                "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404}")).isEmpty();
        assertThat(contract.check("GET", query, Map.of(), null, 404, "text/html", "<h1>Not Found</h1>")).isEmpty();
        assertThat(contract.check("GET", query, Map.of(), null, 404, PROBLEM,
                "{\"type\":\"urn:ndx:problem:nope\",\"title\":\"Not Found\",\"status\":404,\"code\":\"nope\"}"))
                .singleElement().asString().contains("code");
    }

    @Test
    void a_forbidden_request_may_be_refused_but_never_accepted() {
        URI batch = URI.create(RECORD + "/batch");
        String problem = "{\"type\":\"urn:ndx:problem:bad_request\",\"title\":\"Bad Request\",\"status\":400,\"code\":\"bad_request\"}";
        assertThat(contract.check("POST", batch, TYPED_JSON, "{\"records\":[]}", 400, PROBLEM, problem)).isEmpty();
        assertThat(contract.check("POST", batch, TYPED_JSON, "{\"records\":[]}", 200, JSON, "{\"results\":[]}"))
                .anySatisfy(v -> assertThat(v).contains("accepted a request the document forbids"));
        URI undocumentedParameter = URI.create("https://localhost:8443/admin/grants?agncy=000.00.00.H41");
        assertThat(contract.check("GET", undocumentedParameter, Map.of(), null, 200, JSON, "[]"))
                .anySatisfy(v -> assertThat(v).contains("'agncy' is not documented"));
    }

    @Test
    void a_parameter_unlike_its_schema_or_a_missing_required_one_may_only_be_refused() {
        String days = "[{\"date\":\"2026-12-06\",\"total\":1,\"imported\":false}]";
        URI monthsForDays = URI.create("https://localhost:8443/stats/daily?from=2026-12&to=2026-12");
        assertThat(contract.check("GET", monthsForDays, Map.of(), null, 200, JSON, days))
                .anySatisfy(v -> assertThat(v).contains("'from'=2026-12 does not fit"));
        assertThat(contract.check("GET", URI.create("https://localhost:8443/stats/daily?to=2026-12-06"), Map.of(), null, 200, JSON, days))
                .anySatisfy(v -> assertThat(v).contains("required query parameter 'from' is missing"));
        URI xroad = URI.create("https://localhost:8443/r1/NDX/GOV/000.00.18.G12/tax-registry/business-tax-status/business/0301234567");
        assertThat(contract.check("GET", xroad, Map.of(), null, 200, JSON, "{}"))
                .anySatisfy(v -> assertThat(v).contains("required header X-Road-Client is missing"));
        assertThat(contract.check("GET", xroad, Map.of("X-Road-Client", List.of("NDX/GOV/000.00.00.H29/one-stop-portal")), null, 200, JSON, "{}"))
                .isEmpty();
    }

    @Test
    void a_path_the_document_lacks_may_only_be_refused() {
        URI unknown = URI.create("https://localhost:8443/actuator/env");
        assertThat(contract.check("GET", unknown, Map.of(), null, 404, PROBLEM,
                "{\"type\":\"urn:ndx:problem:not_found\",\"title\":\"Not Found\",\"status\":404,\"code\":\"not_found\"}")).isEmpty();
        assertThat(contract.check("GET", unknown, Map.of(), null, 200, JSON, "{}")).singleElement().asString().contains("no documented path");
    }

    @Test
    void a_concrete_path_wins_over_a_template_and_a_provider_path_takes_the_rest() {
        URI summary = URI.create("https://localhost:8443/access-requests/summary");
        contract.check("GET", summary, Map.of(), null, 401, PROBLEM,
                "{\"type\":\"urn:ndx:problem:unauthorized\",\"title\":\"Unauthorized\",\"status\":401,\"code\":\"unauthorized\"}");
        URI query = URI.create("https://localhost:8443/query/000.00.18.G12/tax-registry/business-tax-status/business/0301234567?any=thing");
        assertThat(contract.check("GET", query, Map.of(), null, 200, JSON, "{\"taxCode\":\"0301234567\"}")).isEmpty();
        assertThat(contract.exercised()).containsExactlyInAnyOrder("accessRequestSummary", "queryGet");
    }
}
