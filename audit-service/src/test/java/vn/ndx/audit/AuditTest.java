package vn.ndx.audit;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Properties;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.Headers;
import vn.ndx.contract.Outcome;
import vn.ndx.contract.Topics;
import vn.ndx.contract.TransactionEvent;
import vn.ndx.contract.TransactionKind;
import vn.ndx.contract.testing.GatewayProofs;
import vn.ndx.contract.testing.KafkaFixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the audit tests share: one audit application (every class extending this gets the same one, so
 * they never split the topics between two databases), a producer on the shared broker, and HTTP helpers.
 * Each test counts on days of its own, so tests sharing the application do not disturb each other.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"management.server.port=0",
        // a security agency's subtree, left out of citizens' reports (CitizenReportIT)
        "ndx.audit.citizen.exempt-agencies=000.00.00.B05"})
public abstract class AuditTest {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    protected static final KafkaProducer<String, byte[]> producer = producer();
    protected static final String H29 = "000.00.00.H29";
    protected static final String H41 = "000.00.00.H41";
    protected static final String TAX = "000.00.18.G12";

    @LocalServerPort
    protected int port;

    @LocalManagementPort
    protected int managementPort;

    protected final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        KafkaFixture.springProperties("audit").forEach((key, value) -> registry.add(key, () -> value)); // as itself on Kafka
        TestPostgres.server().springProperties("audit").forEach((key, value) -> registry.add(key, () -> value));
        registry.add("ndx.gateway-proof.key-file", () -> GatewayProofs.keyFile("audit"));
    }

    protected long awaitTotal(int port, LocalDate day, long expected) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> total(port, day) >= expected);
        Thread.sleep(500); // a late double count would show now
        return total(port, day);
    }

    protected long total(int port, LocalDate day) throws Exception {
        var response = get(port, "/stats/daily?from=" + day + "&to=" + day);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode rows = JSON.readTree(response.body());
        return rows.get(0).get("total").asLong();
    }

    protected HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return get(port, path, "*/*");
    }

    protected HttpResponse<String> get(int port, String path, String accept) throws IOException, InterruptedException {
        return http.send(GatewayProofs.signed("audit", HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", accept).build()), HttpResponse.BodyHandlers.ofString());
    }

    /** The JSON answer of a GET that must succeed. */
    protected JsonNode json(String path) throws IOException, InterruptedException {
        var response = get(port, path, "application/json");
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        return JSON.readTree(response.body());
    }

    /** The CSV answer of a GET that must succeed, read by a CSV library with its header row. */
    protected List<CSVRecord> csv(String path) throws IOException, InterruptedException {
        var response = get(port, path, "text/csv");
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/csv;charset=UTF-8");
        try (var parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(response.body()))) {
            return parser.getRecords();
        }
    }

    /** A CSV posted as the gateway forwards a platform administrator's call. */
    protected HttpResponse<String> postCsv(String path, String body) throws IOException, InterruptedException {
        return postCsv(path, body, vn.ndx.contract.RegistrySnapshot.Operator.PLATFORM_ADMIN);
    }

    /** A CSV posted as the gateway forwards an operator's call, with the operator's role. */
    protected HttpResponse<String> postCsv(String path, String body, String role) throws IOException, InterruptedException {
        return http.send(GatewayProofs.signed("audit", HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "text/csv").header(vn.ndx.contract.Headers.OPERATOR, "an-operator")
                .header(vn.ndx.contract.Headers.OPERATOR_ROLE, role)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build()),
                HttpResponse.BodyHandlers.ofString());
    }

    protected static void assertBadRequest(HttpResponse<String> response, String what) {
        assertThat(response.statusCode()).as(what + ": " + response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).as(what).hasValue("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("code").asString()).as(what).isEqualTo("bad_request");
    }

    protected static Instant noonOf(LocalDate day) {
        return day.atTime(12, 0).atZone(CalendarDays.ZONE).toInstant();
    }

    protected static TransactionEvent event(String id, Instant startedAt, TransactionKind kind) {
        return event(id, startedAt, kind, H29, TAX, "business-tax-status", Outcome.OK);
    }

    protected static TransactionEvent event(String id, Instant startedAt, TransactionKind kind, @Nullable String consumer,
                                            @Nullable String provider, @Nullable String service, Outcome outcome) {
        return new TransactionEvent(id, kind, startedAt, 1_500, consumer, consumer == null ? null : "one-stop-portal",
                consumer == null ? null : "h29-one-stop-portal", provider, provider == null ? null : "tax-registry", service, "GET",
                outcome == Outcome.OK ? 200 : 503, outcome, outcome == Outcome.OK ? null : "provider_unavailable", 0, 120, "gateway", null,
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    }

    protected static void sendEvent(TransactionEvent event) throws Exception {
        producer.send(new ProducerRecord<>(Topics.TRANSACTIONS, event.transactionId(), JSON.writeValueAsBytes(event))).get();
    }

    protected static void sendRecord(TransactionEvent event, String payload) throws Exception {
        var record = new ProducerRecord<String, byte[]>(Topics.RECORDS, "sender>recipient", payload.getBytes(StandardCharsets.UTF_8));
        record.headers().add(Headers.TRANSACTION_EVENT, JSON.writeValueAsBytes(event));
        producer.send(record).get();
    }

    private static KafkaProducer<String, byte[]> producer() {
        var props = new Properties();
        props.putAll(KafkaFixture.clientProperties(KafkaFixture.ADMIN));
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }
}
