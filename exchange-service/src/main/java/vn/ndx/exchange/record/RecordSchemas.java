package vn.ndx.exchange.record;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.LinearPatterns;
import vn.ndx.contract.Problem;
import vn.ndx.contract.RegistrySnapshot.Service;

/**
 * Checks records against their channel's JSON Schema (draft 2020-12) from the registry, so data a recipient
 * cannot use is refused at the door with every violation listed, instead of failing later in the
 * recipient's system. Formats ({@code date}, {@code email}, ...) are asserted, as senders expect.
 *
 * <p>A schema is compiled once per registry version of its channel, on the first record after it changed:
 * compiled schemas are kept by channel with the schema object they came from, and a new snapshot brings
 * new objects.
 *
 * <p>Checks run on their own few threads, never on an event loop: a large record against a rich schema takes
 * time linear in the record, and that time must not be taken from every other connection of the loop.
 */
@Component
class RecordSchemas implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RecordSchemas.class);
    private static final int MAX_VIOLATIONS = 50;

    private record Compiled(Map<String, Object> source, @Nullable Schema schema) {
    }

    private final JsonMapper json;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder
                    // patterns by RE2, in time linear in the record: no record can hold the exchange (LinearPatterns)
                    .schemaRegistryConfig(SchemaRegistryConfig.builder().pathType(PathType.JSON_POINTER)
                            .regularExpressionFactory(expression -> LinearPatterns.compile(expression)::test)
                            .formatAssertionsEnabled(true).build())
                    .schemaLoader(loader -> loader.fetchRemoteResources(false)));
    private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();
    private final Scheduler checks = Schedulers.newParallel("record-schemas", Runtime.getRuntime().availableProcessors());

    RecordSchemas(JsonMapper json) {
        this.json = json;
    }

    /** {@link #violations} of each record, off the event loop when the channel has a schema. */
    Mono<List<List<Problem.Error>>> check(Service channel, List<JsonNode> records) {
        if (channel.schema() == null) {
            return Mono.just(records.stream().map(record -> List.<Problem.Error>of()).toList());
        }
        return Mono.fromCallable(() -> records.stream().map(record -> violations(channel, record)).toList())
                .subscribeOn(checks);
    }

    @Override
    public void destroy() {
        checks.dispose();
    }

    /** What is wrong with this record for this channel: empty when it matches or the channel has no schema. */
    /** Each place in the record that breaks the schema, its keyword as the code; never the value found there. */
    private List<Problem.Error> violations(Service channel, JsonNode record) {
        Map<String, Object> source = channel.schema();
        if (source == null) {
            return List.of();
        }
        String key = channel.address().toString();
        Compiled current = compiled.get(key);
        if (current == null || current.source() != source) {
            current = new Compiled(source, compile(key, source));
            compiled.put(key, current);
        }
        if (current.schema() == null) {
            return List.of(); // the registry checks schemas; one that still fails here is logged, not held against senders
        }
        List<Error> errors = current.schema().validate(record);
        return errors.stream().limit(MAX_VIOLATIONS)
                .map(error -> Problem.Error.at(error.getInstanceLocation().toString(), String.valueOf(error.getKeyword()),
                        error.getMessage()))
                .toList();
    }

    private @Nullable Schema compile(String channel, Map<String, Object> source) {
        try {
            return registry.getSchema(json.valueToTree(source));
        } catch (RuntimeException e) {
            log.error("The schema of channel {} cannot be compiled; its records are accepted unchecked", channel, e);
            return null;
        }
    }
}
