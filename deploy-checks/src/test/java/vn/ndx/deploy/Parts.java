package vn.ndx.deploy;

import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * The platform's services as deployments know them: the part's name (its job in Prometheus, its Kubernetes
 * name and compose service), its Maven module (the folder, the jar and the image), and its port, read from
 * the module's own application.yml, and its management port (health and metrics), likewise.
 */
record Parts(String name, String module) {

    static final List<Parts> ALL = List.of(new Parts("registry", "registry-service"), new Parts("gateway", "gateway"),
            new Parts("exchange", "exchange-service"), new Parts("audit", "audit-service"));

    static final List<String> JOBS = List.of("gateway", "registry", "exchange", "audit", "kafka");

    int port() {
        JsonNode application = Repository.yaml(Repository.path(module + "/src/main/resources/application.yml"));
        return application.path("server").path("port").asInt();
    }

    int managementPort() {
        JsonNode application = Repository.yaml(Repository.path(module + "/src/main/resources/application.yml"));
        return application.path("management").path("server").path("port").asInt();
    }

    /** The name of its public port: the gateway serves HTTPS only. */
    String portName() {
        return name.equals("gateway") ? "https" : "http";
    }

    String image() {
        return "ndx/" + module;
    }
}
