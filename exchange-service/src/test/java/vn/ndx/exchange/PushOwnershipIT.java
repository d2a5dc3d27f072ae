package vn.ndx.exchange;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
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
 * Two exchange instances, every one holding every inbox: each pushed record reaches its recipient once and
 * in order, not once per instance, also while channels move to an instance that joins; and when one
 * instance is killed, the other pushes its channels. Each
 * instance is a process of its own, as in production.
 */
class PushOwnershipIT {

    static final String H29 = "000.00.00.H29";
    static final String H41 = "000.00.00.H41";
    static final List<String> CHANNELS = IntStream.range(0, 6).mapToObj(i -> "archive-push-" + i).toList();
    static final JsonMapper JSON = JsonMapper.builder().build();

    final HttpClient http = HttpClient.newHttpClient();
    final List<ExchangeProcess> instances = new java.util.concurrent.CopyOnWriteArrayList<>();
    Webhook webhook;
    CompletableFuture<ExchangeProcess> joining;

    @AfterEach
    void stop() throws Exception {
        if (joining != null) {
            joining.handle((started, failed) -> null).join(); // not killed half-started, left running
        }
        for (ExchangeProcess instance : instances) {
            instance.close();
        }
        if (webhook != null) {
            webhook.close();
        }
    }

    @Test
    void each_channel_is_pushed_by_one_instance_even_while_it_moves_and_a_killed_instances_channels_move_to_the_other()
            throws Exception {
        webhook = new Webhook();
        webhook.delay = Duration.ofMillis(500); // every channel has a push in flight whenever ownership moves
        publishRegistry();
        String keyFile = Files.createTempDirectory("push-ownership-it").resolve("push-key").toString();
        ExchangeProcess first = start(keyFile);

        // the second instance joins while the first pushes every channel: half the channels move to it, each
        // with a push of the first still waiting for its answer
        joining = CompletableFuture.supplyAsync(() -> {
            try {
                return start(keyFile);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        var sent = new ArrayList<String>();
        int sequence = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos(); // its start may take 3
        for (; !joining.isDone() || !pushes(joining.get()); sequence++) {
            for (String channel : CHANNELS) {
                sent.add(submit(first, channel, sequence));
            }
            Thread.sleep(500);
            assertThat(System.nanoTime() - deadline).as("the second instance pushes in time").isNegative();
        }
        ExchangeProcess second = joining.get();
        for (int until = sequence + 4; sequence < until; sequence++) { // both instances push now
            for (String channel : CHANNELS) {
                sent.add(submit(sequence % 2 == 0 ? first : second, channel, sequence));
            }
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> webhook.accepted().containsAll(sent));
        Thread.sleep(2_000); // time for a second push of any record, had another instance pushed it too
        assertThat(webhook.accepted()).as("every record once").hasSize(sent.size()).containsExactlyInAnyOrderElementsOf(sent);

        webhook.delay = Duration.ZERO;
        first.kill();
        for (int until = sequence + 5; sequence < until; sequence++) {
            for (String channel : CHANNELS) {
                sent.add(submit(second, channel, sequence));
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> webhook.accepted().containsAll(sent));
        Thread.sleep(2_000);
        assertThat(webhook.accepted()).as("every record once, the killed instance's channels too")
                .hasSize(sent.size()).containsExactlyInAnyOrderElementsOf(sent);
        int rounds = sequence;
        assertThat(sequencesPerChannel()).as("each channel in order")
                .allSatisfy((channel, sequences) -> assertThat(sequences).isSorted().hasSize(rounds));
    }

    /** Whether this instance has pushed a record: it owns channels. */
    private boolean pushes(ExchangeProcess instance) throws Exception {
        return http.send(HttpRequest.newBuilder(instance.management("/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body().lines()
                .anyMatch(line -> line.startsWith("ndx_exchange_push_deliveries_total{") && !line.endsWith(" 0.0"));
    }

    private Map<String, List<Integer>> sequencesPerChannel() {
        var sequences = new HashMap<String, List<Integer>>();
        synchronized (webhook.received) {
            for (Webhook.Received push : webhook.received) {
                var body = JSON.readTree(push.body());
                sequences.computeIfAbsent(body.get("channel").asString(), c -> new ArrayList<>()).add(body.get("sequence").asInt());
            }
        }
        return sequences;
    }

    private ExchangeProcess start(String keyFile) throws Exception {
        var instance = new ExchangeProcess("-Xmx256m", "--ndx.exchange.push.key-file=" + keyFile);
        instances.add(instance);
        return instance.start();
    }

    private String submit(ExchangeProcess instance, String channel, int sequence) throws Exception {
        var response = send(HttpRequest.newBuilder(instance.uri("/records/" + H41 + "/archive/" + channel))
                .headers(Headers.CALLER_AGENCY, H29, Headers.CALLER_SYSTEM, "one-stop-portal", Headers.CALLER_CLIENT, "h29-one-stop-portal",
                        Headers.TRANSACTION_ID, UUID.randomUUID().toString(), Headers.TRANSACTION_STARTED_AT, Instant.now().toString())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"" + channel + "\",\"sequence\":" + sequence + "}")).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).get("transactionId").asString();
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(GatewayProofs.signed("exchange", request), HttpResponse.BodyHandlers.ofString());
    }

    private void publishRegistry() throws Exception {
        var snapshot = new RegistrySnapshot(System.currentTimeMillis(), Instant.now(),
                List.of(new Agency(H29, "Ho Chi Minh City", false), new Agency(H41, "Nghe An", false)),
                List.of(new InformationSystem(H29, "one-stop-portal", "Portal"), new InformationSystem(H41, "archive", "Archive")),
                CHANNELS.stream().map(channel -> new Service(H41, "archive", channel, Service.Kind.CHANNEL, webhook.url(),
                        Duration.ofSeconds(10), 1_024)).toList(),
                List.of(), List.of(), "{\"keys\":[]}", List.of(), List.of(new Egress(H41, true, List.of("127.0.0.0/8"))));
        var props = new Properties();
        props.putAll(KafkaFixture.clientProperties(KafkaFixture.ADMIN));
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(RegistryKeys.signedSnapshot(JSON.writeValueAsString(snapshot))).get();
        }
    }
}
