package vn.ndx.contract;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void a_plain_refusal_has_the_six_members_and_no_empty_list() {
        JsonNode body = json.valueToTree(new ProblemException(ProblemCode.NO_GRANT, "No grant").problem(null));
        assertThat(body.propertyNames()).containsExactly("type", "title", "status", "detail", "code", "transactionId");
        assertThat(body.get("transactionId").isNull()).isTrue();
        assertThat(body.get("type").asString()).isEqualTo("urn:ndx:problem:no_grant");
    }

    @Test
    void each_error_names_where_with_a_code_and_a_message_and_nothing_else() {
        var fields = new LinkedHashMap<String, String>();
        fields.put("paths[1]", "is not a path pattern");
        fields.put("reason", "must not be blank");
        JsonNode invalid = json.valueToTree(ProblemException.invalid(fields).problem("t-1"));
        assertThat(invalid.get("errors")).hasSize(2);
        assertThat(invalid.get("errors").get(0).propertyNames()).containsExactly("field", "code", "message");
        assertThat(invalid.get("errors").get(0).get("field").asString()).isEqualTo("paths[1]");
        assertThat(invalid.get("errors").get(0).get("code").asString()).isEqualTo("invalid");

        JsonNode schema = json.valueToTree(ProblemException.withErrors(ProblemCode.SCHEMA_VIOLATION, "see errors",
                List.of(Problem.Error.at("/taxCode", "pattern", "does not match"))).problem("t-2"));
        assertThat(schema.get("errors").get(0).propertyNames()).containsExactly("pointer", "code", "message");
    }

    @Test
    void the_token_endpoint_s_refusals_carry_the_oauth_error_member() {
        JsonNode body = json.valueToTree(new ProblemException(ProblemCode.INVALID_CLIENT, "failed", "invalid_client").problem("t"));
        assertThat(body.get("error").asString()).isEqualTo("invalid_client");
    }

    @Test
    void a_wait_is_given_in_whole_seconds_rounded_up() {
        assertThat(ProblemException.throttled("slow down", Duration.ofMillis(1_200)).retryAfterSeconds()).isEqualTo("2");
        assertThat(ProblemException.throttled("slow down", Duration.ZERO).retryAfterSeconds()).isEqualTo("1");
        assertThat(new ProblemException(ProblemCode.BAD_REQUEST, "x").retryAfterSeconds()).isNull();
    }

    @Test
    void every_framework_status_maps_to_one_code_in_one_place() {
        assertThat(Map.of(404, ProblemCode.fromStatus(404), 413, ProblemCode.fromStatus(413), 431, ProblemCode.fromStatus(431),
                418, ProblemCode.fromStatus(418), 503, ProblemCode.fromStatus(503), 500, ProblemCode.fromStatus(500)))
                .containsEntry(404, ProblemCode.NOT_FOUND).containsEntry(413, ProblemCode.PAYLOAD_TOO_LARGE)
                .containsEntry(431, ProblemCode.HEADERS_TOO_LARGE).containsEntry(418, ProblemCode.BAD_REQUEST)
                .containsEntry(503, ProblemCode.SERVICE_UNAVAILABLE).containsEntry(500, ProblemCode.INTERNAL_ERROR);
    }
}
