package vn.ndx.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Mixed traffic through every gateway of a replicated platform (queries, single and batched records to a
 * pulled channel, records to a pushed channel) while parts are killed with SIGKILL one after another and
 * started again, then the books: every record answered 202 is delivered (pulled, or pushed to a recipient
 * this drill runs), no push attempt is made twice, and audit counted exactly the transactions the clients
 * were answered.
 *
 * <p>Clients do what docs/exchange.md tells them: a record carries an {@code Idempotency-Key}, and a call
 * that got no answer, or a 5xx, is sent again with the same key, through the other gateway.
 */
final class ReplicaDrill {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String H29 = "000.00.00.H29";
    static final String H41 = "000.00.00.H41";
    static final String QUERY = "/query/000.00.18.G12/tax-registry/business-tax-status/business/";
    static final String PULLED = "/records/" + H41 + "/one-stop-portal/business-registration";
    static final String PUSHED = "/records/" + H41 + "/one-stop-portal/drill-push";
    static final List<String> CLIENTS = List.of("h29-one-stop-portal", "h41-one-stop-portal");

    private final List<String> gateways;
    private final HttpClient http = CheckedHttpClient.forPlatform(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build());
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    /** Every transaction id a client was answered with, and when and through which gateway. */
    private final Map<String, Answer> answered = new ConcurrentHashMap<>();
    private final Set<String> acceptedPulled = ConcurrentHashMap.newKeySet();
    private final Set<String> acceptedPushed = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> pushes = new ConcurrentHashMap<>();
    private final Set<String> pushAttempts = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pushAttemptsRepeated = new AtomicInteger();
    private final AtomicInteger unanswered = new AtomicInteger();
    private final ConcurrentLinkedQueue<Kill> kills = new ConcurrentLinkedQueue<>();
    private HttpServer recipient;

    /** An answer a client got: through which gateway, when, with which status to which kind of call. */
    record Answer(int gateway, Instant at, int status, String call) {
    }

    /** A part killed: when, and how long {@code deploy/run start} took to have it healthy again. */
    record Kill(String part, Instant at, Duration restart) {
    }

    /** What the drill saw; {@link #problems()} lists every broken promise. */
    record Report(int transactionsAnswered, int callsUnanswered, int recordsAcceptedPulled, int recordsAcceptedPushed,
                  int pulledNotAccepted, int acceptedNotPulled, int pulledTwice, int acceptedNotPushed, int pushedAgain,
                  int pushAttemptsRepeated, int countedByAudit, int answeredNotCounted, int lostWithKilledGateway,
                  int countedNotAnswered, List<Kill> kills, Map<String, Integer> notCountedByAnswer) {

        List<String> problems() {
            var problems = new ArrayList<String>();
            if (acceptedNotPulled > 0) {
                problems.add(acceptedNotPulled + " records answered 202 were never pulled");
            }
            if (pulledTwice > 0) {
                problems.add(pulledTwice + " records were handed out twice to one drain");
            }
            if (pulledNotAccepted > 0) {
                problems.add(pulledNotAccepted + " records pulled that no client was answered 202 for");
            }
            if (acceptedNotPushed > 0) {
                problems.add(acceptedNotPushed + " records answered 202 were never pushed");
            }
            if (pushAttemptsRepeated > 0) {
                problems.add(pushAttemptsRepeated + " push attempts (record and delivery number) arrived twice");
            }
            if (answeredNotCounted - lostWithKilledGateway > 0) {
                problems.add((answeredNotCounted - lostWithKilledGateway) + " answered transactions are not counted by audit: "
                        + notCountedByAnswer);
            }
            if (countedNotAnswered > callsUnanswered) {
                problems.add(countedNotAnswered + " transactions counted that no client was answered for, more than the "
                        + callsUnanswered + " calls cut off by a kill");
            }
            return problems;
        }
    }

    ReplicaDrill(List<String> gateways) {
        this.gateways = gateways;
    }

    /**
     * Runs traffic for {@code phase} before the first kill, between kills and after the last, each part down
     * for {@code down} before it is started again.
     */
    Report run(List<String> victims, Duration phase, Duration down, int senders) throws Exception {
        startRecipient();
        try {
            setUp();
            Instant from = Instant.now().minusSeconds(1);
            var running = new AtomicBoolean(true);
            ExecutorService traffic = Executors.newFixedThreadPool(senders);
            for (int s = 0; s < senders; s++) {
                int sender = s;
                traffic.submit(() -> send(sender, running));
            }
            Thread.sleep(phase.toMillis());
            for (String victim : victims) {
                kill(victim, down);
                Thread.sleep(phase.toMillis());
            }
            running.set(false);
            traffic.shutdown();
            if (!traffic.awaitTermination(2, TimeUnit.MINUTES)) {
                throw new AssertionError("the senders did not stop");
            }
            Set<String> pulled = new HashSet<>();
            int pulledTwice = drain(pulled);
            awaitPushes(Duration.ofSeconds(60));
            Instant to = Instant.now().plusSeconds(1);
            Set<String> counted = awaitCounted(from, to);

            var notCounted = new HashSet<>(answered.keySet());
            notCounted.removeAll(counted);
            int lostWithGateway = (int) notCounted.stream().filter(this::answeredJustBeforeItsGatewayWasKilled).count();
            var notCountedByAnswer = new java.util.TreeMap<String, Integer>();
            notCounted.forEach(id -> notCountedByAnswer.merge(answered.get(id).call() + " " + answered.get(id).status(), 1, Integer::sum));
            var notAnswered = new HashSet<>(counted);
            notAnswered.removeAll(answered.keySet());
            var notPulled = new HashSet<>(acceptedPulled);
            notPulled.removeAll(pulled);
            var strangers = new HashSet<>(pulled);
            strangers.removeAll(acceptedPulled);
            var notPushed = new HashSet<>(acceptedPushed);
            notPushed.removeAll(pushes.keySet());
            int pushedAgain = (int) pushes.values().stream().filter(times -> times.get() > 1).count();
            return new Report(answered.size(), unanswered.get(), acceptedPulled.size(), acceptedPushed.size(), strangers.size(),
                    notPulled.size(), pulledTwice, notPushed.size(), pushedAgain, pushAttemptsRepeated.get(), counted.size(),
                    notCounted.size(), lostWithGateway, notAnswered.size(), List.copyOf(kills), notCountedByAnswer);
        } finally {
            recipient.stop(0);
        }
    }

    // --- the pushed channel's recipient

    private void startRecipient() throws IOException {
        recipient = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        recipient.createContext("/push", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String id = exchange.getRequestHeaders().getFirst("X-Transaction-Id");
            String delivery = exchange.getRequestHeaders().getFirst("X-Ndx-Delivery");
            if (id != null) {
                pushes.computeIfAbsent(id, any -> new AtomicInteger()).incrementAndGet();
                if (!pushAttempts.add(id + "#" + delivery)) {
                    pushAttemptsRepeated.incrementAndGet();
                }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        recipient.setExecutor(Executors.newFixedThreadPool(4));
        recipient.start();
    }

    /** The pushed channel, its grant, and limits out of the way; idempotent, so a platform may be drilled again. */
    private void setUp() throws Exception {
        String admin = token("platform-admin");
        expect(call(0, "PUT", "/admin/agencies/" + H41 + "/egress", admin,
                "{\"plainHttp\":true,\"networks\":[\"127.0.0.0/8\"]}"), 200);
        String channel = "{\"code\":\"drill-push\",\"kind\":\"CHANNEL\",\"maxBodyBytes\":10000,\"timeoutMillis\":5000,"
                + "\"upstreamUrl\":\"http://127.0.0.1:" + recipient.getAddress().getPort() + "/push\"}";
        var created = call(0, "POST", "/admin/agencies/" + H41 + "/systems/one-stop-portal/services", admin, channel);
        if (created.statusCode() == 409) {
            expect(call(0, "PUT", "/admin/agencies/" + H41 + "/systems/one-stop-portal/services/drill-push", admin, channel), 200);
        } else {
            expect(created, 201);
        }
        // the go-live gate: a service no security assessor has assessed does not exist for the data plane
        expect(call(0, "POST", "/admin/assessments", token("platform-assessor"), "{\"agencyCode\":\"" + H41 + "\","
                + "\"systemCode\":\"one-stop-portal\",\"serviceCode\":\"drill-push\",\"assessedOn\":\"2026-11-01\","
                + "\"assessor\":\"drill\",\"reference\":\"DRILL-1\"}"), 201);
        var grant = call(0, "POST", "/admin/grants", admin, "{\"consumerAgency\":\"" + H29 + "\",\"consumerSystem\":\"one-stop-portal\","
                + "\"providerAgency\":\"" + H41 + "\",\"providerSystem\":\"one-stop-portal\",\"service\":\"drill-push\",\"reason\":\"drill\"}");
        if (grant.statusCode() != 409) {
            expect(grant, 201);
        }
        expect(call(0, "PUT", "/admin/clients/h29-one-stop-portal/limits", admin,
                "{\"requestsPerSecond\":5000,\"burst\":5000,\"concurrentCalls\":500}"), 200);
        // the new channel and grant reach every gateway and exchange with the registry's next snapshot
        for (int gateway = 0; gateway < gateways.size(); gateway++) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int status;
            do {
                Thread.sleep(500);
                status = call(gateway, "GET", "/inbox/drill-push/push-secret", token("h41-one-stop-portal"), null).statusCode();
            } while (status != 200 && System.nanoTime() < deadline);
            if (status != 200) {
                throw new AssertionError("the pushed channel did not reach gateway " + (gateway + 1) + ": " + status);
            }
        }
    }

    // --- traffic

    private Void send(int sender, AtomicBoolean running) {
        int gateway = sender % gateways.size();
        for (long n = 0; running.get(); n++) {
            try {
                // half queries; records mostly pulled; one call in twenty to the pushed channel, which delivers one
                // record at a time in order (docs/exchange.md), so that it is not simply overrun
                switch ((int) (n % 20)) {
                    case 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 -> gateway = query(gateway, sender, n);
                    case 10, 11, 12, 13, 14, 15, 16 -> gateway = record(gateway, PULLED, acceptedPulled);
                    case 17, 18 -> gateway = batch(gateway);
                    default -> gateway = record(gateway, PUSHED, acceptedPushed);
                }
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return null;
    }

    private int query(int gateway, int sender, long n) throws Exception {
        try {
            var response = call(gateway, "GET", QUERY + String.format("03%08d", (sender * 1_000_000L + n) % 100_000_000L),
                    token("h29-one-stop-portal"), null);
            answer(response, gateway);
            return gateway;
        } catch (IOException cutOff) {
            unanswered.incrementAndGet();
            return other(gateway);
        }
    }

    /** One record, sent until a gateway answers 202 (the same key each time); returns the gateway to use next. */
    private int record(int gateway, String path, Set<String> accepted) throws Exception {
        String key = UUID.randomUUID().toString();
        String body = "{\"taxCode\":\"0301234567\",\"name\":\"Hồ sơ " + key + "\"}";
        for (int attempt = 0; attempt < 120; attempt++) {
            try {
                var response = http.send(request(gateway, path, body).header("Idempotency-Key", key).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    // a replay answers with the first submission's transaction: the call itself is no new one
                    String id = JSON.readTree(response.body()).get("transactionId").asString();
                    answered.putIfAbsent(id, new Answer(gateway, Instant.now(), 202, "record"));
                    accepted.add(id);
                    return gateway;
                }
                answer(response, gateway);
                if (response.statusCode() < 500 && response.statusCode() != 409 && response.statusCode() != 429) {
                    throw new AssertionError(path + " answered " + response.statusCode() + ": " + response.body());
                }
            } catch (IOException cutOff) {
                unanswered.incrementAndGet();
            }
            gateway = other(gateway);
            Thread.sleep(250);
        }
        throw new AssertionError("a record was not accepted in 30 s through any gateway");
    }

    /** Ten records in one call, each with its key; the call is sent again until every record has its 202. */
    private int batch(int gateway) throws Exception {
        var records = new ArrayList<Map<String, Object>>();
        for (int i = 0; i < 10; i++) {
            String key = UUID.randomUUID().toString();
            records.add(Map.of("idempotencyKey", key, "payload", Map.of("taxCode", "0301234567", "name", "Lô " + key)));
        }
        String body = JSON.writeValueAsString(Map.of("records", records));
        for (int attempt = 0; attempt < 120; attempt++) {
            try {
                var response = http.send(request(gateway, PULLED + "/batch", body).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    JsonNode results = JSON.readTree(response.body()).get("results");
                    boolean all = true;
                    for (JsonNode result : results) {
                        if (result.has("transactionId")) {
                            answered.putIfAbsent(result.get("transactionId").asString(),
                                    new Answer(gateway, Instant.now(), result.get("status").asInt(), "batch record"));
                        }
                        if (result.get("status").asInt() == 202) {
                            acceptedPulled.add(result.get("transactionId").asString());
                        } else {
                            all = false;
                        }
                    }
                    if (all) {
                        return gateway;
                    }
                } else {
                    answer(response, gateway);
                    if (response.statusCode() < 500 && response.statusCode() != 409 && response.statusCode() != 429) {
                        throw new AssertionError("a batch answered " + response.statusCode() + ": " + response.body());
                    }
                }
            } catch (IOException cutOff) {
                unanswered.incrementAndGet();
            }
            gateway = other(gateway);
            Thread.sleep(250);
        }
        throw new AssertionError("a batch was not accepted in 30 s through any gateway");
    }

    /**
     * A query or a record submission answered: a transaction of the platform's statistics. Tokens, pulls and
     * acknowledgements are not (docs/audit.md).
     */
    private void answer(HttpResponse<String> response, int gateway) {
        String path = response.request().uri().getPath();
        String call = path.startsWith("/query/") ? "query" : path.endsWith("/batch") ? "batch" : "record";
        response.headers().firstValue("X-Transaction-Id")
                .ifPresent(id -> answered.putIfAbsent(id, new Answer(gateway, Instant.now(), response.statusCode(), call)));
    }

    private int other(int gateway) {
        return (gateway + 1) % gateways.size();
    }

    // --- faults

    private void kill(String part, Duration down) throws Exception {
        long pid = Long.parseLong(Files.readString(Platform.RUN_DIR.resolve("pids/" + part + ".pid")).trim());
        var process = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError(part + " is not running"));
        Instant at = Instant.now();
        if (new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor() != 0) {
            throw new AssertionError("kill -9 " + part + " failed");
        }
        process.onExit().get(30, TimeUnit.SECONDS);
        Thread.sleep(down.toMillis());
        long restarting = System.nanoTime();
        var start = Platform.run(Duration.ofMinutes(5), "deploy/run", "start", part);
        if (start.exitCode() != 0) {
            throw new AssertionError("deploy/run start " + part + " failed:\n" + start.output());
        }
        kills.add(new Kill(part, at, Duration.ofNanos(System.nanoTime() - restarting)));
        System.out.printf("[drill] %s killed at %s, healthy again %d ms after its start%n", part, at,
                Duration.ofNanos(System.nanoTime() - restarting).toMillis());
    }

    /** A query's event leaves a gateway after its answer: one killed right then takes the event with it. */
    private boolean answeredJustBeforeItsGatewayWasKilled(String transactionId) {
        Answer answer = answered.get(transactionId);
        return kills.stream().anyMatch(kill -> kill.part().equals(gatewayPart(answer.gateway()))
                && !answer.at().isAfter(kill.at()) && answer.at().isAfter(kill.at().minusSeconds(2)));
    }

    private static String gatewayPart(int gateway) {
        return gateway == 0 ? "gateway" : "gateway-" + (gateway + 1);
    }

    // --- the books

    /** Pulls and acknowledges until the inbox stays empty for three seconds; returns how many ids came twice. */
    private int drain(Set<String> pulled) throws Exception {
        String token = token("h41-one-stop-portal");
        int twice = 0;
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < Duration.ofSeconds(3).toNanos()) {
            var inbox = call(0, "GET", "/inbox/business-registration?max=500", token, null);
            expect(inbox, 200);
            var ids = new ArrayList<String>();
            JSON.readTree(inbox.body()).get("records").forEach(record -> ids.add(record.get("transactionId").asString()));
            if (ids.isEmpty()) {
                Thread.sleep(200);
                continue;
            }
            for (String id : ids) {
                if (!pulled.add(id)) {
                    twice++;
                }
            }
            expect(call(0, "POST", "/inbox/business-registration/ack", token, JSON.writeValueAsString(Map.of("transactionIds", ids))), 200);
            quietSince = System.nanoTime();
        }
        return twice;
    }

    /** Waits while pushes still arrive, until every accepted record came or none came for {@code patience}. */
    private void awaitPushes(Duration patience) throws InterruptedException {
        long lastProgress = System.nanoTime();
        int seen = pushes.size();
        while (!pushes.keySet().containsAll(acceptedPushed) && System.nanoTime() - lastProgress < patience.toNanos()) {
            Thread.sleep(500);
            if (pushes.size() > seen) {
                seen = pushes.size();
                lastProgress = System.nanoTime();
            }
        }
        Thread.sleep(2_000); // a late second push of one attempt would show now
    }

    /** The drill clients' transactions audit logged in the window, once the count has stopped growing. */
    private Set<String> awaitCounted(Instant from, Instant to) throws Exception {
        Set<String> counted = logged(from, to);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        int unchanged = 0;
        while (unchanged < 3 && System.nanoTime() < deadline) {
            Thread.sleep(2_000);
            Set<String> now = logged(from, to);
            unchanged = now.size() == counted.size() ? unchanged + 1 : 0;
            counted = now;
        }
        return counted;
    }

    private Set<String> logged(Instant from, Instant to) throws Exception {
        String operator = token("platform-operator");
        var ids = new HashSet<String>();
        for (int page = 0; ; page++) {
            var response = call(0, "GET", "/transactions?from=" + from + "&to=" + to + "&size=500&page=" + page, operator, null);
            expect(response, 200);
            JsonNode items = JSON.readTree(response.body()).get("items");
            items.forEach(item -> {
                if (CLIENTS.contains(item.path("clientId").asString())) {
                    ids.add(item.get("transactionId").asString());
                }
            });
            if (items.size() < 500) {
                return ids;
            }
        }
    }

    // --- calls

    private String token(String client) throws Exception {
        String cached = tokens.get(client);
        if (cached != null && Long.parseLong(cached.substring(0, cached.indexOf(' '))) > System.nanoTime()) {
            return cached.substring(cached.indexOf(' ') + 1);
        }
        String secret = Platform.demoClients().get(client);
        for (int attempt = 0; ; attempt++) {
            int gateway = attempt % gateways.size();
            try {
                var response = http.send(HttpRequest.newBuilder(URI.create(gateways.get(gateway) + "/oauth2/token"))
                        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8)))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    String token = JSON.readTree(response.body()).get("access_token").asString();
                    tokens.put(client, (System.nanoTime() + Duration.ofMinutes(5).toNanos()) + " " + token);
                    return token;
                }
            } catch (IOException cutOff) {
                // the other gateway
            }
            if (attempt > 60) {
                throw new AssertionError("no token for " + client + " from any gateway");
            }
            Thread.sleep(500);
        }
    }

    private HttpResponse<String> call(int gateway, String method, String path, String token, String json) throws Exception {
        return http.send(builder(gateway, method, path, token, json).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(int gateway, String path, String json) throws Exception {
        return builder(gateway, "POST", path, token("h29-one-stop-portal"), json);
    }

    private HttpRequest.Builder builder(int gateway, String method, String path, String token, String json) {
        var request = HttpRequest.newBuilder(URI.create(gateways.get(gateway) + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (path.startsWith(QUERY)) {
            request.header("X-Ndx-Purpose", "administrative-procedure"); // the tax-status service carries personal data
        }
        return request;
    }

    private static void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new AssertionError(response.request().method() + " " + response.uri().getPath() + " answered "
                    + response.statusCode() + ", not " + status + ": " + response.body());
        }
    }

    /** The report as the lines a reader and deploy/bench want: one figure per line. */
    static Map<String, Object> figures(Report report) {
        var figures = new LinkedHashMap<String, Object>();
        figures.put("transactions answered", report.transactionsAnswered());
        figures.put("calls cut off by a kill", report.callsUnanswered());
        figures.put("records accepted, pulled channel", report.recordsAcceptedPulled());
        figures.put("records accepted, pushed channel", report.recordsAcceptedPushed());
        figures.put("accepted, never pulled", report.acceptedNotPulled());
        figures.put("pulled twice", report.pulledTwice());
        figures.put("accepted, never pushed", report.acceptedNotPushed());
        figures.put("pushed again after a lost acknowledgement", report.pushedAgain());
        figures.put("push attempts repeated", report.pushAttemptsRepeated());
        figures.put("counted by audit", report.countedByAudit());
        figures.put("answered, not counted", report.answeredNotCounted());
        figures.put("of those, answered by a gateway in the 2 s before its kill -9", report.lostWithKilledGateway());
        figures.put("counted, never answered", report.countedNotAnswered());
        report.kills().forEach(kill -> figures.put("restart of " + kill.part() + " (ms)", kill.restart().toMillis()));
        return figures;
    }
}
