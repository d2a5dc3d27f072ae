package vn.ndx.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.regex.Pattern;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * NDX's OpenAPI document held against real traffic: every call the tests make through the gateway must be an
 * operation the document describes, answered with a status, a media type and a body it documents. A request
 * the document forbids may only be refused. What does not match is kept as a violation, so that a run names
 * every drift at once.
 */
final class ApiContract {

    static final Path DOCUMENT = Platform.ROOT.resolve("gateway/src/main/resources/static/openapi/ndx.yaml");

    /** Where the schema registry believes the document lives; nothing is fetched from it. */
    private static final String LOCATION = "https://ndx.invalid/openapi/ndx.json";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JsonNode document;
    private final SchemaRegistry schemas;
    private final List<Operation> operations = new ArrayList<>();
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();
    private final Set<String> exercised = new ConcurrentSkipListSet<>();
    private final Map<JsonNode, String> pointers = new IdentityHashMap<>();
    /** Each distinct violation with how many exchanges showed it. */
    private final Map<String, Integer> violations = new ConcurrentHashMap<>();

    private static ApiContract shared;

    /** The document in the repository, which the gateway serves as /openapi/ndx.yaml. */
    static synchronized ApiContract shared() {
        if (shared == null) {
            shared = read();
        }
        return shared;
    }

    static ApiContract read() {
        try {
            return new ApiContract(Files.readString(DOCUMENT));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ApiContract(String yaml) {
        this.document = YAMLMapper.builder().build().readTree(yaml);
        String json = JSON.writeValueAsString(document);
        this.schemas = SchemaRegistry.withDialect(Dialects.getOpenApi31(), builder -> builder.schemas(Map.of(LOCATION, json)));
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (METHODS.contains(operation.getKey())) {
                    operations.add(new Operation(path.getKey(), operation.getKey().toUpperCase(Locale.ROOT), operation.getValue(),
                            path.getValue().path("parameters")));
                }
            }
        }
        // a concrete segment wins over a template (OpenAPI's own rule): /access-requests/summary before /access-requests/{id}
        operations.sort(Comparator.comparingInt(Operation::templated).thenComparing(Operation::template));
    }

    /** Holds one exchange against the document; returns what is wrong with it (also kept for {@link #violations()}). */
    List<String> check(String method, URI uri, Map<String, List<String>> requestHeaders, String requestBody, int status,
            String responseType, String responseBody) {
        var wrong = new ArrayList<String>();
        var headers = new TreeMap<String, List<String>>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(requestHeaders);
        String path = uri.getRawPath();
        Operation operation = operations.stream().filter(o -> o.matches(method, path)).findFirst().orElse(null);
        // named by the documented path, so that a drift repeated by a loop is one violation
        String call = method + " " + (operation == null ? path : operation.template()) + " -> " + status;
        if (operation == null) {
            boolean knownPath = operations.stream().anyMatch(o -> o.pattern.matcher(path).matches());
            if (status < 400 || status >= 500) {
                wrong.add(call + ": " + (knownPath ? "the method is not documented for this path" : "no documented path") + ", yet answered");
            }
            return keep(wrong);
        }
        exercised.add(operation.id());
        boolean accepted = status < 400;
        for (String problem : requestProblems(operation, uri, headers, requestBody)) {
            if (accepted) {
                wrong.add(call + " (" + operation.id() + "): accepted a request the document forbids: " + problem);
            }
        }
        JsonNode response = responseFor(operation.node.path("responses"), status);
        if (response == null) {
            wrong.add(call + " (" + operation.id() + "): status not documented");
            return keep(wrong);
        }
        JsonNode content = response.path("content");
        boolean hasBody = responseBody != null && !responseBody.isEmpty();
        if (content.isMissingNode() || content.isEmpty()) {
            if (hasBody) {
                wrong.add(call + " (" + operation.id() + "): answered a body (" + responseType + ") where the document has none");
            }
            return keep(wrong);
        }
        if (!hasBody && "HEAD".equals(method)) {
            return keep(wrong);
        }
        String mediaType = mediaType(responseType);
        String documented = documentedMediaType(content, mediaType);
        if (documented == null) {
            wrong.add(call + " (" + operation.id() + "): answered " + responseType + ", documented " + names(content));
            return keep(wrong);
        }
        JsonNode schema = content.get(documented).get("schema");
        if (schema != null && isJson(mediaType)) {
            String pointer = pointerOf(content.get(documented)) + "/schema";
            for (String error : validate(pointer, responseBody)) {
                wrong.add(call + " (" + operation.id() + "): the answer does not match the document: " + error);
            }
        }
        return keep(wrong);
    }

    /** Each distinct violation, with how many exchanges showed it. */
    List<String> violations() {
        return violations.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(v -> v.getKey() + (v.getValue() > 1 ? " (" + v.getValue() + " times)" : "")).toList();
    }

    Set<String> exercised() {
        return Set.copyOf(exercised);
    }

    /** Operation ids the traffic reached, and those it never did. */
    String coverage() {
        var all = new TreeSet<String>();
        operations.forEach(o -> all.add(o.id()));
        var missed = new TreeSet<>(all);
        missed.removeAll(exercised);
        return exercised.size() + " of " + all.size() + " documented operations exercised; never called: " + missed;
    }

    private List<String> keep(List<String> wrong) {
        wrong.forEach(v -> violations.merge(v, 1, Integer::sum));
        return wrong;
    }

    private List<String> requestProblems(Operation operation, URI uri, Map<String, List<String>> headers, String requestBody) {
        var problems = new ArrayList<String>();
        Map<String, JsonNode> query = new LinkedHashMap<>();
        for (JsonNode parameter : operation.parameters()) {
            JsonNode resolved = resolve(parameter);
            String name = resolved.path("name").asString();
            switch (resolved.path("in").asString()) {
                case "query" -> query.put(name, resolved);
                case "header" -> {
                    List<String> values = headers.get(name);
                    if (values == null || values.isEmpty()) {
                        if (resolved.path("required").asBoolean(false)) {
                            problems.add("required header " + name + " is missing");
                        }
                    } else if (!valueFits(resolve(resolved.path("schema")), values.get(0))) {
                        problems.add("header " + name + ": " + values.get(0) + " does not fit its schema");
                    }
                }
                default -> { }
            }
        }
        String requestType = headers.getOrDefault("Content-Type", List.of()).stream().findFirst().orElse(null);
        Map<String, String> present = queryParameters(uri);
        for (Map.Entry<String, String> given : present.entrySet()) {
            JsonNode parameter = query.get(given.getKey());
            if (parameter == null) {
                if (!operation.passesQueryThrough()) {
                    problems.add("query parameter '" + given.getKey() + "' is not documented");
                }
                continue;
            }
            JsonNode schema = resolve(parameter.path("schema"));
            if (!valueFits(schema, given.getValue())) {
                problems.add("query parameter '" + given.getKey() + "'=" + given.getValue() + " does not fit " + schema);
            }
        }
        query.forEach((name, parameter) -> {
            if (parameter.path("required").asBoolean(false) && !present.containsKey(name)) {
                problems.add("required query parameter '" + name + "' is missing");
            }
        });
        JsonNode body = resolve(operation.node.path("requestBody"));
        boolean hasBody = requestBody != null && !requestBody.isEmpty();
        if (body.isMissingNode()) {
            if (hasBody) {
                problems.add("a body where the document takes none");
            }
        } else if (!hasBody) {
            if (body.path("required").asBoolean(false)) {
                problems.add("the required body is missing");
            }
        } else {
            String mediaType = mediaType(requestType);
            String documented = documentedMediaType(body.path("content"), mediaType);
            if (documented == null) {
                problems.add("a " + requestType + " body, documented " + names(body.path("content")));
            } else if (isJson(mediaType) && body.path("content").get(documented).has("schema")) {
                String pointer = pointerOf(body.path("content").get(documented)) + "/schema";
                problems.addAll(validate(pointer, requestBody));
            }
        }
        return problems;
    }

    private List<String> validate(String pointer, String body) {
        try {
            JSON.readTree(body);
        } catch (RuntimeException e) {
            return List.of("not JSON");
        }
        Schema schema = compiled.computeIfAbsent(pointer, p -> schemas.getSchema(SchemaLocation.of(LOCATION + "#" + p)));
        // formats (uuid, date-time) are promises the API makes, so they are asserted, not only annotated
        return schema.validate(body, InputFormat.JSON, context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)))
                .stream().map(e -> e.toString()).toList();
    }

    /** A string from the query or a header against its parameter's schema, read as the type the schema names. */
    private boolean valueFits(JsonNode schema, String value) {
        String json = switch (schema.path("type").asString("string")) {
            case "integer", "number" -> value.matches("-?\\d+(\\.\\d+)?") ? value : JSON.writeValueAsString(value);
            case "boolean" -> value.equals("true") || value.equals("false") ? value : JSON.writeValueAsString(value);
            default -> JSON.writeValueAsString(value);
        };
        return validate(pointerOf(schema), json).isEmpty();
    }

    private static Map<String, String> queryParameters(URI uri) {
        var parameters = new LinkedHashMap<String, String>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            parameters.put(name, value);
        }
        return parameters;
    }

    private JsonNode responseFor(JsonNode responses, int status) {
        String exact = Integer.toString(status);
        if (responses.has(exact)) {
            return resolve(responses.get(exact));
        }
        String range = (status / 100) + "XX";
        if (responses.has(range)) {
            return resolve(responses.get(range));
        }
        return responses.has("default") ? resolve(responses.get("default")) : null;
    }

    private static String documentedMediaType(JsonNode content, String mediaType) {
        if (content.has(mediaType)) {
            return mediaType;
        }
        String family = mediaType.contains("/") ? mediaType.substring(0, mediaType.indexOf('/')) + "/*" : "";
        if (content.has(family)) {
            return family;
        }
        return content.has("*/*") ? "*/*" : null;
    }

    private static String mediaType(String header) {
        if (header == null) {
            return "";
        }
        int semicolon = header.indexOf(';');
        return (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static boolean isJson(String mediaType) {
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }

    private static String names(JsonNode content) {
        var names = new ArrayList<String>();
        content.propertyNames().forEach(names::add);
        return names.toString();
    }

    /** A node with {@code $ref} replaced by what it names (refs within this document only). */
    private JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        while (current.has("$ref") && current.get("$ref").asString().startsWith("#/")) {
            current = document.at(current.get("$ref").asString().substring(1));
        }
        return current;
    }

    /**
     * The JSON pointer of a node of this document, found by identity: the schema registry compiles a schema from
     * where it sits, so that its own {@code $ref}s resolve against the document.
     */
    private String pointerOf(JsonNode target) {
        synchronized (pointers) {
            String known = pointers.get(target);
            if (known != null) {
                return known;
            }
        }
        String found = find(document, "", target);
        if (found == null) {
            throw new IllegalStateException("not a node of the document: " + target);
        }
        synchronized (pointers) {
            pointers.put(target, found);
        }
        return found;
    }

    private static String find(JsonNode node, String pointer, JsonNode target) {
        if (node == target) {
            return pointer;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> child : node.properties()) {
                String found = find(child.getValue(), pointer + "/" + child.getKey().replace("~", "~0").replace("/", "~1"), target);
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isArray()) {
            Iterator<JsonNode> elements = node.iterator();
            for (int i = 0; elements.hasNext(); i++) {
                String found = find(elements.next(), pointer + "/" + i, target);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** One documented operation; a trailing {path} parameter takes the rest of the path, as a provider's path does. */
    private record Operation(String template, String method, JsonNode node, JsonNode pathParameters, Pattern pattern) {

        Operation(String template, String method, JsonNode node, JsonNode pathParameters) {
            this(template, method, node, pathParameters, compile(template));
        }

        private static Pattern compile(String template) {
            var regex = new StringBuilder();
            for (String segment : template.substring(1).split("/")) {
                regex.append('/');
                if (segment.equals("{path}")) {
                    regex.append(".+");
                } else if (segment.startsWith("{")) {
                    regex.append("[^/]+");
                } else {
                    regex.append(Pattern.quote(segment));
                }
            }
            return Pattern.compile(regex.toString());
        }

        boolean matches(String method, String path) {
            return this.method.equals(method) && pattern.matcher(path).matches();
        }

        String id() {
            return node.path("operationId").asString(method + " " + template);
        }

        int templated() {
            return (int) template.chars().filter(c -> c == '{').count();
        }

        /** A query's string belongs to the provider, unchanged: the document cannot list its parameters. */
        boolean passesQueryThrough() {
            return template.endsWith("{path}");
        }

        List<JsonNode> parameters() {
            var all = new ArrayList<JsonNode>();
            pathParameters.forEach(all::add);
            node.path("parameters").forEach(all::add);
            return all;
        }
    }
}
