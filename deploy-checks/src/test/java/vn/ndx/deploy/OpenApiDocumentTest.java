package vn.ndx.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.ProblemCode;

/**
 * The OpenAPI document the gateway serves (gateway/src/main/resources/static/openapi/ndx.yaml) is valid, names every
 * problem code a client can get with its status, and describes every route the gateway has, and no path it does not
 * route: a route or problem code added without the document fails here, not at an integrator's.
 */
class OpenApiDocumentTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Path DOCUMENT = Repository.path("gateway/src/main/resources/static/openapi/ndx.yaml");
    static final Path GATEWAY_ROUTES = Repository.path("gateway/src/main/resources/application.yml");
    /** Paths the gateway answers itself, not through a route of application.yml. */
    static final Set<String> SERVED_BY_THE_GATEWAY = Set.of("/openapi/ndx.yaml", "/openapi/ndx.json", "/platform/jwks");

    @Test
    void the_document_is_valid_openapi_3_1_without_a_single_message() {
        SwaggerParseResult result = parse();

        assertThat(result.getMessages()).as("parser messages").isEmpty();
        assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        assertThat(result.getOpenAPI().getServers()).extracting("url").containsExactly("https://localhost:8443");
    }

    /**
     * The gateway serves /openapi/ndx.json converted by Jackson, which reads a YAML alias ({@code *name}) as the
     * anchor's name, not its content: the JSON must describe the same operations and answers as the YAML.
     */
    @Test
    void the_json_the_gateway_serves_says_what_the_yaml_says() {
        SwaggerParseResult fromJson = parse(JSON.writeValueAsString(Repository.yaml(DOCUMENT)));

        assertThat(fromJson.getMessages()).as("parser messages for the JSON form").isEmpty();
        assertThat(answers(fromJson.getOpenAPI())).isEqualTo(answers(parse().getOpenAPI()));
    }

    @Test
    void every_problem_code_is_an_example_of_a_response_with_its_status() {
        var examplesByCode = new LinkedHashMap<String, List<String>>();
        var wrongStatus = new ArrayList<String>();
        OpenAPI document = parse().getOpenAPI();
        document.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                responses(operation).forEach((status, response) -> problemExamples(response).forEach(example -> {
                    String code = JSON.readTree(Json31.pretty(example.getValue())).path("code").asString();
                    examplesByCode.computeIfAbsent(code, any -> new ArrayList<>()).add(method + " " + path);
                    int expected = ProblemCode.valueOf(code.toUpperCase(java.util.Locale.ROOT)).status();
                    if (!status.equals(String.valueOf(expected))) {
                        wrongStatus.add(method + " " + path + " answers " + code + " under " + status + ", not " + expected);
                    }
                }))));

        assertThat(examplesByCode.keySet()).as("codes given as response examples")
                .containsExactlyInAnyOrderElementsOf(codes());
        assertThat(wrongStatus).isEmpty();
    }

    @Test
    void the_problem_schema_lists_exactly_the_contract_codes() {
        JsonNode codeEnum = Repository.yaml(DOCUMENT).at("/components/schemas/ProblemCode/enum");

        assertThat(codeEnum.valueStream().map(JsonNode::asString).toList()).containsExactlyElementsOf(codes());
    }

    @Test
    void every_gateway_route_is_described_and_every_described_path_is_routed() {
        Set<String> described = parse().getOpenAPI().getPaths().keySet();
        List<String> routes = routePatterns();

        assertThat(routes.stream().filter(route -> described.stream().noneMatch(path -> covers(route, path))))
                .as("routes of application.yml without a path in the document").isEmpty();
        assertThat(described.stream().filter(path -> !SERVED_BY_THE_GATEWAY.contains(path))
                .filter(path -> routes.stream().noneMatch(route -> covers(route, path))))
                .as("paths of the document no route leads to").isEmpty();
    }

    @Test
    void a_route_pattern_covers_the_paths_it_routes() {
        assertThat(covers("/query/{agency}/{system}/{service}/**", "/query/{agency}/{system}/{service}/{path}")).isTrue();
        assertThat(covers("/admin/**", "/admin/agencies/{code}")).isTrue();
        assertThat(covers("/access-requests", "/access-requests")).isTrue();
        assertThat(covers("/access-requests", "/access-requests/{id}")).isFalse();
        assertThat(covers("/records/{agency}/{system}/{service}", "/records/{transactionId}")).isFalse();
        assertThat(covers("/stats/**", "/transactions")).isFalse();
    }

    /** Whether a Spring path pattern (segments, {variables}, a trailing /**) matches a templated path. */
    static boolean covers(String route, String path) {
        String[] pattern = route.substring(1).split("/");
        String[] segments = path.substring(1).split("/");
        boolean rest = pattern[pattern.length - 1].equals("**");
        int fixed = rest ? pattern.length - 1 : pattern.length;
        if (rest ? segments.length < fixed : segments.length != fixed) {
            return false;
        }
        for (int i = 0; i < fixed; i++) {
            boolean variable = pattern[i].startsWith("{") || segments[i].startsWith("{");
            if (!variable && !pattern[i].equals(segments[i])) {
                return false;
            }
        }
        return true;
    }

    static List<String> routePatterns() {
        var patterns = new ArrayList<String>();
        for (JsonNode route : Repository.yaml(GATEWAY_ROUTES).at("/spring/cloud/gateway/server/webflux/routes")) {
            for (JsonNode predicate : route.get("predicates")) {
                String text = predicate.asString();
                if (text.startsWith("Path=")) {
                    patterns.addAll(Arrays.stream(text.substring("Path=".length()).split(","))
                            .map(String::strip).map(pattern -> pattern.endsWith("/") && pattern.length() > 1
                                    ? pattern.substring(0, pattern.length() - 1) : pattern).toList());
                }
            }
        }
        assertThat(patterns).as("Path predicates in " + GATEWAY_ROUTES).isNotEmpty();
        return patterns.stream().distinct().toList();
    }

    private static List<String> codes() {
        return Arrays.stream(ProblemCode.values()).map(ProblemCode::code).toList();
    }

    private static Map<String, ApiResponse> responses(Operation operation) {
        return operation.getResponses() == null ? Map.of() : operation.getResponses();
    }

    private static List<Example> problemExamples(ApiResponse response) {
        if (response.getContent() == null) {
            return List.of();
        }
        MediaType problem = response.getContent().get("application/problem+json");
        return problem == null || problem.getExamples() == null ? List.of() : List.copyOf(problem.getExamples().values());
    }

    /** Every operation with the statuses it documents. */
    private static Map<String, Set<String>> answers(OpenAPI document) {
        var answers = new java.util.TreeMap<String, Set<String>>();
        document.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                answers.put(method + " " + path, new java.util.TreeSet<>(responses(operation).keySet()))));
        return answers;
    }

    private static SwaggerParseResult parse() {
        return parse(Repository.read(DOCUMENT));
    }

    private static SwaggerParseResult parse(String content) {
        var options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(content, null, options);
        assertThat(result.getOpenAPI()).as("parsed " + DOCUMENT + ": " + result.getMessages()).isNotNull();
        return result;
    }

}
