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
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.RegistrySnapshot;
import vn.ndx.contract.Topics;
import vn.ndx.contract.testing.KafkaFixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RegistryIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static Path stateDir;

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        stateDir = Files.createTempDirectory("registry-it");
        registry.add("spring.kafka.bootstrap-servers", KafkaFixture::bootstrapServers);
        registry.add("ndx.registry.state-dir", stateDir::toString);
    }

    @Test
    void demo_client_gets_a_signed_token_naming_its_agency_and_system() throws Exception {
        var response = tokenRequest("h29-one-stop-portal", secret("h29-one-stop-portal"), "grant_type=client_credentials");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asInt()).isEqualTo(600);
        SignedJWT jwt = SignedJWT.parse(body.get("access_token").asString());
        var jwks = JWKSet.parse(send(HttpRequest.newBuilder(uri("/oauth2/jwks")).build()).body());
        ECKey key = (ECKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key.isPrivate()).isFalse();
        assertThat(jwt.verify(new ECDSAVerifier(key))).isTrue();
        var claims = jwt.getJWTClaimsSet();
        assertThat(claims.getStringClaim("agency")).isEqualTo("000.00.00.H29");
        assertThat(claims.getStringClaim("system")).isEqualTo("one-stop-portal");
        assertThat(claims.getStringClaim("client_id")).isEqualTo("h29-one-stop-portal");
        assertThat(claims.getIssuer()).isEqualTo("ndx-registry");
        assertThat(claims.getExpirationTime().toInstant()).isBetween(Instant.now().plusSeconds(540), Instant.now().plusSeconds(610));
    }

    @Test
    void wrong_secret_or_unknown_client_is_401_invalid_client() throws Exception {
        for (var response : List.of(
                tokenRequest("h29-one-stop-portal", "wrong", "grant_type=client_credentials"),
                tokenRequest("nobody", "wrong", "grant_type=client_credentials"))) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"ndx\"");
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.get("code").asString()).isEqualTo("invalid_client");
            assertThat(problem.get("error").asString()).isEqualTo("invalid_client");
            assertThat(problem.get("transactionId").asString()).isEqualTo("tx-under-test");
        }
        var noCredentials = send(HttpRequest.newBuilder(uri("/oauth2/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
        assertThat(noCredentials.statusCode()).isEqualTo(401);
    }

    @Test
    void other_grant_types_are_400() throws Exception {
        var response = tokenRequest("h29-one-stop-portal", secret("h29-one-stop-portal"), "grant_type=password");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("error").asString()).isEqualTo("unsupported_grant_type");
    }

    @Test
    void the_registry_is_replicated_to_kafka_without_any_secret() throws Exception {
        var props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "registry-it-" + UUID.randomUUID());
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            var partition = new TopicPartition(Topics.REGISTRY, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            String[] last = new String[1];
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> last[0] = record.value());
                return last[0] != null;
            });
            RegistrySnapshot snapshot = JSON.readValue(last[0], RegistrySnapshot.class);
            assertThat(snapshot.agencies()).hasSize(4);
            assertThat(snapshot.grants()).hasSize(2);
            assertThat(snapshot.clients()).extracting("clientId").containsExactlyInAnyOrder("h29-one-stop-portal", "h41-one-stop-portal");
            assertThat(JWKSet.parse(snapshot.signingKeys()).getKeys()).allSatisfy(key -> assertThat(key.isPrivate()).isFalse());
            for (String secret : secrets().values()) {
                assertThat(last[0]).doesNotContain(secret);
            }
            assertThat(last[0]).doesNotContain("secretHash", "$2a$");
        }
    }

    @Test
    void health_metrics_and_unknown_paths() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() ->
                send(HttpRequest.newBuilder(uri("/actuator/health")).build()).body().contains("\"UP\""));
        assertThat(send(HttpRequest.newBuilder(uri("/actuator/prometheus")).build()).statusCode()).isEqualTo(200);
        var unknown = send(HttpRequest.newBuilder(uri("/no/such/path")).build());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("code").asString()).isEqualTo("not_found");
    }

    private HttpResponse<String> tokenRequest(String id, String secret, String form) throws Exception {
        return send(HttpRequest.newBuilder(uri("/oauth2/token"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Transaction-Id", "tx-under-test")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private static String secret(String clientId) throws IOException {
        return secrets().get(clientId);
    }

    private static Map<String, String> secrets() throws IOException {
        return Files.readAllLines(stateDir.resolve("demo-clients.env")).stream().filter(line -> !line.startsWith("#"))
                .collect(Collectors.toMap(line -> line.substring(0, line.indexOf('=')), line -> line.substring(line.indexOf('=') + 1)));
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
