package vn.ndx.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.deploy.Expressions;
import vn.ndx.deploy.Expressions.Expression;
import vn.ndx.deploy.Expressions.Source;
import vn.ndx.deploy.PrometheusRules;

/**
 * The Prometheus {@code deploy/run up} starts beside the platform under test, made fast enough for a fault
 * drill: it scrapes and evaluates every second and loads a copy of deploy/prometheus/rules whose alerts wait
 * seconds instead of minutes. And every PromQL expression the platform ships, from the rule files and the
 * dashboards, read by deploy-checks' {@link Expressions}, run against it.
 */
final class PrometheusLive {

    static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(1);
    /** Every alert's {@code for:} in the test's rules. */
    static final Duration ALERT_FOR = Duration.ofSeconds(5);
    static final Path RULES = Platform.ROOT.resolve("e2e/target/prometheus-rules");

    /**
     * Series no expression can find on a platform that started minutes ago, with the reason. An expression
     * that returns nothing must read one of these (or a recording rule computed from one), or it fails.
     */
    static final Map<String, String> ABSENT_ON_A_FRESH_PLATFORM = Map.of(
            "ndx_exchange_records_expired_total", "a record expires after its channel's retention, a day at the least",
            "ndx_exchange_push_deliveries_total", "the demo recipients pull their inboxes: no channel is pushed to",
            "ndx_exchange_dead_letters", "a push is dead-lettered after failing for about an hour; no demo channel is pushed to");
    static final String NO_YESTERDAY = "offset 1d";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern FOR = Pattern.compile("(?m)^(\\s+for:)\\s*\\S+\\s*$");
    // NdxProviderCircuitOpen reads max_over_time(...[2m]), so it would go on firing for 2 minutes after the
    // circuit closed; the provider recording rules behind NdxProviderErrorRatioHigh read 5 minutes. Those
    // windows become 15 s; the longer ones (10m, 15m, 1h, 1d) are left as shipped.
    private static final Pattern SHORT_WINDOW = Pattern.compile("\\[(2m|5m)]");
    private static boolean prepared;

    private PrometheusLive() {
    }

    /** Installs Prometheus if missing and writes the test's rules; idempotent, before {@code deploy/run up}. */
    static synchronized Path prepareRules() {
        if (!prepared) {
            try {
                install();
                writeRules();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            prepared = true;
        }
        return RULES;
    }

    private static void install() throws IOException, InterruptedException {
        if (onPath("prometheus")) {
            return;
        }
        var install = new ProcessBuilder("deploy/prometheus/install").directory(Platform.ROOT.toFile()).inheritIO().start();
        if (install.waitFor() != 0 || !onPath("prometheus")) {
            throw new IllegalStateException("Prometheus is needed for the live checks and deploy/prometheus/install could not "
                    + "install it: run 'sudo apt-get install -y prometheus' and start the tests again");
        }
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    private static void writeRules() throws IOException {
        Files.createDirectories(RULES);
        for (Path file : PrometheusRules.ruleFiles()) {
            String rules = Files.readString(file, StandardCharsets.UTF_8);
            rules = FOR.matcher(rules).replaceAll("$1 " + ALERT_FOR.toSeconds() + "s");
            rules = SHORT_WINDOW.matcher(rules).replaceAll("[15s]");
            Files.writeString(RULES.resolve(file.getFileName()), rules, StandardCharsets.UTF_8);
        }
    }

    // --- the live Prometheus

    static String url() {
        return "http://127.0.0.1:" + Platform.PORTS.get("prometheus");
    }

    /** firing, pending or inactive: the state of the alert's first series, inactive when it has none. */
    static String alertState(String alert) throws IOException, InterruptedException {
        for (JsonNode series : api("/api/v1/alerts").get("data").get("alerts")) {
            if (series.get("labels").get("alertname").asString().equals(alert)) {
                return series.get("state").asString();
            }
        }
        return "inactive";
    }

    /** Waits until the alert is in that state; returns System.nanoTime() when it was seen so. */
    static long awaitAlert(String alert, String state, Duration patience) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            if (alertState(alert).equals(state)) {
                return System.nanoTime();
            }
            Thread.sleep(200);
        }
        throw new AssertionError(alert + " was not " + state + " within " + patience.toSeconds() + " s");
    }

    /** The series the query returns at some step of the range, as Grafana draws a panel; fails when it does not parse. */
    static int seriesOver(String promql, Instant from, Instant to) throws IOException, InterruptedException {
        JsonNode answer = api("/api/v1/query_range?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&start=" + from.getEpochSecond() + "&end=" + to.getEpochSecond() + "&step=5");
        return answer.get("data").get("result").size();
    }

    /** The values the label takes in the series the selector finds over the range. */
    static Set<String> labelValues(String selector, String label, Instant from, Instant to) throws IOException, InterruptedException {
        JsonNode answer = api("/api/v1/series?match[]=" + URLEncoder.encode(selector, StandardCharsets.UTF_8)
                + "&start=" + from.getEpochSecond() + "&end=" + to.getEpochSecond());
        var values = new LinkedHashSet<String>();
        answer.get("data").forEach(series -> {
            if (series.has(label)) {
                values.add(series.get(label).asString());
            }
        });
        return values;
    }

    private static JsonNode api(String path) throws IOException, InterruptedException {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode answer = JSON.readTree(response.body());
        if (response.statusCode() != 200 || !"success".equals(answer.path("status").asString())) {
            throw new AssertionError("Prometheus answered " + response.statusCode() + " to " + path + ": " + response.body());
        }
        return answer;
    }

    /** What running every expression found: each entry names the expression's origin. */
    record Check(List<String> withSeries, List<String> excused, List<String> problems) {
    }

    /**
     * Runs every expression over the range as a dashboard draws it. Dashboard queries, recording rules (and
     * the series they record) and variables must return series; an alert's expression is empty unless it
     * fires, so it must parse and every series it reads must exist. Nothing is passed over: an expression
     * without series is a problem unless it reads an absent series or yesterday's, and then it is listed.
     */
    static Check checkAll(Instant from, Instant to) throws IOException, InterruptedException {
        var expressions = Expressions.all();
        var absent = absentSeries(expressions);
        var check = new Check(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (Expression expression : expressions) {
            String promql = expression.withVariablesReplaced();
            String origin = expression.source() + " " + expression.origin();
            var absentRead = Expressions.metricNames(promql).stream().filter(absent::containsKey).findFirst();
            switch (expression.source()) {
                case ALERT -> {
                    seriesOver(promql, from, to);
                    var missing = new ArrayList<String>();
                    for (String metric : Expressions.metricNames(promql)) {
                        if (!absent.containsKey(metric) && seriesOver("count(" + metric + ")", from, to) == 0) {
                            missing.add(metric);
                        }
                    }
                    if (!missing.isEmpty()) {
                        check.problems().add(origin + " reads series that do not exist: " + missing);
                    } else if (absentRead.isPresent()) {
                        check.excused().add(origin + " reads " + absentRead.get() + ": " + absent.get(absentRead.get()));
                    } else {
                        check.withSeries().add(origin);
                    }
                }
                case DASHBOARD_VARIABLE -> {
                    if (expression.label() == null) {
                        check.problems().add(origin + " is not label_values(selector, label)");
                        continue;
                    }
                    var values = labelValues(promql, expression.label(), from, to);
                    (values.isEmpty() ? check.problems() : check.withSeries()).add(origin + " " + values);
                }
                case DASHBOARD, RECORDING_RULE -> {
                    boolean recorded = expression.recordedAs() == null || seriesOver(expression.recordedAs(), from, to) > 0;
                    if (seriesOver(promql, from, to) > 0 && recorded) {
                        check.withSeries().add(origin);
                    } else if (absentRead.isPresent()) {
                        check.excused().add(origin + " reads " + absentRead.get() + ": " + absent.get(absentRead.get()));
                    } else if (promql.contains(NO_YESTERDAY)) {
                        check.excused().add(origin + " compares with yesterday: this Prometheus started with the platform");
                    } else {
                        check.problems().add(origin + " returns no series: " + promql);
                    }
                }
            }
        }
        for (String listed : ABSENT_ON_A_FRESH_PLATFORM.keySet()) {
            if (expressions.stream().noneMatch(expression -> Expressions.metricNames(expression.promql()).contains(listed))) {
                check.problems().add(listed + " is listed as absent but no expression reads it any more");
            }
        }
        return check;
    }

    /** The metric names that return nothing on a fresh platform: the listed ones and what is recorded from them. */
    static Map<String, String> absentSeries(List<Expression> expressions) {
        var absent = new LinkedHashMap<>(ABSENT_ON_A_FRESH_PLATFORM);
        for (Expression expression : expressions) {
            if (expression.source() == Source.RECORDING_RULE) {
                Expressions.metricNames(expression.promql()).stream().filter(absent::containsKey).findFirst()
                        .ifPresent(source -> absent.put(expression.recordedAs(), "recorded from " + source + ": " + absent.get(source)));
            }
        }
        return absent;
    }
}
