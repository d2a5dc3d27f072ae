package vn.ndx.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * Every PromQL expression the platform ships: rule expressions and dashboard queries, with where each comes
 * from; and the metric names an expression reads. The end-to-end tests run the same expressions against
 * a running platform.
 */
public final class Expressions {

    public enum Source { ALERT, RECORDING_RULE, DASHBOARD, DASHBOARD_VARIABLE }

    /**
     * @param recordedAs for a recording rule, the series it records
     * @param label      for a dashboard variable, the label whose values it lists (null when its query is
     *                   not {@code label_values(selector, label)}; the promql is then the whole query)
     */
    public record Expression(Source source, String origin, String promql, String recordedAs, String label) {

        /** The query with Grafana's variables replaced by values Prometheus accepts. */
        public String withVariablesReplaced() {
            return promql.replace("$__rate_interval", "1m").replace("$__interval", "1m").replace("$__range", "1h")
                    .replaceAll("\\$[a-z_]+", ".*");
        }
    }

    /** Grafana variables a dashboard query may use; anything else would reach Prometheus unreplaced. */
    static final Set<String> VARIABLES = Set.of("$__rate_interval", "$__interval", "$__range", "$agency", "$service", "$job");

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "offset", "bool", "inf", "nan", "atan2");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern OFFSET = Pattern.compile("\\boffset\\s+-?[0-9a-z]+");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*([a-z_]+)\\)");

    private Expressions() {
    }

    static List<Expression> rules() {
        return PrometheusRules.rules().stream()
                .map(rule -> new Expression(rule.alert() ? Source.ALERT : Source.RECORDING_RULE,
                        Repository.ROOT.relativize(rule.file()) + " " + rule.name(), rule.expr(), rule.alert() ? null : rule.name(), null))
                .toList();
    }

    static List<Expression> dashboards() {
        var expressions = new ArrayList<Expression>();
        for (Path file : Grafana.dashboards()) {
            JsonNode dashboard = Repository.json(file);
            for (JsonNode panel : Grafana.panels(dashboard)) {
                if (Grafana.sql(panel)) {
                    continue; // SQL, run against a real PostgreSQL by audit's StatisticsDashboardIT
                }
                for (JsonNode target : panel.path("targets")) {
                    expressions.add(new Expression(Source.DASHBOARD, file.getFileName() + " \"" + panel.path("title").asString() + "\"",
                            target.path("expr").asString(), null, null));
                }
            }
        }
        return expressions;
    }

    /** The selector inside each dashboard variable's label_values(selector, label) query. */
    static List<Expression> dashboardVariables() {
        var expressions = new ArrayList<Expression>();
        for (Path file : Grafana.dashboards()) {
            for (JsonNode variable : Repository.json(file).path("templating").path("list")) {
                String query = variable.path("query").path("query").asString();
                Matcher labelValues = LABEL_VALUES.matcher(query);
                String origin = file.getFileName() + " $" + variable.path("name").asString();
                expressions.add(labelValues.matches()
                        ? new Expression(Source.DASHBOARD_VARIABLE, origin, labelValues.group(1), null, labelValues.group(2))
                        : new Expression(Source.DASHBOARD_VARIABLE, origin, query, null, null));
            }
        }
        return expressions;
    }

    public static List<Expression> all() {
        var all = new ArrayList<Expression>(rules());
        all.addAll(dashboards());
        all.addAll(dashboardVariables());
        return all;
    }

    /** Metric names an expression selects: identifiers that are neither functions, keywords nor labels. */
    public static Set<String> metricNames(String promql) {
        String stripped = STRING.matcher(promql).replaceAll("\"\"");
        stripped = MATCHERS.matcher(stripped).replaceAll(" ");
        stripped = GROUPING.matcher(stripped).replaceAll(" ");
        stripped = RANGE.matcher(stripped).replaceAll(" ");
        stripped = OFFSET.matcher(stripped).replaceAll(" ");
        var names = new LinkedHashSet<String>();
        Matcher identifier = IDENTIFIER.matcher(stripped);
        while (identifier.find()) {
            String name = identifier.group(1);
            boolean function = identifier.group(2) != null;
            if (!function && !KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                names.add(name);
            }
        }
        return names;
    }
}
