package vn.ndx.registry.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.networknt.schema.Error;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.LinearPatterns;
import vn.ndx.contract.ProblemException;
import vn.ndx.contract.RegistrySnapshot.Service;

/**
 * Checks a channel's record schema when it is registered, so the exchange never meets one it cannot use:
 * it must be a JSON Schema (draft 2020-12) that its meta-schema accepts, and self-contained. A schema may
 * refer only within itself ({@code #/$defs/...}); fetching others from the network would make accepting a
 * record depend on a third party's server.
 */
@Component
class ChannelSchemas {

    private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";
    private static final int MAX_ERRORS = 20;

    private final JsonMapper json;
    private final SchemaRegistry schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder
                    // the exchange's engine: a pattern accepted here is one it runs, in linear time
                    .schemaRegistryConfig(SchemaRegistryConfig.builder().pathType(PathType.JSON_POINTER).preloadSchema(true)
                            .regularExpressionFactory(expression -> LinearPatterns.compile(expression)::test).build())
                    .schemaLoader(loader -> loader.fetchRemoteResources(false)));

    ChannelSchemas(JsonMapper json) {
        this.json = json;
    }

    /** The schema as the registry stores and replicates it, or null; refuses one that is not usable. */
    @Nullable Map<String, Object> channelSchema(Service.Kind kind, @Nullable JsonNode schema) {
        if (schema == null || schema.isNull()) {
            return null;
        }
        if (kind != Service.Kind.CHANNEL) {
            throw ProblemException.invalid("schema", "applies to a CHANNEL only");
        }
        if (!schema.isObject()) {
            throw ProblemException.invalid("schema", "must be a JSON Schema object");
        }
        JsonNode dialect = schema.get("$schema");
        if (dialect != null && !(dialect.isString() && dialect.asString().equals(META_SCHEMA))) {
            throw ProblemException.invalid("schema", "must be draft 2020-12: leave out $schema or set it to " + META_SCHEMA);
        }
        List<Error> errors = schemas.getSchema(SchemaLocation.of(META_SCHEMA)).validate(schema);
        if (!errors.isEmpty()) {
            var fields = new LinkedHashMap<String, String>();
            errors.stream().limit(MAX_ERRORS).forEach(error ->
                    fields.merge("schema" + error.getInstanceLocation(), error.getMessage(), (a, b) -> a + "; " + b));
            throw ProblemException.invalid(fields);
        }
        String outside = referenceOutside(schema);
        if (outside != null) {
            throw ProblemException.invalid("schema", "refers outside itself (" + outside
                    + "); refer only within the schema, e.g. #/$defs/address");
        }
        try {
            schemas.getSchema(schema);
        } catch (SchemaException | IllegalArgumentException e) {
            throw ProblemException.invalid("schema", "cannot be used: " + unsupportedPattern(e).map(Throwable::getMessage)
                    .orElseGet(() -> e instanceof SchemaException ? e.getMessage() : "it does not compile"));
        }
        return json.convertValue(schema, new TypeReference<Map<String, Object>>() { });
    }

    private static java.util.Optional<LinearPatterns.Unsupported> unsupportedPattern(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof LinearPatterns.Unsupported unsupported) {
                return java.util.Optional.of(unsupported);
            }
        }
        return java.util.Optional.empty();
    }

    /** The first {@code $ref} or {@code $dynamicRef} anywhere in the schema that is not a fragment of it. */
    private static @Nullable String referenceOutside(JsonNode node) {
        for (String keyword : List.of("$ref", "$dynamicRef")) {
            JsonNode reference = node.get(keyword);
            // a string: a reference; anything else is a property that happens to be called so
            if (reference != null && reference.isString() && !reference.asString().startsWith("#")) {
                return reference.toString();
            }
        }
        for (JsonNode child : node) {
            String found = referenceOutside(child);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
