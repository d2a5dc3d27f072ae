package vn.ndx.exchange;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.Headers;
import vn.ndx.contract.RegistrySnapshot;
import vn.ndx.contract.RegistrySnapshot.Agency;
import vn.ndx.contract.RegistrySnapshot.Egress;
import vn.ndx.contract.RegistrySnapshot.InformationSystem;
import vn.ndx.contract.RegistrySnapshot.Service;
import vn.ndx.contract.Topics;
import vn.ndx.contract.testing.GatewayProofs;
import vn.ndx.contract.testing.KafkaFixture;
import vn.ndx.contract.testing.RegistryKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A recipient's webhook down while a sender keeps sending: once it is back, it has everything, in order, and
 * nothing twice. The outage is 30 seconds, six times the longest backoff, so deliveries wait at the cap for
 * most of it; {@code -Dndx.push-outage=PT2M} makes it the two minutes an operator's drill would use. Either
 * way 120 records wait.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"ndx.exchange.push.max-attempts=1000", "ndx.exchange.push.first-backoff=PT0.2S",
                "ndx.exchange.push.max-backoff=PT5S", "management.server.port=0"})
class PushOutageIT {

    static final Duration OUTAGE = Duration.parse(System.getProperty("ndx.push-outage", "PT30S"));
    static final int RECORDS = 120;
    static final String H29 = "000.00.00.H29";
    static final String H41 = "000.00.00.H41";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static Webhook webhook;

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        webhook = new Webhook();
        publishRegistry();
        KafkaFixture.springProperties("exchange").forEach((key, value) -> registry.add(key, () -> value)); // as itself on Kafka
        registry.add("ndx.gateway-proof.key-file", () -> GatewayProofs.keyFile("exchange"));
        registry.add("ndx.registry-trust.file", () -> RegistryKeys.trustFile().toString());
        String keyFile = java.nio.file.Files.createTempDirectory("push-outage-it").resolve("push-key").toString();
        registry.add("ndx.exchange.push.key-file", () -> keyFile);
    }

    @AfterAll
    static void stop() {
        webhook.close();
    }

    @Test
    void a_webhook_down_for_longer_than_its_backoff_then_back_gets_everything_in_order_once() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        webhook.status = 503;
        var sent = new ArrayList<String>();
        long downUntil = System.nanoTime() + OUTAGE.toNanos();
        for (int i = 0; System.nanoTime() < downUntil; i++) {
            var response = send(HttpRequest.newBuilder(uri("/records/" + H41 + "/one-stop-portal/outage-push"))
                    .headers(identity()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"sequence\":" + i + "}")).build());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            sent.add(JSON.readTree(response.body()).get("transactionId").asString());
            Thread.sleep(OUTAGE.toMillis() / RECORDS);
        }
        assertThat(webhook.accepted()).as("nothing accepted while down").isEmpty();
        assertThat(webhook.received).as("but tried").isNotEmpty();

        webhook.status = 200;

        await().atMost(Duration.ofSeconds(60)).until(() -> webhook.accepted().size() >= sent.size());
        assertThat(webhook.accepted()).containsExactlyElementsOf(sent);
    }

    private String[] identity() {
        return new String[] {Headers.CALLER_AGENCY, H29, Headers.CALLER_SYSTEM, "one-stop-portal",
                Headers.CALLER_CLIENT, "h29-one-stop-portal",
                Headers.TRANSACTION_ID, UUID.randomUUID().toString(), Headers.TRANSACTION_STARTED_AT, Instant.now().toString()};
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(GatewayProofs.signed("exchange", request), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static void publishRegistry() throws Exception {
        var snapshot = new RegistrySnapshot(System.currentTimeMillis(), Instant.now(),
                List.of(new Agency(H29, "Ho Chi Minh City", false), new Agency(H41, "Nghe An", false)),
                List.of(new InformationSystem(H29, "one-stop-portal", "Portal"), new InformationSystem(H41, "one-stop-portal", "Portal")),
                List.of(new Service(H41, "one-stop-portal", "outage-push", Service.Kind.CHANNEL, webhook.url(), Duration.ofSeconds(2), 1_024)),
                List.of(), List.of(), "{\"keys\":[]}", List.of(), List.of(new Egress(H41, true, List.of("127.0.0.0/8"))));
        var props = new Properties();
        props.putAll(KafkaFixture.clientProperties(KafkaFixture.ADMIN));
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(RegistryKeys.signedSnapshot(JSON.writeValueAsString(snapshot))).get();
        }
    }
}
