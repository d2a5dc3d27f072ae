package vn.ndx.exchange.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.RegistrySnapshot.Service;

class RecordSchemasTest {

    private final JsonMapper json = JsonMapper.builder().build();
    private final RecordSchemas schemas = new RecordSchemas(json);

    @AfterEach
    void stop() {
        schemas.destroy();
    }

    @Test
    void records_of_a_channel_with_a_schema_are_checked_on_the_schema_threads_never_on_the_callers() {
        var channel = channel(Map.of("type", "object", "required", List.of("taxCode"),
                "properties", Map.of("taxCode", Map.of("type", "string", "pattern", "^[0-9]{10}$"))));
        List<JsonNode> records = List.of(json.readTree("{\"taxCode\":\"0301234567\"}"), json.readTree("{\"taxCode\":\"x\"}"));

        // an event loop stands in for the caller: the check must leave it at once
        var checked = schemas.check(channel, records)
                .map(violations -> Map.entry(Thread.currentThread().getName(), violations))
                .subscribeOn(Schedulers.single())
                .block();

        assertThat(checked.getKey()).startsWith("record-schemas");
        assertThat(checked.getValue().get(0)).isEmpty();
        assertThat(checked.getValue().get(1)).singleElement()
                .satisfies(violation -> {
                    assertThat(violation.pointer()).isEqualTo("/taxCode");
                    assertThat(violation.code()).isEqualTo("pattern");
                    assertThat(violation.message()).doesNotContain("\"x\"");
                });
    }

    @Test
    void a_channel_without_a_schema_costs_no_thread_hop() {
        var channel = channel(null);
        var checked = schemas.check(channel, List.of(json.readTree("{}")))
                .map(violations -> Map.entry(Thread.currentThread().getName(), violations))
                .subscribeOn(Schedulers.single())
                .block();

        assertThat(checked.getKey()).startsWith("single");
        assertThat(checked.getValue()).containsExactly(List.of());
    }

    private static Service channel(Map<String, Object> schema) {
        return new Service("000.00.00.H41", "one-stop-portal", "business-registration", Service.Kind.CHANNEL, null, null,
                1_000_000, schema, null);
    }
}
