package vn.ndx.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/** The dashboards of deploy/grafana/dashboards and their panels, rows' nested panels included. */
final class Grafana {

    static final String DATASOURCE_UID = "ndx-prometheus";
    /** Audit's PostgreSQL, read as the analysts' role: the statistics dashboard's SQL panels only. */
    static final String AUDIT_DB_UID = "ndx-audit-db";

    private Grafana() {
    }

    static List<Path> dashboards() {
        return Repository.files("deploy/grafana/dashboards", ".json");
    }

    /** Whether a panel asks audit's database in SQL rather than Prometheus. */
    static boolean sql(JsonNode panel) {
        return AUDIT_DB_UID.equals(panel.path("datasource").path("uid").asString());
    }

    static List<JsonNode> panels(JsonNode dashboard) {
        var panels = new ArrayList<JsonNode>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }
}
