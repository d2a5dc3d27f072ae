package vn.ndx.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every metric a rule or a dashboard reads exists: an NDX meter registered in a service's code, a recorded
 * series, a name the broker's JMX exporter rules produce, or a library metric listed (and seen in a scrape)
 * in external-metrics.txt. A renamed meter fails here, not silently on a dashboard.
 */
class MetricNamesTest {

    private static final Pattern METER = Pattern.compile(
            "(?:counter|builder|gauge|timer|summary)\\(\\s*\"(ndx(?:\\.[a-z0-9]+)+)\"");
    private static final Pattern GROUP = Pattern.compile("\\(([^()]*)\\)");
    private static final List<String> SUFFIXES = List.of("", "_total", "_seconds", "_seconds_bucket", "_seconds_count",
            "_seconds_sum", "_seconds_max", "_bucket", "_count", "_sum", "_max");

    @Test
    void every_metric_read_by_a_rule_or_dashboard_exists() {
        Set<String> meters = serviceMeters();
        Set<String> recorded = new HashSet<>(PrometheusRules.recordedNames());
        Set<String> external = externalNames();
        List<Pattern> broker = brokerNames();
        var unknown = new ArrayList<String>();
        for (Expressions.Expression expression : Expressions.all()) {
            for (String name : Expressions.metricNames(expression.promql())) {
                boolean known = recorded.contains(name) || external.contains(name)
                        || (name.startsWith("ndx_") && SUFFIXES.stream().anyMatch(suffix ->
                        name.endsWith(suffix) && meters.contains(name.substring(0, name.length() - suffix.length()))))
                        || broker.stream().anyMatch(pattern -> pattern.matcher(name).matches());
                if (!known) {
                    unknown.add(name + " (" + expression.origin() + ")");
                }
            }
        }
        assertThat(unknown).as("metric names no service, rule or listed library produces").isEmpty();
    }

    @Test
    void the_services_meters_are_found_where_they_are_registered() {
        assertThat(serviceMeters()).contains("ndx_gateway_transactions", "ndx_gateway_latency", "ndx_audit_lag",
                "ndx_exchange_dead_letters", "ndx_registry_view_age");
    }

    @Test
    void metric_names_are_told_apart_from_functions_labels_and_keywords() {
        assertThat(Expressions.metricNames(
                "sum by (kind, le) (rate(ndx_gateway_latency_seconds_bucket{outcome!=\"REFUSED\",kind=~\"$k\"}[5m] offset 1d))"
                        + " / on (kind) group_left ignoring (le) up == bool 1 unless absent(foo:bar:rate5m)"))
                .containsExactly("ndx_gateway_latency_seconds_bucket", "up", "foo:bar:rate5m");
    }

    /** ndx.* meter names registered in the services' main code, in Prometheus form without suffixes. */
    private static Set<String> serviceMeters() {
        var meters = new HashSet<String>();
        try (Stream<Path> modules = Files.list(Repository.ROOT)) {
            for (Path main : modules.map(module -> module.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> sources = Files.walk(main)) {
                    sources.filter(file -> file.toString().endsWith(".java"))
                            .forEach(file -> METER.matcher(Repository.read(file)).results()
                                    .forEach(match -> meters.add(match.group(1).replace('.', '_'))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return meters;
    }

    private static Set<String> externalNames() {
        try (var lines = MetricNamesTest.class.getResourceAsStream("/external-metrics.txt")) {
            return new String(lines.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .collect(java.util.stream.Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The names kafka-jmx.yml's rules can produce: each $n of a name becomes the alternatives of the pattern's
     * n-th group when it lists them (lower-cased, as the exporter writes names), any word otherwise.
     */
    private static List<Pattern> brokerNames() {
        var patterns = new ArrayList<Pattern>();
        for (JsonNode rule : Repository.yaml(Repository.path("deploy/prometheus/kafka-jmx.yml")).path("rules")) {
            List<String> groups = GROUP.matcher(rule.path("pattern").asString()).results().map(match -> match.group(1)).toList();
            String name = rule.path("name").asString();
            var regex = new StringBuilder();
            var reference = Pattern.compile("\\$(\\d)").matcher(name);
            int last = 0;
            while (reference.find()) {
                regex.append(Pattern.quote(name.substring(last, reference.start())));
                String group = groups.get(Integer.parseInt(reference.group(1)) - 1);
                regex.append(group.matches("[A-Za-z|]+") ? "(?:" + group.toLowerCase(java.util.Locale.ROOT) + ")" : "[a-z0-9]+");
                last = reference.end();
            }
            regex.append(Pattern.quote(name.substring(last)));
            patterns.add(Pattern.compile(regex.toString()));
        }
        return patterns;
    }
}
