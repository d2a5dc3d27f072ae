package vn.ndx.registry.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.Problem;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;
import vn.ndx.contract.RegistrySnapshot.Service.Kind;

/** The registry keeps only schemas the exchange can apply: valid draft 2020-12, self-contained, for channels. */
class ChannelSchemasTest {

    private final JsonMapper json = JsonMapper.builder().build();
    private final ChannelSchemas schemas = new ChannelSchemas(json);

    @Test
    void a_valid_self_contained_schema_is_kept_as_it_was_sent() {
        String schema = """
                {"type":"object","required":["taxCode"],
                 "properties":{"taxCode":{"type":"string","pattern":"^[0-9]{10}$"},"address":{"$ref":"#/$defs/address"}},
                 "$defs":{"address":{"type":"object","properties":{"province":{"type":"string"}}}}}""";

        var kept = schemas.channelSchema(Kind.CHANNEL, json.readTree(schema));

        assertThat((Object) json.valueToTree(kept)).isEqualTo(json.readTree(schema));
    }

    @Test
    void no_schema_is_none() {
        assertThat(schemas.channelSchema(Kind.CHANNEL, null)).isNull();
    }

    @Test
    void a_schema_its_meta_schema_refuses_is_refused_with_each_place() {
        assertThatThrownBy(() -> schemas.channelSchema(Kind.CHANNEL,
                json.readTree("{\"type\":\"text\",\"properties\":{\"a\":{\"minLength\":-1}}}")))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.code()).isEqualTo(ProblemCode.VALIDATION_FAILED);
                    assertThat(e.errors()).extracting(Problem.Error::field).contains("schema/type", "schema/properties/a/minLength");
                });
    }

    @Test
    void a_schema_that_refers_outside_itself_is_refused() {
        assertThatThrownBy(() -> schemas.channelSchema(Kind.CHANNEL,
                json.readTree("{\"properties\":{\"a\":{\"$ref\":\"https://example.org/address.json\"}}}")))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.errors()).extracting(Problem.Error::field).contains("schema"));
    }

    @Test
    void other_drafts_and_non_objects_and_queries_are_refused() {
        assertThatThrownBy(() -> schemas.channelSchema(Kind.CHANNEL,
                json.readTree("{\"$schema\":\"http://json-schema.org/draft-07/schema#\"}"))).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> schemas.channelSchema(Kind.CHANNEL, json.readTree("[1]"))).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> schemas.channelSchema(Kind.QUERY, json.readTree("{}"))).isInstanceOf(ProblemException.class);
    }
}
