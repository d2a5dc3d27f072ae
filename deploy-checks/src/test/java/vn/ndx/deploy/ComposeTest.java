package vn.ndx.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** deploy/compose: the platform on one host with containers, checked without a Docker engine. */
class ComposeTest {

    private static final Path COMPOSE = Repository.path("deploy/compose");

    private static JsonNode services() {
        return Repository.yaml(COMPOSE.resolve("compose.yaml")).path("services");
    }

    @Test
    void the_compose_file_runs_the_broker_the_services_and_their_monitoring() {
        var names = new ArrayList<String>();
        services().propertyNames().forEach(names::add);
        assertThat(names).contains("kafka", "topics", "registry", "gateway", "exchange", "audit", "prometheus", "grafana");
    }

    @Test
    void every_service_is_built_from_its_module_and_checked_for_health() {
        for (Parts part : Parts.ALL) {
            JsonNode service = services().path(part.name());
            assertThat(service.path("image").asString()).as(part.name()).startsWith(part.image() + ":");
            JsonNode build = service.path("build");
            assertThat(build.path("dockerfile").asString()).isEqualTo("deploy/images/Dockerfile");
            assertThat(COMPOSE.resolve(build.path("context").asString()).normalize()).isEqualTo(Repository.ROOT);
            assertThat(build.path("args").path("MODULE").asString()).isEqualTo(part.module());
            assertThat(service.path("environment").path("SPRING_KAFKA_BOOTSTRAPSERVERS").asString()).isEqualTo("kafka:9092");
            assertThat(service.path("healthcheck").path("test").toString()).as(part.name())
                    .contains("/dev/tcp/127.0.0.1/" + part.managementPort()).contains("/actuator/health");
            assertThat(service.path("deploy").path("resources").path("limits").path("memory").asString()).as(part.name()).isNotBlank();
            assertThat(service.path("depends_on").path("topics").path("condition").asString()).isEqualTo("service_completed_successfully");
        }
    }

    @Test
    void only_the_gateway_is_reachable_from_the_network() {
        services().properties().forEach(entry -> entry.getValue().path("ports").forEach(port -> {
            if (!entry.getKey().equals("gateway")) {
                assertThat(port.asString()).as(entry.getKey() + " publishes on loopback only").startsWith("127.0.0.1:");
            }
        }));
        assertThat(services().path("gateway").path("ports").get(0).asString()).endsWith(":" + Parts.ALL.get(1).port());
    }

    @Test
    void every_file_the_compose_file_mounts_exists() {
        services().properties().forEach(entry -> entry.getValue().path("volumes").forEach(volume -> {
            String source = volume.asString().split(":")[0];
            if (source.startsWith(".")) {
                assertThat(COMPOSE.resolve(source).normalize()).as(entry.getKey() + " mounts " + source).exists();
            }
        }));
    }

    @Test
    void prometheus_in_compose_scrapes_the_same_jobs_with_the_same_rules() {
        var check = Promtool.promtool("check", "config", "deploy/prometheus/prometheus-compose.yml");
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: 2 rule files found");
        assertThat(jobs("deploy/prometheus/prometheus-compose.yml")).isEqualTo(jobs("deploy/prometheus/prometheus.yml"))
                .containsAll(Parts.JOBS);
        assertThat(services().path("prometheus").path("command").toString()).contains("/etc/prometheus/ndx/prometheus-compose.yml");
    }

    /** The script runs against a stand-in for kafka-topics.sh that records what it was asked. */
    @Test
    void the_topics_created_are_those_deploy_run_creates(@TempDir Path directory) throws IOException, InterruptedException {
        Path calls = directory.resolve("calls");
        Path standIn = directory.resolve("kafka-topics.sh");
        Files.writeString(standIn, "#!/usr/bin/env bash\necho \"$*\" >>" + calls + "\n");
        Files.setPosixFilePermissions(standIn, PosixFilePermissions.fromString("rwxr-xr-x"));
        var builder = new ProcessBuilder("bash", COMPOSE.resolve("create-topics").toString(), Repository.path("deploy/kafka/topics").toString())
                .redirectErrorStream(true);
        builder.environment().put("KAFKA_TOPICS", standIn.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();

        List<String> expected = Repository.read(Repository.path("deploy/kafka/topics")).lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).map(line -> {
                    String[] fields = line.split("\\s+");
                    var call = new StringBuilder("--bootstrap-server kafka:9092 --create --if-not-exists --topic " + fields[0]
                            + " --partitions " + fields[1]);
                    if (!fields[2].equals("-")) {
                        for (String setting : fields[2].split(",")) {
                            call.append(" --config ").append(setting);
                        }
                    }
                    return call.toString();
                }).toList();
        assertThat(Files.readAllLines(calls)).isEqualTo(expected);
    }

    private static List<String> jobs(String config) {
        var jobs = new ArrayList<String>();
        Repository.yaml(Repository.path(config)).path("scrape_configs").forEach(job -> jobs.add(job.path("job_name").asString()));
        return jobs;
    }
}
