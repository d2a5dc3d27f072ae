package vn.ndx.registry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.RegistrySnapshot;
import vn.ndx.contract.Topics;
import vn.ndx.contract.testing.GatewayProofs;
import vn.ndx.contract.testing.KafkaFixture;
import vn.ndx.contract.testing.RegistryKeys;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry under test, one for every integration test class of this module: the classes inherit one
 * Spring context, so one registry writes the shared broker's registry topics and loads the demo registry
 * once (a second context would find the registry stored and write no demo secrets). With the calls the
 * tests make, as the gateway makes them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
abstract class RunningRegistry {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static Path stateDir;

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        stateDir = Files.createTempDirectory("registry-it");
        KafkaFixture.springProperties("registry").forEach((key, value) -> registry.add(key, () -> value)); // as itself on Kafka
        registry.add("ndx.registry.state-dir", stateDir::toString);
        registry.add("ndx.gateway-proof.key-file", () -> GatewayProofs.keyFile("registry"));
        registry.add("ndx.registry.snapshot-signing.key-file", () -> RegistryKeys.keyFile().toString());
    }

    /** The registry's metrics, as Prometheus scrapes them from the management port. */
    String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The value of one series ({@code name} or {@code name{label="value"}}) in a scrape; 0 when absent. */
    static double metric(String metrics, String series) {
        return metrics.lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1))).findFirst().orElse(0);
    }

    long version() throws Exception {
        return latestSnapshot().version();
    }

    RegistrySnapshot latestSnapshot() {
        var props = new Properties();
        props.putAll(KafkaFixture.clientProperties(KafkaFixture.ADMIN));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            var partition = new TopicPartition(Topics.REGISTRY, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            String last = null;
            while (consumer.position(partition) < end) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    last = record.value();
                }
            }
            return JSON.readValue(last, RegistrySnapshot.class);
        }
    }

    String accessToken(String clientId) throws Exception {
        return accessToken(clientId, secret(clientId));
    }

    String accessToken(String clientId, String secret) throws Exception {
        var response = tokenRequest(clientId, secret, "grant_type=client_credentials");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("access_token").asString();
    }

    HttpResponse<String> admin(String method, String path, String token, String body, String ifMatch) throws Exception {
        var request = HttpRequest.newBuilder(uri(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return send(request.build());
    }

    static void assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("code").asString()).isEqualTo(code);
        assertThat(response.body()).doesNotContain("Exception", "at vn.");
    }

    HttpResponse<String> tokenRequest(String id, String secret, String form) throws Exception {
        return tokenRequest(id, secret, form, null);
    }

    HttpResponse<String> tokenRequest(String id, String secret, String form, String certificateThumbprint) throws Exception {
        return tokenRequest(id, secret, form, certificateThumbprint, null);
    }

    /**
     * A token request as the gateway forwards it, naming the certificate the client's connection showed and
     * the address it came from, if any.
     */
    HttpResponse<String> tokenRequest(String id, String secret, String form, String certificateThumbprint, String address)
            throws Exception {
        var request = HttpRequest.newBuilder(uri("/oauth2/token"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Transaction-Id", "tx-under-test")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (certificateThumbprint != null) {
            request.header(vn.ndx.contract.Headers.CLIENT_CERTIFICATE, certificateThumbprint);
        }
        if (address != null) {
            request.header(vn.ndx.contract.Headers.CLIENT_ADDRESS, address);
        }
        return send(request.build());
    }

    static String secret(String clientId) throws IOException {
        return secrets().get(clientId);
    }

    static Map<String, String> secrets() throws IOException {
        return Files.readAllLines(stateDir.resolve("demo-clients.env")).stream().filter(line -> !line.startsWith("#"))
                .collect(Collectors.toMap(line -> line.substring(0, line.indexOf('=')), line -> line.substring(line.indexOf('=') + 1)));
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(GatewayProofs.signed("registry", request), HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
