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
 * from; and the metric names an expression reads.
 */
final class Expressions {

    record Expression(String origin, String promql) {

        /** The query with Grafana's variables replaced by values Prometheus accepts. */
        String withVariablesReplaced() {
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
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*[a-z_]+\\)");

    private Expressions() {
    }

    static List<Expression> rules() {
        return PrometheusRules.rules().stream()
                .map(rule -> new Expression(Repository.ROOT.relativize(rule.file()) + " " + rule.name(), rule.expr()))
                .toList();
    }

    static List<Expression> dashboards() {
        var expressions = new ArrayList<Expression>();
        for (Path file : Grafana.dashboards()) {
            JsonNode dashboard = Repository.json(file);
            for (JsonNode panel : Grafana.panels(dashboard)) {
                for (JsonNode target : panel.path("targets")) {
                    expressions.add(new Expression(file.getFileName() + " \"" + panel.path("title").asString() + "\"",
                            target.path("expr").asString()));
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
                if (labelValues.matches()) {
                    expressions.add(new Expression(file.getFileName() + " $" + variable.path("name").asString(), labelValues.group(1)));
                } else {
                    expressions.add(new Expression(file.getFileName() + " $" + variable.path("name").asString(), query));
                }
            }
        }
        return expressions;
    }

    static List<Expression> all() {
        var all = new ArrayList<Expression>(rules());
        all.addAll(dashboards());
        all.addAll(dashboardVariables());
        return all;
    }

    /** Metric names an expression selects: identifiers that are neither functions, keywords nor labels. */
    static Set<String> metricNames(String promql) {
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
