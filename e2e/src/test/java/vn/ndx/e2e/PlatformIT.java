package vn.ndx.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import java.util.logging.Level;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole platform from the packaged jars, started by {@code deploy/run up} on a real standalone
 * Kafka broker, used over HTTP as an agency system uses it, counted by audit, then stopped by
 * {@code deploy/run down} without leaving a process or a port behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformIT {

    private static String operatorToken;
    private static long operatorTokenAt;

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");
    static final String TAX_STATUS = "/query/000.00.18.G12/tax-registry/business-tax-status/business/";
    static final String REGISTRATION = "/records/000.00.00.H41/one-stop-portal/business-registration";

    /** Every call through a gateway is held against the OpenAPI document (ApiContract); order 79 reads the verdict. */
    final HttpClient http = CheckedHttpClient.forPlatform(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    long countedBefore;
    int transactionsMade;
    List<Long> pids = List.of();
    boolean stopped;
    String grantId = "";
    int pollsMade;

    @Test
    @Order(1)
    void platform_starts_with_one_command() throws Exception {
        Platform.run(Duration.ofMinutes(2), "deploy/run", "down");
        deleteState();
        var up = Platform.run(Duration.ofMinutes(8), "deploy/run", "up", "--no-build");

        assertThat(up.exitCode()).as(up.output()).isZero();
        pids = Platform.recordedPids();
        boolean prometheus = up.output().contains("prometheus is healthy"); // started when installed
        if ("root".equals(System.getProperty("user.name"))) {
            assertThat(prometheus).as("up installs Prometheus where it may, and starts it: " + up.output()).isTrue();
        } else if (!prometheus) {
            assertThat(up.output()).as("without Prometheus, up says how to get it").contains("sudo apt-get install prometheus");
        }
        assertThat(pids).as("kafka, postgres, four services, the demo provider and Prometheus if installed").hasSize(prometheus ? 8 : 7);
        var broker = get("http://127.0.0.1:" + Platform.PORTS.get("kafka-metrics") + "/metrics", null);
        assertThat(broker.body()).as("the broker's metrics through the JMX exporter").contains("kafka_server_");
        if (prometheus) {
            var rules = get("http://127.0.0.1:" + Platform.PORTS.get("prometheus") + "/api/v1/rules", null);
            assertThat(rules.body()).as("Prometheus loaded the platform's rules").contains("\"status\":\"success\"", "alerting");
        }
        assertThat(Platform.demoClients()).containsKeys("h29-one-stop-portal", "h41-one-stop-portal");
        for (String part : List.of("gateway", "registry", "exchange", "audit")) {
            String management = "http://127.0.0.1:" + Platform.PORTS.get(part + "-management");
            var health = get(management + "/actuator/health", null);
            assertThat(health.body()).as(part).contains("\"status\":\"UP\"");
            var metrics = get(management + "/actuator/prometheus", null);
            assertThat(metrics.statusCode()).as(part + " metrics").isEqualTo(200);
            // the public ports never show them
            assertThat(get("http://127.0.0.1:" + Platform.PORTS.get(part) + "/actuator/prometheus", null).statusCode())
                    .as(part + " public port").isIn(401, 404);
        }
        countedBefore = countedToday();
    }

    @Test
    @Order(2)
    void consumer_queries_a_provider_and_sends_a_record_that_the_recipient_pulls_and_acknowledges() throws Exception {
        String h29 = token("h29-one-stop-portal");
        var query = get(Platform.gateway() + TAX_STATUS + "0301234567", h29);
        transactionsMade++;
        assertThat(query.statusCode()).as(query.body()).isEqualTo(200);
        assertThat(JSON.readTree(query.body()).get("taxCode").asString()).isEqualTo("0301234567");
        assertThat(query.headers().firstValue("X-Transaction-Id")).isPresent();

        var unknownBusiness = get(Platform.gateway() + TAX_STATUS + "0000000000", h29);
        transactionsMade++;
        assertThat(unknownBusiness.statusCode()).isEqualTo(404);

        String payload = "{\"taxCode\":\"0301234567\",\"name\":\"Công ty TNHH Thương mại Sài Gòn Xanh\",\"registeredAt\":\"2026-11-20\"}";
        var record = post(Platform.gateway() + REGISTRATION, h29, payload);
        transactionsMade++;
        assertThat(record.statusCode()).as(record.body()).isEqualTo(202);
        String transactionId = JSON.readTree(record.body()).get("transactionId").asString();
        assertThat(record.headers().firstValue("X-Transaction-Id")).hasValue(transactionId);

        String h41 = token("h41-one-stop-portal");
        var refused = get(Platform.gateway() + TAX_STATUS + "0301234567", h41);
        transactionsMade++;
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(refused.body()).get("code").asString()).isEqualTo("no_grant");

        JsonNode pulled = inboxRecord(h41, transactionId);
        assertThat(pulled).as("record %s in H41's inbox", transactionId).isNotNull();
        assertThat(pulled.get("payload")).isEqualTo(JSON.readTree(payload));
        assertThat(pulled.get("sender").get("agency").asString()).isEqualTo("000.00.00.H29");

        var ack = post(Platform.gateway() + "/inbox/business-registration/ack", h41,
                "{\"transactionIds\":[\"" + transactionId + "\"]}");
        assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
        assertThat(JSON.readTree(ack.body()).get("acknowledged").asInt()).isEqualTo(1);
        assertThat(inboxRecord(h41, transactionId)).isNull();
    }

    @Test
    @Order(3)
    void bad_input_gets_problem_json_with_a_code_and_the_transaction_id() throws Exception {
        String h29 = token("h29-one-stop-portal");
        assertProblem(get(Platform.gateway() + "/no/such/path", h29), 404, "not_found");

        assertProblem(get(Platform.gateway() + TAX_STATUS + "0301234567", null), 401, "token_missing");
        transactionsMade++;
        assertProblem(get(Platform.gateway() + TAX_STATUS + "0301234567", "not-a-token"), 401, "token_invalid");
        transactionsMade++;
        assertProblem(post(Platform.gateway() + REGISTRATION, h29, "{\"taxCode\": "), 400, "malformed_json");
        transactionsMade++;
        assertProblem(post(Platform.gateway() + REGISTRATION, h29, "{\"blob\":\"" + "x".repeat(1_100_000) + "\"}"),
                413, "payload_too_large");
        transactionsMade++;
    }

    @Test
    @Order(4)
    void audit_counts_each_transaction_exactly_once() throws Exception {
        assertThat(awaitCount(countedBefore + transactionsMade)).isEqualTo(countedBefore + transactionsMade);
    }

    @Test
    @Order(5)
    void the_readme_walkthrough_works_as_written() throws Exception {
        String readme = Files.readString(Platform.ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        var block = Pattern.compile("<!-- walkthrough -->\\s*```bash\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(block.find()).as("README has a walkthrough block").isTrue();
        var script = Files.createTempFile("walkthrough", ".sh");
        Files.writeString(script, "set -euo pipefail\n" + block.group(1));
        long before = countedToday();

        var result = Platform.run(Duration.ofMinutes(2), "bash", script.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        // over HTTPS with ALPN, curl speaks HTTP/2: header names come in lower case
        assertThat(result.output()).containsPattern("HTTP/(1\\.1|2) 200").containsIgnoringCase("X-Transaction-Id")
                .contains("0301234567", "no_grant")
                .containsPattern("\"acknowledged\"\\s*:\\s*1");
        // the walkthrough makes three transactions: a query, a refused query and a record
        assertThat(awaitCount(before + 3)).isEqualTo(before + 3);
    }

    /** docs/problems.md promises one shape from every service: each of the four answers in it. */
    @Test
    @Order(6)
    void every_service_writes_its_problems_in_the_one_shape_docs_problems_md_shows() throws Exception {
        String docs = Files.readString(Platform.ROOT.resolve("docs/problems.md"));
        var members = List.of("type", "title", "status", "detail", "code", "transactionId", "errors", "error");
        for (String member : members) {
            assertThat(docs.contains("\"" + member + "\"") || docs.contains("`" + member + "`")).as("docs/problems.md shows " + member).isTrue();
        }
        String gateway = Platform.gateway();
        String h29 = token("h29-one-stop-portal");
        LocalDate today = LocalDate.now(VIETNAM);
        var answers = Map.of(
                "gateway", get(gateway + "/no/such/path", h29),
                "registry", send("POST", gateway + "/admin/grants", token("platform-admin"), "{\"consumerAgency\":\"000.00.00.H41\","
                        + "\"consumerSystem\":\"one-stop-portal\",\"providerAgency\":\"000.00.18.G12\",\"providerSystem\":\"tax-registry\","
                        + "\"service\":\"business-tax-status\",\"paths\":[\"/{\"],\"reason\":\"shape\"}"),
                "exchange", post(gateway + REGISTRATION, h29, "{\"name\":\"no tax code\"}"),
                "audit", get(gateway + "/stats/daily?from=" + today + "&to=" + today + "&groupBy=x", operatorToken()));
        answers.forEach((service, answer) -> {
            assertThat(answer.statusCode()).as(service).isBetween(400, 499);
            assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).as(service).startsWith("application/problem+json");
            JsonNode problem = JSON.readTree(answer.body());
            assertThat(problem.propertyNames()).as(service).containsAll(members.subList(0, 6)).isSubsetOf(members);
            assertThat(problem.get("transactionId").asString()).as(service)
                    .isEqualTo(answer.headers().firstValue("X-Transaction-Id").orElseThrow());
            if (problem.has("errors")) {
                for (JsonNode error : problem.get("errors")) {
                    assertThat(error.propertyNames()).as(service).contains("code", "message").isSubsetOf("field", "pointer", "code", "message");
                    assertThat(error.has("field") ^ error.has("pointer")).as(service + ": field or pointer").isTrue();
                }
            }
        });
        assertThat(JSON.readTree(answers.get("registry").body()).get("errors").get(0).get("field").asString()).isEqualTo("paths[0]");
        assertThat(JSON.readTree(answers.get("exchange").body()).get("errors").get(0).get("pointer").asString()).isEmpty();
    }

    @Test
    @Order(55)
    void the_five_steps_to_connect_a_new_system_in_docs_registry_md_work_as_written() throws Exception {
        String output = runAsWritten("docs/registry.md", "## How an agency connects a new system in five steps");

        assertThat(output).contains("land-registry", "Land transfers", "\"taxCode\":\"0301234567\"");
    }

    @Test
    @Order(56)
    void a_client_bound_to_its_certificate_in_docs_registry_md_works_as_written() throws Exception {
        String output = runAsWritten("docs/registry.md", "## Binding a client to its certificate");

        // bound; the secret alone refused; the query over the certificate answered; the token without it refused
        assertThat(output).contains("\"x5t#S256\"", "\"invalid_client\"", "\"taxCode\":\"0301234567\"", "\"token_invalid\"");
        assertThat(output.indexOf("invalid_client")).isLessThan(output.indexOf("\"taxCode\""));
        assertThat(output.indexOf("\"taxCode\"")).isLessThan(output.indexOf("token_invalid"));
    }

    /** Runs the first bash block after {@code heading} in a document, as a reader would paste it; its output. */
    private static String runAsWritten(String document, String heading) throws Exception {
        String text = Files.readString(Platform.ROOT.resolve(document), StandardCharsets.UTF_8);
        var block = Pattern.compile(Pattern.quote(heading) + ".*?```bash\\n(.*?)```", Pattern.DOTALL).matcher(text);
        assertThat(block.find()).as(document + " has a bash block under " + heading).isTrue();
        var script = Files.createTempFile("as-written", ".sh");
        Files.writeString(script, "set -euo pipefail\n" + block.group(1));
        var result = Platform.run(Duration.ofMinutes(2), "bash", script.toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.output();
    }

    @Test
    @Order(57)
    void operators_ask_audit_through_the_gateway_and_agency_systems_may_not() throws Exception {
        String today = LocalDate.now(VIETNAM).toString();
        String path = "/stats/breakdown?from=" + today + "&to=" + today + "&by=kind";
        var asOperator = get(Platform.gateway() + path, token("platform-operator"));
        assertThat(asOperator.statusCode()).as(asOperator.body()).isEqualTo(200);
        assertThat(asOperator.body()).contains("QUERY", "RECORD");
        assertProblem(get(Platform.gateway() + path, token("h29-one-stop-portal")), 403, "out_of_scope");
        var deadLetters = get(Platform.gateway() + "/operations/dead-letters", token("platform-operator"));
        assertThat(deadLetters.statusCode()).as(deadLetters.body()).isEqualTo(200);
        assertThat(JSON.readTree(deadLetters.body()).get("channels").isArray()).isTrue();
    }

    @Test
    @Order(58)
    void the_operator_console_shows_in_a_real_browser_what_the_operator_apis_answer() throws Exception {
        String operator = token("platform-operator");
        String today = LocalDate.now(VIETNAM).toString();
        String todayTotals = Platform.gateway() + "/stats/daily?from=" + today + "&to=" + today;
        ToLongFunction<HttpResponse<String>> totalOf = days -> {
            assertThat(days.statusCode()).as(days.body()).isEqualTo(200);
            return JSON.readTree(days.body()).get(0).get("total").asLong();
        };
        // HCMC's land registry (connected at order 55) called 200 times an hour at this time yesterday and a week ago,
        // and has made a call or two since: it has gone quiet
        injectHistory("000.00.00.H29", "land-registry", 200);
        // a request HCMC's administrator makes for another purpose, waiting for the tax department's decision
        var asked = send("POST", Platform.gateway() + "/access-requests", token("h29-admin"), "{\"consumerAgency\":\"000.00.00.H29\","
                + "\"consumerSystem\":\"one-stop-portal\",\"providerAgency\":\"000.00.18.G12\",\"providerSystem\":\"tax-registry\","
                + "\"service\":\"business-tax-status\",\"purpose\":\"social-assistance\",\"legalBasis\":\"Decree 20/2021, art. 8\"}");
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(201);
        try (var console = ConsoleCheck.open()) {
            console.logIn("h29-one-stop-portal", Platform.demoClients().get("h29-one-stop-portal"));
            assertThat(console.loginError()).as("an agency system is no operator").contains("not a platform operator");
            console.browserLog(); // that refusal is logged by the browser as a failed load: read it away

            long before = totalOf.applyAsLong(get(todayTotals, operator));
            console.logIn("platform-operator", Platform.demoClients().get("platform-operator"));
            long shown = console.todayTotal();
            long after = totalOf.applyAsLong(get(todayTotals, operator));
            System.out.printf("[e2e] console: today %s, %d transactions shown (API %d before, %d after)%n", today, shown, before, after);
            assertThat(console.todayDate()).isEqualTo(today);
            assertThat(shown).isBetween(before, after);

            var bars = console.dailyBars();
            assertThat(bars).hasSize(30);
            assertThat(bars.get(29).getDomAttribute("data-date")).isEqualTo(today);
            assertThat(bars.get(0).getDomAttribute("data-date")).isEqualTo(LocalDate.parse(today).minusDays(29).toString());
            assertThat(Long.parseLong(bars.get(29).getDomAttribute("data-total"))).isBetween(before, totalOf.applyAsLong(get(todayTotals, operator)));
            assertThat(console.panel("top-consumers")).as("names for people, codes beneath").contains("Thành phố Hồ Chí Minh", "000.00.00.H29");
            assertThat(console.panel("top-providers")).contains("Tổng cục Thuế", "000.00.18.G12");
            assertThat(console.panel("top-services")).contains("business-tax-status");
            assertThat(console.panel("failing-providers")).isNotBlank();
            assertThat(console.panel("silent-systems")).as("the system gone quiet, by its name")
                    .contains("Hệ thống đăng ký đất đai TP.HCM", "000.00.00.H29/land-registry");
            // the outcome shares of the demo's query service, as audit counts them (nothing else calls it meanwhile)
            var shares = console.serviceOutcomes("business-tax-status");
            var expected = new ArrayList<Long>();
            expected.add(serviceTotal(operator, today, ""));
            for (String outcomes : List.of("OK", "REFUSED", "CLIENT_ERROR", "PROVIDER_ERROR,TIMEOUT,CIRCUIT_OPEN,PLATFORM_ERROR")) {
                long sum = 0;
                for (String outcome : outcomes.split(",")) {
                    sum += serviceTotal(operator, today, "&outcome=" + outcome);
                }
                expected.add(sum);
            }
            System.out.printf("[e2e] console: business-tax-status calls, answered, refused, bad, failed: %s (API %s)%n", shares, expected);
            assertThat(shares).isEqualTo(expected);
            assertThat(expected.get(2)).as("refused calls today: no grant, no purpose").isPositive();
            var deadLetters = JSON.readTree(get(Platform.gateway() + "/operations/dead-letters", operator).body()).get("channels");
            long deadLettersAnswered = 0;
            for (JsonNode channel : deadLetters) {
                deadLettersAnswered += channel.get("deadLetters").asLong();
            }
            assertThat(console.panel("dead-letters")).isNotBlank();
            assertThat(console.deadLettersTotal()).isEqualTo(deadLettersAnswered);
            assertThat(console.liveRate()).as("transactions per second").isNotNegative();
            var summary = JSON.readTree(get(Platform.gateway() + "/access-requests/summary", operator).body());
            assertThat(summary.get("pending").asLong()).isPositive();
            assertThat(console.accessRequestsPending()).isEqualTo(summary.get("pending").asLong());
            assertThat(console.panel("access-requests")).contains("000.00.00.H29/one-stop-portal", "business-tax-status", "social-assistance");
            assertProblem(get(Platform.gateway() + "/access-requests/summary", token("h29-one-stop-portal")), 403, "out_of_scope");

            var screenshot = console.screenshot(Platform.ROOT.resolve("e2e/target/console.png"));
            System.out.printf("[e2e] console screenshot: %s%n", screenshot);
            assertThat(console.browserLog()).as("the browser's console").noneMatch(entry -> entry.getLevel().equals(Level.SEVERE));

            // the API reference renders NDX's own OpenAPI document, from the gateway alone
            var operations = console.apiReferencePaths();
            System.out.printf("[e2e] API reference: %d operations%n", operations.size());
            assertThat(operations).contains("/oauth2/token", "/citizen/accesses", "/access-requests");
            assertThat(operations).anySatisfy(path -> assertThat(path).startsWith("/query/"));
            console.screenshot(Platform.ROOT.resolve("e2e/target/api-reference.png"));
            assertThat(console.browserLog()).as("the browser's console on the API reference")
                    .noneMatch(entry -> entry.getLevel().equals(Level.SEVERE));
        }
        var withdrawn = send("POST", Platform.gateway() + "/access-requests/" + JSON.readTree(asked.body()).get("id").asString()
                + "/withdraw", token("h29-admin"), null);
        assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(200);
    }

    @Test
    @Order(59)
    void a_citizen_sees_exactly_who_used_their_data_and_their_number_is_nowhere_the_platform_writes() throws Exception {
        var metrics = new java.util.LinkedHashMap<String, String>();
        for (String part : List.of("gateway", "registry", "exchange", "audit")) {
            metrics.put(part, "http://127.0.0.1:" + Platform.PORTS.get(part + "-management") + "/actuator/prometheus");
        }
        metrics.put("kafka", "http://127.0.0.1:" + Platform.PORTS.get("kafka-metrics") + "/metrics");
        new CitizenReportCheck(http, Platform.gateway()).run(token("h29-one-stop-portal"), token("citizen-portal"), metrics);
    }

    @Test
    @Order(60)
    void a_grant_given_through_the_admin_api_works_within_seconds_and_its_revocation_too() throws Exception {
        String admin = token("platform-admin");
        String h41 = token("h41-one-stop-portal");
        String grant = "{\"consumerAgency\":\"000.00.00.H41\",\"consumerSystem\":\"one-stop-portal\",\"providerAgency\":\"000.00.18.G12\","
                + "\"providerSystem\":\"tax-registry\",\"service\":\"business-tax-status\",\"purposes\":[\"administrative-procedure\"],"
                + "\"reason\":\"Nghệ An verifies branches\"}";
        var created = send("POST", Platform.gateway() + "/admin/grants", admin, grant);
        long granted = System.nanoTime();
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        grantId = JSON.readTree(created.body()).get("id").asString();
        long effective = awaitStatus(TAX_STATUS + "2900123456", h41, 200);
        System.out.printf("[e2e] new grant effective at the gateway after %d ms%n", (effective - granted) / 1_000_000);
        assertThat(Duration.ofNanos(effective - granted)).isLessThan(Duration.ofSeconds(5));

        var revoked = send("DELETE", Platform.gateway() + "/admin/grants/" + grantId, admin, null);
        long revocation = System.nanoTime();
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        long refused = awaitStatus(TAX_STATUS + "2900123456", h41, 403);
        System.out.printf("[e2e] revocation effective at the gateway after %d ms%n", (refused - revocation) / 1_000_000);
        assertThat(Duration.ofNanos(refused - revocation)).isLessThan(Duration.ofSeconds(5));
        transactionsMade += pollsMade;

        String today = LocalDate.now(VIETNAM).toString();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String changes = "";
        while (System.nanoTime() < deadline && !(changes.contains("grant.created") && changes.contains("grant.revoked"))) {
            changes = get(Platform.gateway() + "/audit/registry-changes?from=" + today + "&to=" + today + "&size=500", operatorToken()).body();
            Thread.sleep(200);
        }
        assertThat(changes).as("audit keeps who changed the registry").contains("grant.created", "grant.revoked", "platform-admin");
    }

    /**
     * Access requests on the packaged platform, through the gateway: the walkthrough in docs/registry.md as
     * written; then Ho Chi Minh City asks for the tax status service for a new system, the Ministry of Finance
     * approves it for 40 seconds, and the system's calls for the approved purpose pass within seconds and are
     * refused once the approval ends (at the registry's next republish, every 30 s). A refused request gives
     * no access, and a withdrawn one is not approved.
     */
    @Test
    @Order(61)
    void an_access_request_approved_for_40_seconds_gives_access_until_then_and_refused_or_withdrawn_ones_give_none() throws Exception {
        String walkthrough = runAsWritten("docs/registry.md", "## Access requests");
        assertThat(walkthrough).contains("\"state\":\"PENDING\"", "\"state\":\"APPROVED\"", "\"taxCode\":\"0301234567\"");

        String gateway = Platform.gateway();
        String h29Admin = token("h29-admin");
        String g12Admin = token("g12-admin");
        var system = send("POST", gateway + "/admin/agencies/000.00.00.H29/systems", h29Admin,
                "{\"code\":\"housing-registry\",\"name\":\"Hệ thống quản lý nhà ở TP.HCM\"}");
        assertThat(system.statusCode()).as(system.body()).isEqualTo(201);
        var assessed = send("POST", gateway + "/admin/assessments", token("platform-assessor"), "{\"agencyCode\":\"000.00.00.H29\","
                + "\"systemCode\":\"housing-registry\",\"assessedOn\":\"" + LocalDate.now(VIETNAM) + "\",\"assessor\":\"Sở TT&TT TP.HCM\","
                + "\"reference\":\"ATTT-2026-0901\"}");
        assertThat(assessed.statusCode()).as(assessed.body()).isEqualTo(201);
        var client = send("POST", gateway + "/admin/clients", h29Admin,
                "{\"clientId\":\"h29-housing-registry\",\"agencyCode\":\"000.00.00.H29\",\"systemCode\":\"housing-registry\"}");
        assertThat(client.statusCode()).as(client.body()).isEqualTo(201);
        String housing = token("h29-housing-registry", JSON.readTree(client.body()).get("secret").asString());
        String business = TAX_STATUS + "0301234567";
        // the new client reaches the gateways with the registry's next snapshot: from then on, known and granted nothing
        assertProblem(awaitQuery(business, housing, "housing-subsidy", 403, Duration.ofSeconds(10)), 403, "no_grant");

        String ask = "{\"consumerAgency\":\"000.00.00.H29\",\"consumerSystem\":\"housing-registry\",\"providerAgency\":\"000.00.18.G12\","
                + "\"providerSystem\":\"tax-registry\",\"service\":\"business-tax-status\",\"purpose\":\"housing-subsidy\","
                + "\"legalBasis\":\"Housing subsidies to businesses: the applicant's tax status is checked\",\"methods\":[\"GET\"],"
                + "\"paths\":[\"/business/*\"]}";
        String approvedId = accessRequest(h29Admin, ask);
        assertThat(send("GET", gateway + "/access-requests?state=PENDING&size=200", g12Admin, null).body()).contains(approvedId);
        Instant until = Instant.now().plusSeconds(40).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        var approved = send("POST", gateway + "/access-requests/" + approvedId + "/approve", g12Admin, "{\"until\":\"" + until + "\"}");
        long approvedAt = System.nanoTime();
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        assertThat(JSON.readTree(approved.body()).get("state").asString()).isEqualTo("APPROVED");
        awaitQuery(business, housing, "housing-subsidy", 200, Duration.ofSeconds(10));
        System.out.printf("[e2e] approved access request effective at the gateway after %d ms%n", (System.nanoTime() - approvedAt) / 1_000_000);
        assertThat(Duration.ofNanos(System.nanoTime() - approvedAt)).isLessThan(Duration.ofSeconds(5));
        assertThat(JSON.readTree(query(business, housing, "housing-subsidy").body()).get("taxCode").asString()).isEqualTo("0301234567");
        // the grant names the purpose asked for and no other
        assertProblem(query(business, housing, "administrative-procedure"), 400, "purpose_required");

        // the approval ends at its until: refused from the next republish on
        var expired = awaitQuery(business, housing, "housing-subsidy", 403, Duration.between(Instant.now(), until).plusSeconds(50));
        Instant refusedAt = Instant.now();
        System.out.printf("[e2e] access refused %d ms after the approval's end%n", Duration.between(until, refusedAt).toMillis());
        assertThat(refusedAt).as("refused after the approval's end, not before").isAfter(until);
        assertThat(JSON.readTree(expired.body()).get("code").asString()).isEqualTo("no_grant");

        // refused: no access, for as long as a grant takes to arrive and more
        String refusedId = accessRequest(h29Admin, ask);
        var refused = send("POST", gateway + "/access-requests/" + refusedId + "/refuse", g12Admin,
                "{\"reason\":\"The housing subsidy scheme names no tax status check\"}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(200);
        assertThat(JSON.readTree(refused.body()).get("state").asString()).isEqualTo("REFUSED");
        for (int i = 0; i < 6; i++) {
            assertProblem(query(business, housing, "housing-subsidy"), 403, "no_grant");
            Thread.sleep(500);
        }
        // withdrawn: not approved afterwards
        String withdrawnId = accessRequest(h29Admin, ask);
        var withdrawn = send("POST", gateway + "/access-requests/" + withdrawnId + "/withdraw", h29Admin, null);
        assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(200);
        assertProblem(send("POST", gateway + "/access-requests/" + withdrawnId + "/approve", g12Admin, null), 409, "conflict");
        Thread.sleep(1_000);
        assertProblem(query(business, housing, "housing-subsidy"), 403, "no_grant");

        String registryMetrics = get("http://127.0.0.1:" + Platform.PORTS.get("registry-management") + "/actuator/prometheus", null).body();
        assertThat(metric(registryMetrics, "ndx_registry_access_request_wait_seconds_count{decision=\"approved\"}"))
                .as("the walkthrough's and this one").isGreaterThanOrEqualTo(2);
        assertThat(metric(registryMetrics, "ndx_registry_access_request_wait_seconds_count{decision=\"refused\"}")).isGreaterThanOrEqualTo(1);
        assertThat(metric(registryMetrics, "ndx_registry_access_request_wait_seconds_count{decision=\"withdrawn\"}")).isGreaterThanOrEqualTo(1);
        long pending = JSON.readTree(send("GET", gateway + "/access-requests?state=PENDING", token("platform-admin"), null).body())
                .get("total").asLong();
        assertThat(metric(registryMetrics, "ndx_registry_access_requests_pending")).isEqualTo(pending);
        String today = LocalDate.now(VIETNAM).toString();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String changes = "";
        while (System.nanoTime() < deadline && !changes.contains("access-request.withdrawn")) {
            changes = get(gateway + "/audit/registry-changes?from=" + today + "&to=" + today + "&size=500", operatorToken()).body();
            Thread.sleep(200);
        }
        assertThat(changes).as("audit keeps every step").contains("access-request.created", "access-request.approved",
                "access-request.refused", "access-request.withdrawn", approvedId, "g12-admin");
    }

    /** The value of one series ({@code name} or {@code name{label="value"}}) in a scrape; NaN when absent. */
    private static double metric(String metrics, String series) {
        return metrics.lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).trim())).findFirst().orElse(Double.NaN);
    }

    /** Asks for access as the administrator; the request's id. */
    private String accessRequest(String admin, String body) throws Exception {
        var created = send("POST", Platform.gateway() + "/access-requests", admin, body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).isPresent();
        return JSON.readTree(created.body()).get("id").asString();
    }

    /** A query of the tax status service naming this purpose of use. */
    private HttpResponse<String> query(String path, String token, String purpose) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(Platform.gateway() + path)).header("Authorization", "Bearer " + token)
                .header("X-Ndx-Purpose", purpose).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Queries every 250 ms until the answer is {@code status}; that answer. */
    private HttpResponse<String> awaitQuery(String path, String token, String purpose, int status, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        HttpResponse<String> response;
        do {
            response = query(path, token, purpose);
            if (response.statusCode() == status) {
                return response;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(path + " for " + purpose + " did not answer " + status + " within " + patience.toSeconds()
                + " s; last: " + response.statusCode() + " " + response.body());
    }

    /**
     * What an agency administrator, an agency system or the read-only operator would try against the packaged
     * platform: each is refused with its problem code and changes nothing (registry version, published history,
     * the other agencies' traffic), and an administrator's mistake leaves every later registry change working.
     */
    @Test
    @Order(62)
    void attacks_an_insider_would_try_are_refused_change_nothing_and_every_agency_goes_on() throws Exception {
        String gateway = Platform.gateway();
        String platformAdmin = token("platform-admin");
        String h29Admin = token("h29-admin");
        String h29 = token("h29-one-stop-portal");
        String h41 = token("h41-one-stop-portal");
        String services = gateway + "/admin/agencies/000.00.00.H29/systems/one-stop-portal/services";
        long version = registryVersion(platformAdmin);
        String history = get(gateway + "/stats/history", operatorToken()).body();

        // a service aimed at audit's own port, to read every agency's log with an ordinary token
        var aimed = send("POST", services, h29Admin, "{\"code\":\"sneaky\",\"kind\":\"QUERY\",\"upstreamUrl\":\"http://127.0.0.1:"
                + Platform.PORTS.get("audit") + "\",\"maxBodyBytes\":1000}");
        assertProblem(aimed, 400, "validation_failed");
        assertThat(JSON.readTree(aimed.body()).get("errors").get(0).get("field").asString()).isEqualTo("upstreamUrl");
        everyAgencyGoesOn(h29, h41);

        // an administrator's mistakes: an address no one could reach, a grant pattern no gateway could parse, a schema
        // nested past what any reader takes
        assertProblem(send("POST", services, h29Admin, "{\"code\":\"typo\",\"kind\":\"QUERY\",\"upstreamUrl\":\"https://tax example/\","
                + "\"maxBodyBytes\":1000}"), 400, "validation_failed");
        var pattern = send("POST", gateway + "/admin/grants", platformAdmin, "{\"consumerAgency\":\"000.00.00.H41\","
                + "\"consumerSystem\":\"one-stop-portal\",\"providerAgency\":\"000.00.18.G12\",\"providerSystem\":\"tax-registry\","
                + "\"service\":\"business-tax-status\",\"paths\":[\"/{\"],\"reason\":\"a slip\"}");
        assertProblem(pattern, 400, "validation_failed");
        assertThat(JSON.readTree(pattern.body()).get("errors").get(0).get("field").asString()).isEqualTo("paths[0]");
        var nested = send("POST", services, h29Admin, "{\"code\":\"deep\",\"kind\":\"CHANNEL\",\"maxBodyBytes\":1000,\"schema\":"
                + "{\"not\":".repeat(5_000) + "{}" + "}".repeat(5_000) + "}");
        assertThat(nested.statusCode()).as(nested.body()).isEqualTo(400);
        assertThat(nested.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        everyAgencyGoesOn(h29, h41);

        // certifying its own system, raising its own caps
        assertProblem(send("POST", gateway + "/admin/assessments", h29Admin, "{\"agencyCode\":\"000.00.00.H29\","
                + "\"systemCode\":\"one-stop-portal\",\"assessedOn\":\"2026-11-01\",\"assessor\":\"self\",\"reference\":\"X-1\"}"),
                403, "out_of_scope");
        assertProblem(send("PUT", gateway + "/admin/agencies/000.00.00.H29/caps", h29Admin,
                "{\"requestsPerSecond\":100000,\"burst\":100000,\"concurrentCalls\":10000}"), 403, "out_of_scope");

        // the read-only operator rewriting published totals
        var rewrite = HttpRequest.newBuilder(URI.create(gateway + "/stats/history")).header("Authorization", "Bearer " + operatorToken())
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString("month,total\n2022-09,1\n")).build();
        assertProblem(http.send(rewrite, HttpResponse.BodyHandlers.ofString()), 403, "out_of_scope");

        // a path that means another path upstream, headers past the limit, a parameter no endpoint takes
        assertProblem(get(gateway + TAX_STATUS + "..%2F..%2Fhealth", h29), 400, "invalid_path");
        var padded = HttpRequest.newBuilder(URI.create(gateway + TAX_STATUS + "0301234567")).header("Authorization", "Bearer " + h29)
                .header("X-Padding", "a".repeat(20_000)).build();
        var tooLarge = http.send(padded, HttpResponse.BodyHandlers.ofString());
        assertThat(tooLarge.statusCode()).isEqualTo(431);
        assertThat(JSON.readTree(tooLarge.body()).get("code").asString()).isEqualTo("headers_too_large");
        LocalDate today = LocalDate.now(VIETNAM);
        var unknown = get(gateway + "/stats/breakdown?from=" + today + "&to=" + today + "&groupBy=password", operatorToken());
        assertProblem(unknown, 400, "bad_request");
        assertThat(JSON.readTree(unknown.body()).get("detail").asString()).contains("groupBy");
        assertProblem(send("GET", gateway + "/admin/grants?agncy=000.00.00.H41", platformAdmin, null), 400, "bad_request");
        everyAgencyGoesOn(h29, h41);

        // guessing a client's secret: throttled after a few, while other clients from the same address get their tokens
        int throttled = 0;
        for (int i = 0; i < 8; i++) {
            var guess = HttpRequest.newBuilder(URI.create(gateway + "/oauth2/token"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("h29-guessed:wrong".getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
            var answer = http.send(guess, HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isIn(401, 429);
            if (answer.statusCode() == 429) {
                throttled++;
                assertThat(answer.headers().firstValue("Retry-After")).isPresent();
            }
        }
        assertThat(throttled).as("guesses answered 429 unchecked").isPositive();
        everyAgencyGoesOn(token("h29-one-stop-portal"), token("h41-one-stop-portal"));

        assertThat(registryVersion(platformAdmin)).as("the registry is unchanged").isEqualTo(version);
        assertThat(get(gateway + "/stats/history", operatorToken()).body()).as("published history is unchanged").isEqualTo(history);

        // and the next change an administrator makes takes effect at the gateway as ever
        var created = send("POST", gateway + "/admin/grants", platformAdmin, "{\"consumerAgency\":\"000.00.00.H41\","
                + "\"consumerSystem\":\"one-stop-portal\",\"providerAgency\":\"000.00.18.G12\",\"providerSystem\":\"tax-registry\","
                + "\"service\":\"business-tax-status\",\"paths\":[\"/business/*\"],\"purposes\":[\"administrative-procedure\"],"
                + "\"reason\":\"after the attacks\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        awaitStatus(TAX_STATUS + "2900123456", h41, 200);
        var revoked = send("DELETE", gateway + "/admin/grants/" + JSON.readTree(created.body()).get("id").asString(), platformAdmin, null);
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        awaitStatus(TAX_STATUS + "2900123456", h41, 403);
    }

    /** A query of one agency and the inbox of another both answer. */
    private void everyAgencyGoesOn(String h29, String h41) throws Exception {
        var query = get(Platform.gateway() + TAX_STATUS + "0301234567", h29);
        assertThat(query.statusCode()).as(query.body()).isEqualTo(200);
        var inbox = get(Platform.gateway() + "/inbox/business-registration?max=1", h41);
        assertThat(inbox.statusCode()).as(inbox.body()).isEqualTo(200);
    }

    private long registryVersion(String platformAdmin) throws Exception {
        var export = send("GET", Platform.gateway() + "/admin/export", platformAdmin, null);
        assertThat(export.statusCode()).as(export.body()).isEqualTo(200);
        return JSON.readTree(export.body()).get("version").asLong();
    }

    /**
     * A walk through the documented operations the other steps do not reach, each answered as expected: together with
     * the check of every exchange (order 79), what the document says of them is proved against the running platform.
     */
    @Test
    @Order(64)
    void the_documented_api_answers_as_documented_where_the_other_steps_do_not_go() throws Exception {
        String gateway = Platform.gateway();
        String h29 = token("h29-one-stop-portal");
        String h41 = token("h41-one-stop-portal");
        String operator = operatorToken();
        String admin = token("platform-admin");
        String h29Admin = token("h29-admin");
        String g12Admin = token("g12-admin");
        String tax = "/000.00.18.G12/tax-registry/business-tax-status";
        var expected = new java.util.LinkedHashMap<String, HttpResponse<String>>();

        for (String open : List.of("/oauth2/jwks", "/platform/jwks", "/openapi/ndx.yaml", "/openapi/ndx.json")) {
            expected.put("200 " + open, get(gateway + open, null));
        }
        expected.put("302 /docs/api, to the page", get(gateway + "/docs/api", null));
        expected.put("302 /console, to the page", get(gateway + "/console", null));
        expected.put("200 catalogue services", get(gateway + "/catalogue/services", h29));
        expected.put("200 catalogue agencies", get(gateway + "/catalogue/agencies", h29));
        expected.put("204 published openapi", send("PUT", gateway + "/admin/agencies/000.00.18.G12/systems/tax-registry/services/business-tax-status/openapi",
                g12Admin, "{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"Tình trạng thuế doanh nghiệp\",\"version\":\"1\"},\"paths\":{}}"));
        expected.put("200 catalogue openapi", get(gateway + "/catalogue/services" + tax + "/openapi", h29));

        // queries addressed as X-Road does, and with methods the grant does not cover: each a transaction, refused or answered
        expected.put("200 x-road query", xroad("GET", gateway + "/r1/NDX/GOV" + tax + "/business/0301234567", h29, null));
        expected.put("403 x-road post", xroad("POST", gateway + "/r1/NDX/GOV" + tax + "/business/0301234567", h29, "{}"));
        for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
            expected.put("403 query " + method, query(method, gateway + "/query" + tax + "/business/0301234567", h29,
                    method.equals("DELETE") ? null : "{}"));
        }

        var record = post(gateway + REGISTRATION, h29, "{\"taxCode\":\"0301234567\",\"name\":\"Công ty TNHH Thương mại Sài Gòn Xanh\",\"registeredAt\":\"2026-11-20\"}");
        assertThat(record.statusCode()).as(record.body()).isEqualTo(202);
        String transactionId = JSON.readTree(record.body()).get("transactionId").asString();
        expected.put("200 record status", get(gateway + "/records/" + transactionId, h29));
        expected.put("200 dead letters of a channel", get(gateway + "/inbox/business-registration/dead-letters", h41));
        expected.put("404 redrive what is no dead letter", post(gateway + "/inbox/business-registration/dead-letters/redrive", h41,
                "{\"transactionIds\":[\"" + java.util.UUID.randomUUID() + "\"]}"));
        expected.put("200 operators' dead letters", get(gateway + "/operations/dead-letters/000.00.00.H41/one-stop-portal/business-registration", operator));
        expected.put("404 operators' redrive of what is no dead letter", post(gateway + "/operations/dead-letters/redrive", admin,
                "{\"transactionIds\":[\"" + java.util.UUID.randomUUID() + "\"]}"));

        String month = java.time.YearMonth.now(VIETNAM).toString();
        expected.put("200 monthly", get(gateway + "/stats/monthly?from=" + month + "&to=" + month, operator));
        expected.put("200 month to date", get(gateway + "/stats/month-to-date", operator));
        expected.put("200 year on year", get(gateway + "/stats/year-on-year?month=" + month, operator));
        expected.put("200 silent systems", get(gateway + "/stats/silent-systems", operator));
        String today = "from=" + LocalDate.now(VIETNAM) + "&to=" + LocalDate.now(VIETNAM);
        expected.put("200 chain roots", get(gateway + "/audit/roots?" + today, operator));
        expected.put("200 chain verified", get(gateway + "/audit/verify?" + today, operator));
        expected.put("200 chain entries", get(gateway + "/audit/entries?afterSeq=0&size=5", operator));
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        HttpResponse<String> logged = get(gateway + "/transactions/" + transactionId, operator);
        while (logged.statusCode() == 404 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            logged = get(gateway + "/transactions/" + transactionId, operator);
        }
        expected.put("200 logged transaction", logged);

        var asked = send("POST", gateway + "/access-requests", h29Admin, "{\"consumerAgency\":\"000.00.00.H29\",\"consumerSystem\":\"one-stop-portal\","
                + "\"providerAgency\":\"000.00.18.G12\",\"providerSystem\":\"tax-registry\",\"service\":\"business-tax-status\","
                + "\"purpose\":\"land-allocation\",\"legalBasis\":\"Land allocation: the applicant's tax status is checked\","
                + "\"methods\":[\"GET\"],\"paths\":[\"/business/*\"]}");
        expected.put("201 access request asked", asked);
        String requestId = JSON.readTree(asked.body()).get("id").asString();
        expected.put("200 access request", send("GET", gateway + "/access-requests/" + requestId, h29Admin, null));
        expected.put("200 access request withdrawn", send("POST", gateway + "/access-requests/" + requestId + "/withdraw", h29Admin, null));
        expected.put("200 agencies", send("GET", gateway + "/admin/agencies", admin, null));
        expected.put("201 new agency", send("POST", gateway + "/admin/agencies", admin, "{\"code\":\"000.00.00.H98\",\"name\":\"Ủy ban nhân dân tỉnh thử nghiệm\"}"));
        var agency = send("GET", gateway + "/admin/agencies/000.00.00.H98", admin, null);
        expected.put("200 agency", agency);
        expected.put("200 agency renamed", ifMatch("PUT", gateway + "/admin/agencies/000.00.00.H98", admin, agency,
                "{\"name\":\"Ủy ban nhân dân tỉnh thử nghiệm (đổi tên)\",\"suspended\":false}"));
        expected.put("200 systems", send("GET", gateway + "/admin/agencies/000.00.00.H29/systems", h29Admin, null));
        var system = send("GET", gateway + "/admin/agencies/000.00.00.H29/systems/one-stop-portal", h29Admin, null);
        expected.put("200 system", system);
        expected.put("200 system unchanged", ifMatch("PUT", gateway + "/admin/agencies/000.00.00.H29/systems/one-stop-portal", h29Admin, system,
                "{\"name\":" + JSON.writeValueAsString(JSON.readTree(system.body()).get("name").asString()) + "}"));
        expected.put("200 services", send("GET", gateway + "/admin/agencies/000.00.18.G12/systems/tax-registry/services", g12Admin, null));
        String taxService = gateway + "/admin/agencies/000.00.18.G12/systems/tax-registry/services/business-tax-status";
        var service = send("GET", taxService, g12Admin, null);
        expected.put("200 service", service);
        JsonNode current = JSON.readTree(service.body());
        expected.put("200 service unchanged", ifMatch("PUT", taxService, g12Admin, service, JSON.writeValueAsString(Map.of(
                "upstreamUrl", current.get("upstreamUrl").asString(), "timeoutMillis", Duration.parse(current.get("timeout").asString()).toMillis(),
                "maxBodyBytes", current.get("maxBodyBytes").asLong(), "personalData", current.get("personalData").asBoolean()))));

        var client = send("POST", gateway + "/admin/clients", h29Admin, "{\"clientId\":\"h29-api-tour\",\"agencyCode\":\"000.00.00.H29\",\"systemCode\":\"one-stop-portal\"}");
        expected.put("201 new client", client);
        expected.put("200 secret rotated", send("POST", gateway + "/admin/clients/h29-api-tour/secret", h29Admin, null));
        expected.put("204 client revoked", send("DELETE", gateway + "/admin/clients/h29-api-tour", h29Admin, null));
        var export = send("GET", gateway + "/admin/export", admin, null);
        expected.put("200 export", export);
        expected.put("200 the export imported again", send("POST", gateway + "/admin/import", admin, export.body()));

        assertThat(expected.entrySet().stream().filter(call -> call.getValue().statusCode() != Integer.parseInt(call.getKey().substring(0, 3)))
                .map(call -> call.getKey() + " answered " + call.getValue().statusCode() + ": " + call.getValue().body()))
                .as("calls not answered as expected").isEmpty();
    }

    @Test
    @Order(65)
    void after_a_key_rotation_tokens_signed_with_either_key_pass_the_gateway() throws Exception {
        String before = token("h29-one-stop-portal");
        var rotated = send("POST", Platform.gateway() + "/admin/keys/rotate", token("platform-admin"), null);
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        String after = token("h29-one-stop-portal");

        assertThat(get(Platform.gateway() + TAX_STATUS + "0301234567", before).statusCode()).isEqualTo(200);
        assertThat(get(Platform.gateway() + TAX_STATUS + "0301234567", after).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(70)
    void traffic_goes_on_while_the_registry_is_stopped_and_its_state_survives_a_restart() throws Exception {
        String h29 = token("h29-one-stop-portal");
        var stop = Platform.run(Duration.ofMinutes(1), "deploy/run", "stop", "registry");
        assertThat(stop.exitCode()).as(stop.output()).isZero();
        for (int i = 0; i < 20; i++) {
            assertThat(get(Platform.gateway() + TAX_STATUS + "0301234567", h29).statusCode()).isEqualTo(200);
        }
        var start = Platform.run(Duration.ofMinutes(2), "deploy/run", "start", "registry");
        assertThat(start.exitCode()).as(start.output()).isZero();

        var grants = send("GET", Platform.gateway() + "/admin/grants?size=200", token("platform-admin"), null);
        assertThat(grants.statusCode()).as(grants.body()).isEqualTo(200);
        assertThat(grants.body()).contains(grantId);
        assertThat(token("h29-one-stop-portal")).as("demo secrets unchanged").isNotBlank();
    }

    @Test
    @Order(75)
    void records_accepted_before_the_exchange_is_killed_are_all_delivered_after_its_restart_and_counted_once() throws Exception {
        String h29 = token("h29-one-stop-portal");
        String h41 = token("h41-one-stop-portal");
        var limits = send("PUT", Platform.gateway() + "/admin/clients/h29-one-stop-portal/limits", token("platform-admin"),
                "{\"requestsPerSecond\":5000,\"burst\":5000,\"concurrentCalls\":200}");
        assertThat(limits.statusCode()).as(limits.body()).isEqualTo(200);
        Thread.sleep(2_000); // the new limits reach the gateway with the registry's next snapshot
        drainInbox(h41);
        long before = countedToday();
        long exchangePid = Long.parseLong(Files.readString(Platform.RUN_DIR.resolve("pids/exchange.pid")).trim());

        // at least 10,000 records, and on until the restarted exchange has accepted 500: a slow restart on a
        // loaded machine must not leave the test without records accepted after it
        int atLeast = 10_000;
        int cap = 40_000;
        var accepted = ConcurrentHashMap.<String>newKeySet();
        var refused = new AtomicInteger();
        var next = new AtomicInteger();
        var sent = new AtomicInteger();
        var acceptedAfterRestart = new AtomicInteger();
        var restarted = new AtomicBoolean();
        var senders = Executors.newFixedThreadPool(8);
        long started = System.nanoTime();
        for (int s = 0; s < 8; s++) {
            senders.submit(() -> {
                for (int n = next.getAndIncrement(); n < cap; n = next.getAndIncrement()) {
                    if (n >= atLeast && restarted.get() && acceptedAfterRestart.get() >= 500) {
                        break;
                    }
                    // paced at about 500 a second, so records are still being sent when the exchange is back
                    long due = started + n * 2_000_000L;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    String payload = "{\"taxCode\":\"0301234567\",\"name\":\"Hồ sơ " + n + "\"}";
                    boolean afterRestart = restarted.get();
                    sent.incrementAndGet();
                    try {
                        var response = post(Platform.gateway() + REGISTRATION, h29, payload);
                        if (response.statusCode() == 202) {
                            accepted.add(JSON.readTree(response.body()).get("transactionId").asString());
                            if (afterRestart) {
                                acceptedAfterRestart.incrementAndGet();
                            }
                        } else {
                            refused.incrementAndGet();
                        }
                    } catch (IOException e) {
                        refused.incrementAndGet();
                    }
                }
                return null;
            });
        }
        long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (accepted.size() < 2_000 && System.nanoTime() < giveUp) {
            Thread.sleep(20);
        }
        assertThat(accepted).as("accepted before the kill").hasSizeGreaterThanOrEqualTo(2_000);
        var exchange = ProcessHandle.of(exchangePid).orElseThrow();
        var kill = new ProcessBuilder("kill", "-9", Long.toString(exchangePid)).start();
        assertThat(kill.waitFor()).isZero();
        exchange.onExit().get(30, TimeUnit.SECONDS); // gone, not just signalled, before it is started again
        int acceptedAtKill = accepted.size();
        var restart = Platform.run(Duration.ofMinutes(2), "deploy/run", "start", "exchange");
        assertThat(restart.exitCode()).as(restart.output()).isZero();
        restarted.set(true);
        senders.shutdown();
        assertThat(senders.awaitTermination(3, TimeUnit.MINUTES)).isTrue();
        int total = sent.get();
        System.out.printf("[e2e] %d records sent: %d accepted (%d before kill -9 of the exchange, %d after its restart), %d refused%n",
                total, accepted.size(), acceptedAtKill, acceptedAfterRestart.get(), refused.get());
        assertThat(total).isGreaterThanOrEqualTo(atLeast);
        assertThat(accepted.size() + refused.get()).isEqualTo(total);
        assertThat(acceptedAfterRestart.get()).as("accepting again after the restart").isGreaterThanOrEqualTo(500);

        Set<String> delivered = drainInbox(h41);
        assertThat(accepted).allMatch(delivered::contains);
        // every call is one transaction, whether accepted, refused while the exchange was down, or both seen
        assertThat(awaitCount(before + total, Duration.ofSeconds(60))).isEqualTo(before + total);
    }

    @Test
    @Order(76)
    void the_provider_alert_fires_while_the_demo_provider_is_stopped_and_resolves_after_its_start() throws Exception {
        String alert = "NdxProviderCircuitOpen";
        String h29 = token("h29-one-stop-portal");
        var circuitOpenSince = new AtomicLong();
        var answeredAgainSince = new AtomicLong();
        var answers = new ConcurrentHashMap<Integer, AtomicInteger>();
        var traffic = Executors.newSingleThreadScheduledExecutor();
        traffic.scheduleAtFixedRate(() -> {
            try {
                var answer = get(Platform.gateway() + TAX_STATUS + "0301234567", h29);
                answers.computeIfAbsent(answer.statusCode(), status -> new AtomicInteger()).incrementAndGet();
                if (answer.statusCode() == 503 && answer.body().contains("\"circuit_open\"")) {
                    circuitOpenSince.compareAndSet(0, System.nanoTime());
                } else if (answer.statusCode() == 200 && circuitOpenSince.get() != 0) {
                    answeredAgainSince.compareAndSet(0, System.nanoTime());
                }
            } catch (Exception e) {
                answers.computeIfAbsent(0, status -> new AtomicInteger()).incrementAndGet();
            }
        }, 0, 200, TimeUnit.MILLISECONDS); // five queries a second, as a busy consumer sends them
        try {
            Thread.sleep(2_000);
            assertThat(PrometheusLive.alertState(alert)).as("before the drill").isEqualTo("inactive");
            var stop = Platform.run(Duration.ofMinutes(1), "deploy/run", "stop", "demo-provider");
            assertThat(stop.exitCode()).as(stop.output()).isZero();
            long stopped = System.nanoTime();
            long firing = PrometheusLive.awaitAlert(alert, "firing", Duration.ofSeconds(60));
            assertThat(circuitOpenSince.get()).as("the gateway answered circuit_open").isNotZero();
            // from the first refusal by the open circuit: two scrapes to see it, the alert's for:, and a few
            // evaluations of margin on a busy machine
            Duration allowed = PrometheusLive.SCRAPE_INTERVAL.multipliedBy(2).plus(PrometheusLive.ALERT_FOR).plusSeconds(5);
            Duration afterOpen = Duration.ofNanos(firing - circuitOpenSince.get());
            System.out.printf("[e2e] demo provider stopped: circuit open after %d ms, %s firing after %d ms (%d ms after the circuit opened, %d ms allowed)%n",
                    (circuitOpenSince.get() - stopped) / 1_000_000, alert, (firing - stopped) / 1_000_000, afterOpen.toMillis(), allowed.toMillis());
            assertThat(afterOpen).isLessThanOrEqualTo(allowed);

            var start = Platform.run(Duration.ofMinutes(2), "deploy/run", "start", "demo-provider");
            assertThat(start.exitCode()).as(start.output()).isZero();
            long started = System.nanoTime();
            long resolved = PrometheusLive.awaitAlert(alert, "inactive", Duration.ofSeconds(90));
            System.out.printf("[e2e] demo provider started: answered again after %d ms, %s resolved after %d ms; answers %s%n",
                    (answeredAgainSince.get() - started) / 1_000_000, alert, (resolved - started) / 1_000_000, answers);
            assertThat(answeredAgainSince.get()).as("answered 200 again").isNotZero();
        } finally {
            traffic.shutdownNow();
            assertThat(traffic.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    @Order(77)
    void every_promql_expression_of_the_rules_and_dashboards_runs_on_the_live_prometheus_and_returns_series() throws Exception {
        Instant to = Instant.now();
        var check = PrometheusLive.checkAll(to.minus(Duration.ofMinutes(30)), to);

        System.out.printf("[e2e] PromQL: %d expressions with series, %d without as expected:%n", check.withSeries().size(), check.excused().size());
        check.excused().forEach(excused -> System.out.println("[e2e]   " + excused));
        assertThat(check.problems()).isEmpty();
        assertThat(check.withSeries()).hasSizeGreaterThan(80);
    }

    /** Pulls and acknowledges until the inbox stays empty for two seconds; returns every id pulled. */
    private Set<String> drainInbox(String token) throws Exception {
        var pulled = new HashSet<String>();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < Duration.ofSeconds(2).toNanos()) {
            var inbox = get(Platform.gateway() + "/inbox/business-registration?max=500", token);
            assertThat(inbox.statusCode()).as(inbox.body()).isEqualTo(200);
            var ids = new ArrayList<String>();
            JSON.readTree(inbox.body()).get("records").forEach(record -> ids.add(record.get("transactionId").asString()));
            if (ids.isEmpty()) {
                Thread.sleep(200);
                continue;
            }
            pulled.addAll(ids);
            var ack = post(Platform.gateway() + "/inbox/business-registration/ack", token,
                    JSON.writeValueAsString(Map.of("transactionIds", ids)));
            assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
            quietSince = System.nanoTime();
        }
        return pulled;
    }

    /**
     * The short drill of the suite (the whole one, with three brokers and a broker's kill too, is
     * ReplicasDrillIT, profile {@code drill}): a second gateway, exchange and audit beside the first, mixed
     * traffic through both gateways, and an exchange and an audit killed with SIGKILL in turn (a gateway's
     * kill is the whole drill's: its restart alone takes a minute on a loaded machine).
     */
    @Test
    @Order(78)
    void with_every_part_twice_killing_an_exchange_and_an_audit_loses_and_doubles_nothing() throws Exception {
        var up = Platform.run(Duration.ofMinutes(8), "deploy/run", "up", "--no-build", "--no-prometheus", "--replicas", "2");
        assertThat(up.exitCode()).as(up.output()).isZero();
        var drill = new ReplicaDrill(List.of(Platform.gateway(), "http://127.0.0.1:" + (Platform.PORTS.get("gateway") + 100)));
        var report = drill.run(List.of("exchange-2", "audit"), Duration.ofSeconds(6), Duration.ofSeconds(2), 3);
        ReplicaDrill.figures(report).forEach((name, value) -> System.out.printf("[drill] %s: %s%n", name, value));
        assertThat(report.problems()).isEmpty();
        assertThat(report.recordsAcceptedPulled()).isPositive();
        assertThat(report.recordsAcceptedPushed()).isPositive();
        assertThat(report.kills()).hasSize(2);
    }

    @Test
    @Order(79)
    void every_call_through_the_gateway_was_one_the_api_document_describes() {
        var contract = ApiContract.shared();
        System.out.println("API document: " + contract.coverage());
        assertThat(contract.violations()).as("exchanges that drifted from " + ApiContract.DOCUMENT).isEmpty();
        assertThat(contract.exercised()).as("the traffic reached the document at all").isNotEmpty();
    }

    @Test
    @Order(80)
    void down_stops_everything_it_started() throws Exception {
        var down = Platform.run(Duration.ofMinutes(2), "deploy/run", "down");
        stopped = true;

        assertThat(down.exitCode()).as(down.output()).isZero();
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d alive", pid).isFalse();
        }
        for (var port : Platform.PORTS.entrySet()) {
            assertThat(Platform.listening(port.getValue())).as("%s port %d", port.getKey(), port.getValue()).isFalse();
        }
        for (String replica : List.of("gateway", "exchange", "audit", "gateway-management", "exchange-management", "audit-management")) {
            int port = Platform.PORTS.get(replica) + 100;
            assertThat(Platform.listening(port)).as("%s-2 port %d", replica, port).isFalse();
        }
    }

    @AfterAll
    void stopEvenAfterAFailure() throws Exception {
        if (!stopped) {
            Platform.run(Duration.ofMinutes(2), "deploy/run", "down");
        }
    }

    // --- helpers

    /** Polls until the query answers {@code status}; returns when it did. Every poll is a transaction. */
    private long awaitStatus(String path, String token, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            var response = get(Platform.gateway() + path, token);
            pollsMade++;
            if (response.statusCode() == status) {
                return System.nanoTime();
            }
            Thread.sleep(50);
        }
        throw new AssertionError(path + " did not answer " + status + " within 10 s");
    }

    private HttpResponse<String> send(String method, String url, String token, String json) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode inboxRecord(String token, String transactionId) throws Exception {
        var inbox = get(Platform.gateway() + "/inbox/business-registration?max=100", token);
        assertThat(inbox.statusCode()).as(inbox.body()).isEqualTo(200);
        for (JsonNode record : JSON.readTree(inbox.body()).get("records")) {
            if (record.get("transactionId").asString().equals(transactionId)) {
                return record;
            }
        }
        return null;
    }

    /**
     * Puts a past into audit: {@code perHour} transactions of one system in the hour up to this time yesterday,
     * and as many a week ago, written to the transactions topic with the tooling's certificate (Kafka's console
     * producer), as gateways wrote them then. Returns once audit counted them all.
     */
    private void injectHistory(String agency, String system, int perHour) throws Exception {
        LocalDate today = LocalDate.now(VIETNAM);
        String pastDays = Platform.gateway() + "/stats/daily?from=" + today.minusDays(8) + "&to=" + today.minusDays(1);
        long before = total(pastDays);
        Instant now = Instant.now();
        var events = new StringBuilder();
        for (Duration back : List.of(Duration.ofDays(1), Duration.ofDays(7))) {
            for (int i = 0; i < perHour; i++) {
                Instant at = now.minus(back).minusSeconds(1 + (long) i * 3_500 / perHour);
                events.append(JSON.writeValueAsString(Map.ofEntries(Map.entry("transactionId", java.util.UUID.randomUUID().toString()),
                        Map.entry("kind", "QUERY"), Map.entry("startedAt", at.toString()), Map.entry("durationMicros", 2_000),
                        Map.entry("consumerAgency", agency), Map.entry("consumerSystem", system), Map.entry("clientId", "h29-" + system),
                        Map.entry("providerAgency", "000.00.18.G12"), Map.entry("providerSystem", "tax-registry"),
                        Map.entry("service", "business-tax-status"), Map.entry("method", "GET"), Map.entry("status", 200),
                        Map.entry("outcome", "OK"), Map.entry("requestBytes", 0), Map.entry("responseBytes", 120),
                        Map.entry("emitter", "gateway")))).append('\n');
            }
        }
        var input = Files.createTempFile("history", ".jsonl");
        Files.writeString(input, events);
        var produced = Platform.run(Duration.ofMinutes(2), "bash", "-c", "java -cp \"" + Platform.RUN_DIR.resolve("kafka/libs") + "/*\" "
                + "org.apache.kafka.tools.ConsoleProducer --bootstrap-server localhost:" + Platform.PORTS.get("kafka")
                + " --topic ndx.transactions --producer.config " + Platform.RUN_DIR.resolve("tls/kafka/admin.properties")
                + " < " + input);
        assertThat(produced.exitCode()).as(produced.output()).isZero();
        long expected = before + 2L * perHour;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long counted = before;
        while (counted < expected && System.nanoTime() < deadline) {
            Thread.sleep(500);
            counted = total(pastDays);
        }
        assertThat(counted).as("the past audit counted").isEqualTo(expected);
    }

    /** Today's calls to the demo's tax-status service, as audit's breakdown counts them. */
    private long serviceTotal(String operator, String today, String filter) throws Exception {
        var response = get(Platform.gateway() + "/stats/breakdown?from=" + today + "&to=" + today + "&by=service" + filter, operator);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        long total = 0;
        for (JsonNode row : JSON.readTree(response.body())) {
            if ("business-tax-status".equals(row.path("service").asString(null))) {
                total += row.get("total").asLong();
            }
        }
        return total;
    }

    private long countedToday() throws Exception {
        // yesterday too: a run that crosses Vietnamese midnight still adds up
        LocalDate today = LocalDate.now(VIETNAM);
        return total(Platform.gateway() + "/stats/daily?from=" + today.minusDays(1) + "&to=" + today);
    }

    /** The sum of the days /stats/daily answers for {@code url}. */
    private long total(String url) throws Exception {
        var response = get(url, operatorToken());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        long total = 0;
        for (JsonNode day : JSON.readTree(response.body())) {
            total += day.get("total").asLong();
        }
        return total;
    }

    private long awaitCount(long expected) throws Exception {
        return awaitCount(expected, Duration.ofSeconds(30));
    }

    private long awaitCount(long expected, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        long counted = countedToday();
        while (counted < expected && System.nanoTime() < deadline) {
            Thread.sleep(250);
            counted = countedToday();
        }
        Thread.sleep(1_000); // a late duplicate would show now
        return countedToday();
    }

    /** The operator's token, taken once per few minutes: audit answers operators through the gateway only. */
    private String operatorToken() throws Exception {
        if (operatorToken == null || System.nanoTime() - operatorTokenAt > Duration.ofMinutes(5).toNanos()) {
            operatorToken = token("platform-operator");
            operatorTokenAt = System.nanoTime();
        }
        return operatorToken;
    }

    private String token(String clientId) throws Exception {
        return token(clientId, Platform.demoClients().get(clientId));
    }

    private String token(String clientId, String secret) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(Platform.gateway() + "/oauth2/token"))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
        var response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asInt()).isPositive();
        return body.get("access_token").asString();
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (url.contains(TAX_STATUS)) {
            // the demo's tax-status service carries personal data: HCMC names the purpose its grant covers
            request.header("X-Ndx-Purpose", "administrative-procedure");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A query as an X-Road client sends it: HCMC's one-stop portal names itself in X-Road's terms. */
    private HttpResponse<String> xroad(String method, String url, String token, String json) throws Exception {
        return query(method, url, token, json, "X-Road-Client", "NDX/GOV/000.00.00.H29/one-stop-portal");
    }

    /** A query with a method the tests do not otherwise use; it names the purpose the demo's grant covers. */
    private HttpResponse<String> query(String method, String url, String token, String json, String... headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("X-Ndx-Purpose", "administrative-procedure")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A change sent with the version read before it, as the admin API requires. */
    private HttpResponse<String> ifMatch(String method, String url, String token, HttpResponse<String> read, String json) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("If-Match", read.headers().firstValue("ETag").orElseThrow()).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String token, String json) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private void assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("code").asString()).isEqualTo(code);
        assertThat(problem.get("transactionId").asString())
                .isEqualTo(response.headers().firstValue("X-Transaction-Id").orElseThrow());
        assertThat(response.body()).doesNotContain("Exception", "127.0.0.1", "localhost", "at vn.");
    }

    private static void deleteState() throws Exception {
        if (Files.exists(Platform.RUN_DIR)) {
            try (var paths = Files.walk(Platform.RUN_DIR)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
