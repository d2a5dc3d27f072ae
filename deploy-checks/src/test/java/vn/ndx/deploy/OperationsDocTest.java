package vn.ndx.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** docs/operations.md keeps up with what deploy/ ships: a runbook per alert, every secret and volume explained. */
class OperationsDocTest {

    private static final String DOC = Repository.read(Repository.path("docs/operations.md"));

    @Test
    void every_alert_has_a_runbook_and_every_runbook_an_alert() {
        var runbooks = new ArrayList<String>();
        Pattern.compile("(?m)^### (Ndx\\w+)$").matcher(DOC).results().forEach(match -> runbooks.add(match.group(1)));
        assertThat(runbooks).containsExactlyInAnyOrderElementsOf(PrometheusRules.alerts().keySet());
    }

    @Test
    void every_secret_a_pod_mounts_is_created_in_the_instructions() {
        var secrets = new ArrayList<String>();
        var issued = new ArrayList<String>();
        for (Path file : Repository.files("deploy/k8s", ".yaml")) {
            for (JsonNode manifest : Repository.yamlDocuments(file)) {
                switch (manifest.path("kind").asString()) {
                    case "Certificate" -> issued.add(manifest.path("spec").path("secretName").asString()); // cert-manager keeps it
                    case "KafkaUser" -> issued.add(manifest.path("metadata").path("name").asString()); // Strimzi's User Operator
                    case "Kafka" -> issued.add(manifest.path("metadata").path("name").asString() + "-cluster-ca-cert"); // Strimzi's
                    case "Cluster" -> issued.add(manifest.path("metadata").path("name").asString() + "-ca"); // CloudNativePG's
                    default -> { }
                }
                manifest.path("spec").path("template").path("spec").path("volumes").forEach(volume -> {
                    if (volume.has("secret")) {
                        secrets.add(volume.path("secret").path("secretName").asString());
                    }
                });
            }
        }
        secrets.removeAll(issued);
        assertThat(issued).allSatisfy(secret -> assertThat(DOC).as("how cert-manager issues it").contains(secret));
        assertThat(secrets).isNotEmpty().allSatisfy(secret -> assertThat(DOC).contains("create secret generic " + secret));
    }

    @Test
    void every_volume_with_state_is_in_the_backup_section() {
        String backup = DOC.substring(DOC.indexOf("## Backup and restore"), DOC.indexOf("## Upgrades without downtime"));
        List<String> volumes = List.of("registry-state", "audit-db");
        assertThat(backup).contains(volumes).contains("signing-keys.json", "pg_dump", "ndx.registry-state");
    }

    @Test
    void the_sizing_figures_are_marked_as_not_measured_until_they_are() {
        int start = DOC.indexOf("## Sizing");
        String sizing = DOC.substring(start, DOC.indexOf("\n## ", start)); // the section itself, up to the next
        assertThat(sizing).contains("**Method.**", "per million transactions a day");
        // every figure row says how it is measured, and gives a number or says it is not measured yet
        sizing.lines().filter(line -> line.startsWith("| ") && !line.startsWith("| per million") && !line.startsWith("|---"))
                .forEach(row -> {
                    String[] cells = row.split("\\|");
                    assertThat(cells).as(row).hasSize(4);
                    assertThat(cells[3].trim()).as("how it is measured: " + row).isNotEmpty();
                    assertThat(cells[2].contains("not measured yet") || cells[2].matches(".*\\d.*")).as("a figure row: " + row).isTrue();
                });
    }

    @Test
    void every_dashboard_is_described() {
        Grafana.dashboards().forEach(file -> assertThat(DOC).contains(Repository.json(file).path("title").asString()));
    }
}
