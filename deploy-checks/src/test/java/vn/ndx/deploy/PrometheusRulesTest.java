package vn.ndx.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class PrometheusRulesTest {

    @Test
    void the_scrape_configuration_and_its_rule_files_are_valid() {
        var config = Promtool.promtool("check", "config", "deploy/prometheus/prometheus.yml");
        assertThat(config.exitCode()).as(config.output()).isZero();
        assertThat(config.output()).contains("SUCCESS: 2 rule files found");
    }

    @Test
    void every_rule_file_is_valid() {
        var arguments = new ArrayList<String>(List.of("check", "rules"));
        PrometheusRules.ruleFiles().forEach(file -> arguments.add(Repository.ROOT.relativize(file).toString()));
        var check = Promtool.promtool(arguments.toArray(String[]::new));
        assertThat(check.exitCode()).as(check.output()).isZero();
    }

    @Test
    void every_alert_and_recording_rule_passes_its_unit_tests() {
        var arguments = new ArrayList<String>(List.of("test", "rules"));
        PrometheusRules.testFiles().forEach(file -> arguments.add(Repository.ROOT.relativize(file).toString()));
        var test = Promtool.promtool(arguments.toArray(String[]::new));
        assertThat(test.exitCode()).as(test.output()).isZero();
        assertThat(test.output()).doesNotContain("FAILED");
    }

    @Test
    void every_alert_has_a_test_where_it_fires_and_one_where_it_does_not() {
        Set<String> fires = new HashSet<>();
        Set<String> staysSilent = new HashSet<>();
        for (Path file : PrometheusRules.testFiles()) {
            for (JsonNode test : Repository.yaml(file).path("tests")) {
                for (JsonNode check : test.path("alert_rule_test")) {
                    String alert = check.path("alertname").asString();
                    (check.path("exp_alerts").isEmpty() ? staysSilent : fires).add(alert);
                }
            }
        }
        Set<String> alerts = PrometheusRules.alerts().keySet();
        assertThat(fires).as("alerts with a test where they fire").containsAll(alerts);
        assertThat(staysSilent).as("alerts with a test where they stay silent").containsAll(alerts);
        assertThat(alerts).as("tests of alerts that do not exist").containsAll(fires).containsAll(staysSilent);
    }

    @Test
    void every_alert_says_how_urgent_it_is_what_happened_and_where_its_runbook_is() {
        assertThat(PrometheusRules.alerts()).isNotEmpty();
        PrometheusRules.alerts().values().forEach(alert -> {
            JsonNode rule = alert.node();
            assertThat(rule.path("labels").path("severity").asString()).as(alert.name()).isIn("page", "ticket");
            assertThat(rule.path("annotations").path("summary").asString()).as(alert.name()).isNotBlank();
            assertThat(rule.path("annotations").path("description").asString()).as(alert.name()).isNotBlank();
            assertThat(rule.path("annotations").path("runbook_url").asString()).as(alert.name())
                    .isEqualTo("docs/operations.md#" + alert.name().toLowerCase(java.util.Locale.ROOT));
        });
    }

    @Test
    void alert_and_record_names_are_unique() {
        var names = PrometheusRules.rules().stream().map(PrometheusRules.Rule::name).toList();
        assertThat(names).doesNotHaveDuplicates();
        assertThat(PrometheusRules.recordedNames()).allMatch(name -> name.matches("[a-z_]*:[a-z0-9_]+:[a-z0-9_]+"),
                "level:metric:operations");
    }
}
