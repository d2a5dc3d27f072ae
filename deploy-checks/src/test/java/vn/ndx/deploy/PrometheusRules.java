package vn.ndx.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/** The rule files of deploy/prometheus/rules, read as YAML: their alerts and recording rules. */
public final class PrometheusRules {

    record Rule(Path file, String name, boolean alert, String expr, JsonNode node) {
    }

    private PrometheusRules() {
    }

    public static List<Path> ruleFiles() {
        return Repository.files("deploy/prometheus/rules", ".yml");
    }

    static List<Path> testFiles() {
        return Repository.files("deploy/prometheus/tests", ".test.yml");
    }

    static List<Rule> rules() {
        var rules = new ArrayList<Rule>();
        for (Path file : ruleFiles()) {
            for (JsonNode group : Repository.yaml(file).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    boolean alert = rule.has("alert");
                    rules.add(new Rule(file, rule.path(alert ? "alert" : "record").asString(), alert,
                            rule.path("expr").asString(), rule));
                }
            }
        }
        return rules;
    }

    static Map<String, Rule> alerts() {
        var alerts = new LinkedHashMap<String, Rule>();
        rules().stream().filter(Rule::alert).forEach(rule -> alerts.put(rule.name(), rule));
        return alerts;
    }

    static List<String> recordedNames() {
        return rules().stream().filter(rule -> !rule.alert()).map(Rule::name).toList();
    }
}
