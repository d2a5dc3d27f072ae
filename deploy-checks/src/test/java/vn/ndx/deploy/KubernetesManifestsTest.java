package vn.ndx.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** deploy/k8s, checked as far as a machine without a cluster can: structure, not admission. */
class KubernetesManifestsTest {

    private static final Path K8S = Repository.path("deploy/k8s");

    private static List<JsonNode> manifests() {
        var manifests = new ArrayList<JsonNode>();
        for (Path file : Repository.files("deploy/k8s", ".yaml")) {
            if (!file.getFileName().toString().equals("kustomization.yaml")) {
                manifests.addAll(Repository.yamlDocuments(file));
            }
        }
        return manifests;
    }

    private static List<JsonNode> ofKind(String kind) {
        return manifests().stream().filter(manifest -> manifest.path("kind").asString().equals(kind)).toList();
    }

    private static JsonNode named(String kind, String name) {
        return ofKind(kind).stream().filter(manifest -> manifest.path("metadata").path("name").asString().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
    }

    private static Map<String, String> labels(JsonNode labels) {
        var map = new HashMap<String, String>();
        labels.properties().forEach(entry -> map.put(entry.getKey(), entry.getValue().asString()));
        return map;
    }

    @Test
    void every_manifest_parses_and_says_what_it_is() {
        assertThat(manifests()).hasSizeGreaterThan(20).allSatisfy(manifest -> {
            assertThat(manifest.path("apiVersion").asString()).as(manifest.toString()).isNotBlank();
            assertThat(manifest.path("kind").asString()).as(manifest.toString()).isNotBlank();
            assertThat(manifest.path("metadata").path("name").asString()).as(manifest.toString()).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
        });
    }

    @Test
    void the_kustomization_lists_every_manifest_and_nothing_else() {
        JsonNode kustomization = Repository.yaml(K8S.resolve("kustomization.yaml"));
        Set<String> listed = new java.util.TreeSet<>();
        kustomization.path("resources").forEach(resource -> listed.add(resource.asString()));
        Set<String> present = Repository.files("deploy/k8s", ".yaml").stream().map(file -> K8S.relativize(file).toString())
                .filter(file -> !file.equals("kustomization.yaml")).collect(Collectors.toCollection(java.util.TreeSet::new));
        assertThat(listed).isEqualTo(present);
        assertThat(kustomization.path("namespace").asString()).isEqualTo("ndx");
    }

    @Test
    void every_service_runs_as_a_deployment_of_its_modules_image_with_probes_limits_and_labels() {
        for (Parts part : Parts.ALL) {
            JsonNode deployment = named("Deployment", part.name());
            assertThat(labels(deployment.path("metadata").path("labels"))).containsEntry("app.kubernetes.io/name", part.name());
            Map<String, String> selector = labels(deployment.path("spec").path("selector").path("matchLabels"));
            assertThat(labels(deployment.path("spec").path("template").path("metadata").path("labels"))).containsAllEntriesOf(selector)
                    .containsEntry("app.kubernetes.io/name", part.name());
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as(part.name()).isTrue();
            JsonNode container = pod.path("containers").get(0);

            assertThat(container.path("image").asString()).as(part.name()).startsWith(part.image() + ":");
            assertThat(Files.isDirectory(Repository.path(part.module()))).as("module of image " + part.image()).isTrue();
            assertThat(container.path("ports").get(0).path("name").asString()).isEqualTo(part.portName());
            assertThat(container.path("ports").get(0).path("containerPort").asInt()).as(part.name()).isEqualTo(part.port());
            assertThat(container.path("ports").get(1).path("name").asString()).isEqualTo("management");
            assertThat(container.path("ports").get(1).path("containerPort").asInt()).as(part.name()).isEqualTo(part.managementPort());
            assertThat(env(container)).as(part.name()).containsEntry("SERVER_PORT", String.valueOf(part.port()))
                    .containsEntry("MANAGEMENT_SERVER_PORT", String.valueOf(part.managementPort()))
                    .containsEntry("SPRING_KAFKA_BOOTSTRAPSERVERS", "ndx-kafka-bootstrap:9093")
                    .containsEntry("SPRING_KAFKA_SECURITY_PROTOCOL", "SSL");

            assertThat(container.path("livenessProbe").path("httpGet").path("path").asString()).isEqualTo("/actuator/health/liveness");
            assertThat(container.path("readinessProbe").path("httpGet").path("path").asString()).isEqualTo("/actuator/health/readiness");
            assertThat(container.path("startupProbe").path("httpGet").path("path").asString()).isEqualTo("/actuator/health/liveness");
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                assertThat(container.path(probe).path("httpGet").path("port").asString()).as(part.name() + " " + probe).isEqualTo("management");
            }

            JsonNode resources = container.path("resources");
            for (String kind : List.of("requests", "limits")) {
                assertThat(resources.path(kind).path("cpu").asString()).as(part.name() + " " + kind).isNotBlank();
                assertThat(resources.path(kind).path("memory").asString()).as(part.name() + " " + kind).isNotBlank();
            }
            assertThat(resources.path("requests").path("memory").asString()).as("a JVM's memory is not elastic: request what the limit allows")
                    .isEqualTo(resources.path("limits").path("memory").asString());

            JsonNode service = named("Service", part.name());
            assertThat(labels(service.path("metadata").path("labels"))).containsEntry("app.kubernetes.io/name", part.name());
            assertThat(labels(service.path("spec").path("selector"))).isEqualTo(selector);
            assertThat(service.path("spec").path("ports").get(0).path("name").asString()).isEqualTo(part.portName());
            assertThat(service.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(part.port());
            assertThat(service.path("spec").path("ports").get(1).path("name").asString()).isEqualTo("management");
        }
    }

    @Test
    void every_volume_a_pod_mounts_is_declared_and_every_claim_exists() {
        for (JsonNode deployment : ofKind("Deployment")) {
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            var declared = new HashMap<String, JsonNode>();
            pod.path("volumes").forEach(volume -> declared.put(volume.path("name").asString(), volume));
            pod.path("containers").get(0).path("volumeMounts").forEach(mount ->
                    assertThat(declared).as(deployment.path("metadata").path("name").asString()).containsKey(mount.path("name").asString()));
            declared.values().stream().map(volume -> volume.path("persistentVolumeClaim").path("claimName").asString())
                    .filter(claim -> !claim.isEmpty()).forEach(claim -> named("PersistentVolumeClaim", claim));
        }
    }

    @Test
    void gateway_and_exchange_scale_on_load_and_keep_an_instance_through_disruptions() {
        for (String name : List.of("gateway", "exchange")) {
            JsonNode autoscaler = named("HorizontalPodAutoscaler", name);
            assertThat(autoscaler.path("apiVersion").asString()).isEqualTo("autoscaling/v2");
            assertThat(autoscaler.path("spec").path("scaleTargetRef").path("kind").asString()).isEqualTo("Deployment");
            assertThat(autoscaler.path("spec").path("scaleTargetRef").path("name").asString()).isEqualTo(name);
            assertThat(autoscaler.path("spec").path("minReplicas").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(autoscaler.path("spec").path("maxReplicas").asInt()).isGreaterThan(autoscaler.path("spec").path("minReplicas").asInt());
            assertThat(named("Deployment", name).path("spec").has("replicas")).as("the autoscaler owns %s's replica count", name).isFalse();
            assertThat(named("PodDisruptionBudget", name).path("spec").path("minAvailable").asInt()).isGreaterThanOrEqualTo(1);
        }
        for (JsonNode budget : ofKind("PodDisruptionBudget")) {
            String name = budget.path("metadata").path("name").asString();
            assertThat(labels(budget.path("spec").path("selector").path("matchLabels")))
                    .isEqualTo(labels(named("Deployment", name).path("spec").path("selector").path("matchLabels")));
        }
    }

    @Test
    void the_registry_runs_once_and_is_replaced_not_rolled() {
        JsonNode deployment = named("Deployment", "registry");
        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(deployment.path("spec").path("strategy").path("type").asString()).isEqualTo("Recreate");
        assertThat(ofKind("HorizontalPodAutoscaler")).noneMatch(autoscaler ->
                autoscaler.path("spec").path("scaleTargetRef").path("name").asString().equals("registry"));
    }

    @Test
    void audit_runs_twice_on_a_postgresql_cluster_of_two_that_outlives_any_one_pod() {
        JsonNode deployment = named("Deployment", "audit");
        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(deployment.path("spec").path("strategy").path("rollingUpdate").path("maxUnavailable").asInt()).isZero();
        assertThat(named("PodDisruptionBudget", "audit").path("spec").path("minAvailable").asInt()).isEqualTo(1);

        JsonNode database = named("Cluster", "audit-db");
        assertThat(database.path("apiVersion").asString()).startsWith("postgresql.cnpg.io/");
        assertThat(database.path("spec").path("instances").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(database.path("spec").path("bootstrap").path("initdb").path("database").asString()).isEqualTo("ndx_audit");
        var env = new java.util.HashMap<String, JsonNode>();
        deployment.path("spec").path("template").path("spec").path("containers").get(0).path("env")
                .forEach(variable -> env.put(variable.path("name").asString(), variable));
        assertThat(env.get("SPRING_DATASOURCE_URL").path("value").asString())
                .startsWith("jdbc:postgresql://audit-db-rw:5432/ndx_audit?").contains("sslmode=verify-full");
        assertThat(env.get("SPRING_DATASOURCE_PASSWORD").path("valueFrom").path("secretKeyRef").path("name").asString())
                .as("a secret, never a literal").isEqualTo("audit-db-owner");
        assertThat(ofKind("PersistentVolumeClaim")).as("audit keeps no state of its own")
                .noneMatch(claim -> claim.path("metadata").path("name").asString().startsWith("audit"));
    }

    @Test
    void every_part_is_scraped_under_the_job_name_the_rules_use() {
        JsonNode monitor = named("ServiceMonitor", "ndx-services");
        assertThat(monitor.path("spec").path("jobLabel").asString()).isEqualTo("app.kubernetes.io/name");
        var selected = new ArrayList<String>();
        monitor.path("spec").path("selector").path("matchExpressions").get(0).path("values").forEach(value -> selected.add(value.asString()));
        assertThat(selected).containsExactlyInAnyOrderElementsOf(Parts.ALL.stream().map(Parts::name).toList());
        JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
        assertThat(endpoint.path("port").asString()).as("metrics on the management port only").isEqualTo("management");
        assertThat(endpoint.path("path").asString()).isEqualTo("/actuator/prometheus");

        JsonNode kafka = named("PodMonitor", "ndx-kafka");
        JsonNode relabel = kafka.path("spec").path("podMetricsEndpoints").get(0).path("relabelings").get(0);
        assertThat(relabel.path("targetLabel").asString()).isEqualTo("job");
        assertThat(relabel.path("replacement").asString()).isEqualTo("kafka");

        var jobs = new ArrayList<String>(selected);
        jobs.add("kafka");
        var local = new ArrayList<String>();
        Repository.yaml(Repository.path("deploy/prometheus/prometheus.yml")).path("scrape_configs")
                .forEach(job -> local.add(job.path("job_name").asString()));
        assertThat(local).containsAll(jobs);
        assertThat(Parts.JOBS).containsExactlyInAnyOrderElementsOf(jobs);
    }

    @Test
    void the_rules_are_the_same_as_on_a_single_machine() {
        var groups = new ArrayList<JsonNode>();
        PrometheusRules.ruleFiles().forEach(file -> Repository.yaml(file).path("groups").forEach(groups::add));
        var deployed = new ArrayList<JsonNode>();
        named("PrometheusRule", "ndx").path("spec").path("groups").forEach(deployed::add);
        assertThat(deployed).isEqualTo(groups);
    }

    @Test
    void kafka_runs_in_kraft_mode_on_node_pools_with_the_same_metrics_rules() {
        JsonNode kafka = ofKind("Kafka").get(0);
        String cluster = kafka.path("metadata").path("name").asString();
        assertThat(labels(kafka.path("metadata").path("annotations")))
                .containsEntry("strimzi.io/kraft", "enabled").containsEntry("strimzi.io/node-pools", "enabled");
        assertThat(kafka.path("spec").has("zookeeper")).isFalse();

        var roles = new LinkedHashMap<String, Integer>();
        for (JsonNode pool : ofKind("KafkaNodePool")) {
            assertThat(labels(pool.path("metadata").path("labels"))).containsEntry("strimzi.io/cluster", cluster);
            assertThat(pool.path("spec").path("resources").path("limits").path("memory").asString()).isNotBlank();
            pool.path("spec").path("roles").forEach(role -> roles.merge(role.asString(), pool.path("spec").path("replicas").asInt(), Integer::sum));
        }
        assertThat(roles.get("controller")).as("a controller quorum survives one loss").isGreaterThanOrEqualTo(3).isOdd();
        assertThat(roles.get("broker")).isGreaterThanOrEqualTo(3);

        JsonNode config = kafka.path("spec").path("kafka").path("config");
        assertThat(config.path("min.insync.replicas").asInt()).isLessThan(config.path("default.replication.factor").asInt());
        assertThat(config.path("auto.create.topics.enable").asBoolean(true)).isFalse();

        JsonNode metrics = kafka.path("spec").path("kafka").path("metricsConfig").path("valueFrom").path("configMapKeyRef");
        JsonNode configMap = named("ConfigMap", metrics.path("name").asString());
        assertThat(configMap.path("data").path(metrics.path("key").asString()).asString())
                .isEqualTo(Repository.read(Repository.path("deploy/prometheus/kafka-jmx.yml")));
    }

    @Test
    void the_topics_are_the_ones_deploy_run_creates() {
        var expected = new LinkedHashMap<String, String>();
        Repository.read(Repository.path("deploy/kafka/topics")).lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).forEach(line -> {
                    String[] fields = line.split("\\s+");
                    expected.put(fields[0], fields[1] + " " + fields[2]);
                });
        String cluster = ofKind("Kafka").get(0).path("metadata").path("name").asString();
        var deployed = new LinkedHashMap<String, String>();
        for (JsonNode topic : ofKind("KafkaTopic")) {
            assertThat(labels(topic.path("metadata").path("labels"))).containsEntry("strimzi.io/cluster", cluster);
            var configs = new ArrayList<String>();
            topic.path("spec").path("config").properties().forEach(entry -> configs.add(entry.getKey() + "=" + entry.getValue().asString()));
            deployed.put(topic.path("metadata").path("name").asString(), topic.path("spec").path("partitions").asInt() + " "
                    + (configs.isEmpty() ? "-" : String.join(",", configs)));
            assertThat(topic.path("spec").path("replicas").asInt()).isEqualTo(3);
        }
        assertThat(deployed).isEqualTo(expected);
    }

    @Test
    void only_the_gateway_may_call_the_services_that_trust_its_headers() {
        JsonNode policy = named("NetworkPolicy", "internal-services-from-gateway-only");
        var protectedParts = new ArrayList<String>();
        policy.path("spec").path("podSelector").path("matchExpressions").get(0).path("values").forEach(value -> protectedParts.add(value.asString()));
        assertThat(protectedParts).containsExactlyInAnyOrder("registry", "exchange", "audit");
        Optional<JsonNode> fromGateway = java.util.stream.StreamSupport.stream(policy.path("spec").path("ingress").spliterator(), false)
                .filter(rule -> rule.path("from").get(0).path("podSelector").path("matchLabels").path("app.kubernetes.io/name").asString().equals("gateway"))
                .findFirst();
        assertThat(fromGateway).isPresent();
        assertThat(fromGateway.get().path("ports").get(0).path("port").asString()).as("the gateway calls their public port only").isEqualTo("http");
    }

    @Test
    void prometheus_reaches_the_management_ports_only_and_every_part_reaches_out_only_where_it_must() {
        for (JsonNode policy : ofKind("NetworkPolicy")) {
            for (JsonNode rule : policy.path("spec").path("ingress")) {
                boolean fromPrometheus = rule.path("from").path(0).path("podSelector").path("matchLabels").path("app.kubernetes.io/name")
                        .asString().equals("prometheus");
                if (fromPrometheus) {
                    assertThat(rule.path("ports")).as(policy.path("metadata").path("name").asString()).hasSize(1);
                    assertThat(rule.path("ports").get(0).path("port").asString()).isEqualTo("management");
                }
            }
        }
        for (Parts part : Parts.ALL) {
            boolean egressLimited = ofKind("NetworkPolicy").stream().anyMatch(policy -> {
                var types = new ArrayList<String>();
                policy.path("spec").path("policyTypes").forEach(type -> types.add(type.asString()));
                var selected = new ArrayList<String>();
                policy.path("spec").path("podSelector").path("matchExpressions").forEach(expression ->
                        expression.path("values").forEach(value -> selected.add(value.asString())));
                String single = policy.path("spec").path("podSelector").path("matchLabels").path("app.kubernetes.io/name").asString();
                return types.contains("Egress") && (selected.contains(part.name()) || single.equals(part.name()));
            });
            assertThat(egressLimited).as(part.name() + " has an egress policy").isTrue();
        }
    }

    @Test
    void kafka_admits_tls_clients_only_and_each_part_has_exactly_the_rights_of_deploy_kafka_acls() {
        JsonNode kafka = ofKind("Kafka").get(0).path("spec").path("kafka");
        assertThat(kafka.path("listeners")).isNotEmpty().allSatisfy(listener -> {
            assertThat(listener.path("tls").asBoolean()).as(listener.toString()).isTrue();
            assertThat(listener.path("authentication").path("type").asString()).isEqualTo("tls");
        });
        assertThat(kafka.path("authorization").path("type").asString()).isEqualTo("simple");

        var granted = new java.util.TreeSet<String>();
        Repository.read(Repository.path("deploy/kafka/acls")).lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).forEach(line -> {
                    String[] fields = line.split("\\s+");
                    for (String operation : fields[1].split(",")) {
                        granted.add(String.join(" ", fields[0], operation, fields[2], fields[3], fields[4]));
                    }
                });
        var declared = new java.util.TreeSet<String>();
        for (JsonNode user : ofKind("KafkaUser")) {
            String name = user.path("metadata").path("name").asString();
            assertThat(user.path("spec").path("authentication").path("type").asString()).as(name).isEqualTo("tls");
            user.path("spec").path("authorization").path("acls").forEach(acl -> {
                JsonNode resource = acl.path("resource");
                String type = switch (resource.path("type").asString()) {
                    case "topic" -> "TOPIC";
                    case "group" -> "GROUP";
                    case "transactionalId" -> "TRANSACTIONAL_ID";
                    default -> "unknown: " + resource.path("type").asString();
                };
                acl.path("operations").forEach(operation -> declared.add(String.join(" ", name, operation.asString().toUpperCase(),
                        type, resource.path("patternType").asString().toUpperCase(), resource.path("name").asString())));
            });
        }
        assertThat(declared).isEqualTo(granted);
    }

    private static Map<String, String> env(JsonNode container) {
        var env = new HashMap<String, String>();
        container.path("env").forEach(variable -> env.put(variable.path("name").asString(), variable.path("value").asString()));
        return env;
    }
}
