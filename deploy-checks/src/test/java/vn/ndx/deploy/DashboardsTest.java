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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class DashboardsTest {

    private static final Pattern VARIABLE = Pattern.compile("\\$[a-z_]+");

    @Test
    void the_datasource_is_provisioned_under_the_uid_every_panel_names() {
        JsonNode datasources = Repository.yaml(Repository.path("deploy/grafana/provisioning/datasources/prometheus.yml"));
        assertThat(datasources.path("apiVersion").asInt()).isEqualTo(1);
        JsonNode prometheus = datasources.path("datasources").get(0);
        assertThat(prometheus.path("uid").asString()).isEqualTo(Grafana.DATASOURCE_UID);
        assertThat(prometheus.path("type").asString()).isEqualTo("prometheus");
        assertThat(prometheus.path("url").asString()).isEqualTo("${PROMETHEUS_URL}");

        for (Path file : Grafana.dashboards()) {
            for (JsonNode panel : Grafana.panels(Repository.json(file))) {
                if (panel.has("targets")) {
                    String uid = Grafana.sql(panel) ? Grafana.AUDIT_DB_UID : Grafana.DATASOURCE_UID;
                    panel.path("targets").forEach(target -> assertThat(target.path("datasource").path("uid").asString())
                            .as(file + " " + panel.path("title")).isEqualTo(uid));
                    assertThat(panel.path("datasource").path("uid").asString()).as(file + " " + panel.path("title")).isEqualTo(uid);
                }
            }
        }
    }

    @Test
    void the_statistics_dashboard_reads_audits_database_as_the_analysts_read_only_role() {
        JsonNode database = Repository.yaml(Repository.path("deploy/grafana/provisioning/datasources/audit-postgres.yml"))
                .path("datasources").get(0);
        assertThat(database.path("uid").asString()).isEqualTo(Grafana.AUDIT_DB_UID);
        assertThat(database.path("type").asString()).isEqualTo("grafana-postgresql-datasource");
        assertThat(database.path("user").asString()).isEqualTo("ndx_analyst");
        assertThat(database.path("jsonData").path("database").asString()).isEqualTo("ndx_audit");
        assertThat(database.path("secureJsonData").path("password").asString()).as("from a file, never a literal").startsWith("$__file{");

        JsonNode statistics = Repository.json(Repository.path("deploy/grafana/dashboards/ndx-statistics.json"));
        assertThat(Grafana.panels(statistics)).isNotEmpty().allSatisfy(panel -> {
            assertThat(Grafana.sql(panel)).as(panel.path("title").asString()).isTrue();
            assertThat(panel.path("targets").get(0).path("rawSql").asString()).as(panel.path("title").asString()).startsWith("SELECT");
        });
    }

    @Test
    void the_dashboards_are_provisioned_from_one_folder() {
        JsonNode providers = Repository.yaml(Repository.path("deploy/grafana/provisioning/dashboards/ndx.yml"));
        assertThat(providers.path("providers").get(0).path("options").path("path").asString()).isEqualTo("/var/lib/grafana/dashboards/ndx");
        assertThat(Grafana.dashboards()).extracting(file -> file.getFileName().toString())
                .contains("ndx-overview.json", "ndx-agency.json", "ndx-exchange.json", "ndx-kafka-jvm.json");
    }

    @Test
    void every_dashboard_is_complete_and_laid_out_on_the_grid() {
        var uids = new HashSet<String>();
        for (Path file : Grafana.dashboards()) {
            JsonNode dashboard = Repository.json(file);
            String uid = dashboard.path("uid").asString();
            assertThat(uids.add(uid)).as("uid %s of %s is unique", uid, file).isTrue();
            assertThat(uid).as(file.toString()).isEqualTo(file.getFileName().toString().replace(".json", ""));
            assertThat(dashboard.path("title").asString()).as(file.toString()).startsWith("NDX: ");
            assertThat(dashboard.path("timezone").asString()).as("the statistics' calendar day").isEqualTo("Asia/Ho_Chi_Minh");
            var ids = new HashSet<Integer>();
            for (JsonNode panel : Grafana.panels(dashboard)) {
                String where = file.getFileName() + " \"" + panel.path("title").asString() + "\"";
                assertThat(ids.add(panel.path("id").asInt())).as("panel id unique in " + where).isTrue();
                assertThat(panel.path("title").asString()).as(where).isNotBlank();
                JsonNode grid = panel.path("gridPos");
                assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(where).isBetween(1, 24);
                assertThat(grid.path("h").asInt()).as(where).isPositive();
                if (!panel.path("type").asString().equals("row") && !panel.path("type").asString().equals("text")) {
                    assertThat(panel.path("targets")).as(where).isNotEmpty();
                }
            }
        }
    }

    @Test
    void every_query_uses_only_variables_its_dashboard_defines() {
        for (Path file : Grafana.dashboards()) {
            JsonNode dashboard = Repository.json(file);
            var defined = new HashSet<String>(Set.of("$__rate_interval", "$__interval", "$__range"));
            dashboard.path("templating").path("list").forEach(variable -> defined.add("$" + variable.path("name").asString()));
            assertThat(Expressions.VARIABLES).containsAll(defined);
            for (JsonNode panel : Grafana.panels(dashboard)) {
                for (JsonNode target : panel.path("targets")) {
                    VARIABLE.matcher(target.path("expr").asString()).results().forEach(match ->
                            assertThat(defined).as(file.getFileName() + " \"" + panel.path("title").asString() + "\"").contains(match.group()));
                }
            }
        }
    }

    /** Every query parses as PromQL: written as recording rules into one file for promtool to check. */
    @Test
    void every_dashboard_query_is_valid_promql(@TempDir Path directory) throws IOException {
        List<Expressions.Expression> queries = new ArrayList<>(Expressions.dashboards());
        queries.addAll(Expressions.dashboardVariables());
        assertThat(queries).hasSizeGreaterThan(40);
        var rules = new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
        for (int i = 0; i < queries.size(); i++) {
            rules.append("      # ").append(queries.get(i).origin().replace('\n', ' ')).append('\n')
                    .append("      - record: dashboard_query_").append(i).append('\n')
                    .append("        expr: '").append(queries.get(i).withVariablesReplaced().replace("'", "''")).append("'\n");
        }
        Path file = directory.resolve("dashboard-queries.yml");
        try {
            Files.writeString(file, rules);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var check = Promtool.promtool("check", "rules", file.toString());
        assertThat(check.exitCode()).as("%s%n%s", check.output(), rules).isZero();
    }
}
