package vn.ndx.exchange;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.producer.KafkaProducer;
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
import vn.ndx.contract.testing.GatewayProofs;
import vn.ndx.contract.testing.KafkaFixture;
import vn.ndx.contract.testing.RegistryKeys;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restart reads what came after the exchange's last snapshot, not the topics' whole history, and delivers
 * exactly what a full rebuild would: after an orderly stop, after {@code kill -9}, and, with the snapshot
 * damaged, by a full rebuild instead. The exchange runs from its packaged jar, as deploy/run starts it.
 */
class SnapshotRestartIT {

    static final String H29 = "000.00.00.H29";
    static final String H41 = "000.00.00.H41";
    static final String CHANNEL = "land-register";
    static final String REBUILD_READ = "ndx_exchange_rebuild_read_messages";
    static final JsonMapper JSON = JsonMapper.builder().build();

    final HttpClient http = HttpClient.newHttpClient();
    final List<String> ids = new ArrayList<>();
    ExchangeProcess exchange;

    @AfterEach
    void close() throws Exception {
        if (exchange != null) {
            exchange.close();
        }
    }

    @Test
    void a_restart_reads_on_from_the_snapshot_and_delivers_every_record_once() throws Exception {
        publishRegistry();
        Path state = Files.createTempDirectory("snapshot-restart-it");
        String[] settings = {"--ndx.exchange.push.key-file=" + state.resolve("push-key"),
                "--ndx.exchange.snapshot.directory=" + state.resolve("exchange"), "--ndx.exchange.snapshot.every=PT1S",
                "--ndx.exchange.inbox.visibility-timeout=PT10S"};
        exchange = new ExchangeProcess("-Xmx256m", settings).start();
        double fullRebuild = exchange.metric(REBUILD_READ);

        send(0, 100);
        assertThat(pull(30)).isEqualTo(range(0, 30));
        acknowledge(range(0, 30));
        assertThat(pull(20)).as("handed out, never acknowledged").isEqualTo(range(30, 50));

        exchange.stop();
        assertThat(state.resolve("exchange").resolve("inboxes.snapshot")).exists();
        exchange = new ExchangeProcess("-Xmx256m", settings).start();
        // 100 records, 30 acknowledgements and 50 deliveries were written since the first start: a full rebuild
        // reads them and everything before
        assertThat(exchange.metric(REBUILD_READ)).as("messages read to rebuild after an orderly stop").isLessThan(180);
        assertThat(drain(70)).as("waiting, and handed out before the stop once their lease ended; none acknowledged")
                .isEqualTo(range(30, 100));

        send(100, 150);
        exchange.kill();
        exchange = new ExchangeProcess("-Xmx256m", settings).start();
        // snapshot at the last start at the latest; 70 deliveries, 70 acknowledgements and 50 records since
        assertThat(exchange.metric(REBUILD_READ)).as("messages read to rebuild after kill -9").isLessThanOrEqualTo(190);
        assertThat(drain(50)).as("sent before the kill").isEqualTo(range(100, 150));

        send(150, 160);
        exchange.stop();
        Path snapshot = state.resolve("exchange").resolve("inboxes.snapshot");
        byte[] bytes = Files.readAllBytes(snapshot);
        bytes[bytes.length / 2] ^= 1;
        Files.write(snapshot, bytes);
        exchange = new ExchangeProcess("-Xmx256m", settings).start();
        assertThat(exchange.metric(REBUILD_READ)).as("a damaged snapshot: everything read again")
                .isGreaterThanOrEqualTo(fullRebuild + 160);
        assertThat(drain(10)).as("after a full rebuild").isEqualTo(range(150, 160));
    }

    private void send(int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            var response = send(HttpRequest.newBuilder(exchange.uri("/records/" + H41 + "/land/" + CHANNEL))
                    .headers(caller(H29, "one-stop-portal", "h29-one-stop-portal")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"sequence\":" + i + "}")).build());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            ids.add(JSON.readTree(response.body()).get("transactionId").asString());
        }
    }

    /** The sequence numbers of up to {@code max} records handed out now. */
    private List<Integer> pull(int max) throws Exception {
        var response = send(HttpRequest.newBuilder(exchange.uri("/inbox/" + CHANNEL + "?max=" + max))
                .headers(caller(H41, "land", "h41-land")).GET().build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        var pulled = new ArrayList<Integer>();
        for (JsonNode record : JSON.readTree(response.body()).get("records")) {
            int sequence = record.get("payload").get("sequence").asInt();
            assertThat(record.get("transactionId").asString()).as("record %d", sequence).isEqualTo(ids.get(sequence));
            pulled.add(sequence);
        }
        return pulled;
    }

    private void acknowledge(List<Integer> sequences) throws Exception {
        var transactionIds = sequences.stream().map(ids::get).toList();
        var response = send(HttpRequest.newBuilder(exchange.uri("/inbox/" + CHANNEL + "/ack"))
                .headers(caller(H41, "land", "h41-land")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("transactionIds", transactionIds)))).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /**
     * Pulls and acknowledges until {@code expected} records came (those handed out before a restart once their
     * lease ends), then once more to see that nothing is left; returns every sequence number delivered, in
     * order, and fails on one delivered twice.
     */
    private List<Integer> drain(int expected) throws Exception {
        var delivered = new ArrayList<Integer>();
        Set<Integer> seen = new HashSet<>();
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(30)); // well past the 10 s leases taken before a restart
        while (delivered.size() < expected && Instant.now().isBefore(giveUp)) {
            List<Integer> page = pull(100);
            if (page.isEmpty()) {
                Thread.sleep(500);
                continue;
            }
            for (int sequence : page) {
                assertThat(seen.add(sequence)).as("record %d delivered twice", sequence).isTrue();
            }
            delivered.addAll(page);
            acknowledge(page);
        }
        assertThat(pull(100)).as("nothing more").isEmpty();
        return delivered.stream().sorted().toList();
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().collect(Collectors.toList());
    }

    private static String[] caller(String agency, String system, String client) {
        return new String[] {Headers.CALLER_AGENCY, agency, Headers.CALLER_SYSTEM, system, Headers.CALLER_CLIENT, client,
                Headers.TRANSACTION_ID, UUID.randomUUID().toString(), Headers.TRANSACTION_STARTED_AT, Instant.now().toString()};
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(GatewayProofs.signed("exchange", request), HttpResponse.BodyHandlers.ofString());
    }

    private static void publishRegistry() throws Exception {
        var snapshot = new RegistrySnapshot(System.currentTimeMillis(), Instant.now(),
                List.of(new Agency(H29, "Ho Chi Minh City", false), new Agency(H41, "Nghe An", false)),
                List.of(new InformationSystem(H29, "one-stop-portal", "Portal"), new InformationSystem(H41, "land", "Land register")),
                List.of(new Service(H41, "land", CHANNEL, Service.Kind.CHANNEL, null, null, 64L * 1024)),
                List.of(), List.of(), "{\"keys\":[]}");
        var props = new Properties();
        props.putAll(KafkaFixture.clientProperties(KafkaFixture.ADMIN));
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(RegistryKeys.signedSnapshot(JSON.writeValueAsString(snapshot))).get();
        }
    }
}
