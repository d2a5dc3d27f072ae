package vn.ndx.exchange;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.Headers;
import vn.ndx.contract.RegistrySnapshot;
import vn.ndx.contract.RegistrySnapshot.Agency;
import vn.ndx.contract.RegistrySnapshot.InformationSystem;
import vn.ndx.contract.RegistrySnapshot.Service;
import vn.ndx.contract.Topics;
import vn.ndx.contract.testing.GatewayProofs;
import vn.ndx.contract.testing.KafkaFixture;
import vn.ndx.contract.testing.RegistryKeys;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recipient that stops pulling while records pile up to more than twice the exchange's heap: the
 * exchange keeps accepting them, rebuilds the inbox after a {@code kill -9}, and then hands out every
 * record intact and in order. The exchange runs as its own process from its packaged jar, with a heap
 * far smaller than the backlog, and stops at its first OutOfMemoryError.
 */
class BacklogIT {

    static final String HEAP = "-Xmx128m";
    static final int RECORDS = 3_000;
    static final int RECORD_BYTES = 100 * 1024;
    static final String H29 = "000.00.00.H29";
    static final String H41 = "000.00.00.H41";
    static final String CHANNEL = "civil-archive";
    static final JsonMapper JSON = JsonMapper.builder().build();

    final HttpClient http = HttpClient.newHttpClient();
    ExchangeProcess exchange;

    @AfterEach
    void stop() throws Exception {
        if (exchange != null) {
            exchange.close();
        }
    }

    @Test
    void a_backlog_twice_the_heap_survives_a_restart_and_is_delivered_whole_and_in_order() throws Exception {
        publishRegistry();
        Path keyFile = Files.createTempDirectory("backlog-it").resolve("push-key");
        exchange = new ExchangeProcess(HEAP, "--ndx.exchange.push.key-file=" + keyFile, "--ndx.exchange.inbox.payload-cache=16MB").start();

        for (int i = 0; i < RECORDS; i++) {
            var response = send(HttpRequest.newBuilder(uri("/records/" + H41 + "/archive/" + CHANNEL))
                    .headers(sender()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body(i))).build());
            assertThat(response.statusCode()).as("record %d: %s", i, response.body()).isEqualTo(202);
        }
        assertThat(exchange.isAlive()).as("the exchange holds %d MB of records with %s", RECORDS * RECORD_BYTES >> 20, HEAP).isTrue();

        exchange.kill();
        exchange.start(); // rebuilds the whole backlog from Kafka before it reports healthy

        int next = 0;
        while (next < RECORDS) {
            var response = send(HttpRequest.newBuilder(uri("/inbox/" + CHANNEL + "?max=20")).headers(recipient()).GET().build());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            var ids = new ArrayList<String>();
            for (JsonNode record : JSON.readTree(response.body()).get("records")) {
                JsonNode payload = record.get("payload");
                assertThat(payload.get("sequence").asInt()).as("order").isEqualTo(next);
                assertThat(payload.get("filler").asString()).as("payload of record %d", next).isEqualTo(filler(next));
                ids.add(record.get("transactionId").asString());
                next++;
            }
            assertThat(ids).as("records left after %d", next).isNotEmpty();
            var ack = send(HttpRequest.newBuilder(uri("/inbox/" + CHANNEL + "/ack")).headers(recipient())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(java.util.Map.of("transactionIds", ids)))).build());
            assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
        }
        var empty = send(HttpRequest.newBuilder(uri("/inbox/" + CHANNEL + "?max=20")).headers(recipient()).GET().build());
        assertThat(JSON.readTree(empty.body()).get("records")).as("nothing twice, nothing more").isEmpty();
        assertThat(exchange.isAlive()).isTrue();
    }

    static String body(int sequence) {
        return "{\"sequence\":" + sequence + ",\"filler\":\"" + filler(sequence) + "\"}";
    }

    /** Different for every record, so a payload handed out for the wrong record cannot pass. */
    static String filler(int sequence) {
        String unit = sequence + "-";
        return unit.repeat(RECORD_BYTES / unit.length());
    }

    private String[] sender() {
        return new String[] {Headers.CALLER_AGENCY, H29, Headers.CALLER_SYSTEM, "one-stop-portal",
                Headers.CALLER_CLIENT, "h29-one-stop-portal",
                Headers.TRANSACTION_ID, UUID.randomUUID().toString(), Headers.TRANSACTION_STARTED_AT, Instant.now().toString()};
    }

    private String[] recipient() {
        return new String[] {Headers.CALLER_AGENCY, H41, Headers.CALLER_SYSTEM, "archive", Headers.CALLER_CLIENT, "h41-archive",
                Headers.TRANSACTION_ID, UUID.randomUUID().toString(), Headers.TRANSACTION_STARTED_AT, Instant.now().toString()};
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(GatewayProofs.signed("exchange", request), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return exchange.uri(path);
    }

    private static void publishRegistry() throws Exception {
        var snapshot = new RegistrySnapshot(System.currentTimeMillis(), Instant.now(),
                List.of(new Agency(H29, "Ho Chi Minh City", false), new Agency(H41, "Nghe An", false)),
                List.of(new InformationSystem(H29, "one-stop-portal", "Portal"), new InformationSystem(H41, "archive", "Archive")),
                List.of(new Service(H41, "archive", CHANNEL, Service.Kind.CHANNEL, null, null, 2L * RECORD_BYTES)),
                List.of(), List.of(), "{\"keys\":[]}");
        var props = new Properties();
        props.putAll(KafkaFixture.clientProperties(KafkaFixture.ADMIN));
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(RegistryKeys.signedSnapshot(JSON.writeValueAsString(snapshot))).get();
        }
    }
}
