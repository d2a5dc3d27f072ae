package vn.ndx.audit.stats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import vn.ndx.audit.AuditTest;
import vn.ndx.contract.Outcome;
import vn.ndx.contract.TransactionKind;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SQL of Grafana's statistics dashboard (deploy/grafana/dashboards/ndx-statistics.json), run as Grafana
 * runs it (its time macros expanded) against audit's real schema, as a role that may only read: each panel
 * answers, and answers exactly what was counted.
 */
class StatisticsDashboardIT extends AuditTest {

    static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "dashboards", "ndx-statistics.json");
    static final LocalDate FIRST = LocalDate.of(2037, 7, 1);
    static final LocalDate SECOND = LocalDate.of(2037, 7, 2);
    static final String H14 = "000.00.00.H14";

    @Autowired
    DataSource dataSource;

    @Test
    void every_panel_answers_what_audit_counted_for_the_range() throws Exception {
        // 3 + 2 on the first day, 4 on the second: agencies, services and outcomes of known shares
        for (int i = 0; i < 3; i++) {
            sendEvent(event(UUID.randomUUID().toString(), noonOf(FIRST), TransactionKind.QUERY, H29, TAX, "business-tax-status", Outcome.OK));
        }
        for (int i = 0; i < 2; i++) {
            sendEvent(event(UUID.randomUUID().toString(), noonOf(FIRST), TransactionKind.QUERY, H41, TAX, "business-tax-status", Outcome.PROVIDER_ERROR));
        }
        for (int i = 0; i < 4; i++) {
            sendEvent(event(UUID.randomUUID().toString(), noonOf(SECOND), TransactionKind.RECORD, H14, H29, "land-records", Outcome.OK));
        }
        awaitTotal(port, FIRST, 5);
        awaitTotal(port, SECOND, 4);

        Map<String, String> panels = panels();
        assertThat(panels).containsKeys("Transactions per day", "Transactions per month", "Top consumer agencies", "Top services",
                "Outcomes", "Outcomes per day");

        assertThat(rows(panels.get("Transactions per day"))).containsExactly(List.of(FIRST.toString(), "5"), List.of(SECOND.toString(), "4"));
        assertThat(rows(panels.get("Transactions per month"))).containsExactly(List.of("2037-07", "9"));
        assertThat(rows(panels.get("Top consumer agencies"))).containsExactly(List.of(H14, "4"), List.of(H29, "3"), List.of(H41, "2"));
        assertThat(rows(panels.get("Top services"))).containsExactly(List.of(TAX, "business-tax-status", "5"), List.of(H29, "land-records", "4"));
        assertThat(rows(panels.get("Outcomes"))).containsExactly(List.of("OK", "7"), List.of("PROVIDER_ERROR", "2"));
        assertThat(rows(panels.get("Outcomes per day"))).containsExactly(List.of(FIRST.toString(), "OK", "3"),
                List.of(FIRST.toString(), "PROVIDER_ERROR", "2"), List.of(SECOND.toString(), "OK", "4"));

        // the same figures the statistics API gives
        JsonNode daily = JSON.readTree(get(port, "/stats/daily?from=" + FIRST + "&to=" + SECOND).body());
        assertThat(daily.get(0).get("total").asLong()).isEqualTo(5);
        assertThat(daily.get(1).get("total").asLong()).isEqualTo(4);
    }

    private static Map<String, String> panels() throws Exception {
        JsonNode dashboard = JSON.readTree(Files.readString(DASHBOARD));
        var panels = new LinkedHashMap<String, String>();
        dashboard.get("panels").forEach(panel -> panels.put(panel.get("title").asString(), panel.get("targets").get(0).get("rawSql").asString()));
        return panels;
    }

    /** The panel's rows over the dashboard's range (the two test days, as Grafana gives them: UTC instants). */
    private List<List<String>> rows(String sql) throws SQLException {
        String expanded = sql.replace("$__timeFrom()", "'" + FIRST.atStartOfDay(vn.ndx.audit.CalendarDays.ZONE).toInstant() + "'")
                .replace("$__timeTo()", "'" + SECOND.plusDays(1).atStartOfDay(vn.ndx.audit.CalendarDays.ZONE).toInstant().minusSeconds(1) + "'");
        assertThat(expanded).doesNotContain("$__");
        try (Connection connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            statement.execute("DO $$ BEGIN CREATE ROLE dashboard_reader NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
            statement.execute("GRANT USAGE ON SCHEMA public TO dashboard_reader");
            statement.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO dashboard_reader");
            statement.execute("SET ROLE dashboard_reader");
            try (ResultSet result = statement.executeQuery(expanded)) {
                var rows = new ArrayList<List<String>>();
                int columns = result.getMetaData().getColumnCount();
                while (result.next()) {
                    var row = new ArrayList<String>();
                    for (int i = 1; i <= columns; i++) {
                        row.add(result.getString(i));
                    }
                    rows.add(row);
                }
                return rows;
            } finally {
                statement.execute("RESET ROLE");
            }
        }
    }
}
