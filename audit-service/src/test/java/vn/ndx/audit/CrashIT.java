package vn.ndx.audit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
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
 * The packaged audit, killed with SIGKILL three times while a stream of transactions (some delivered
 * twice) arrives, still ends with exactly one count per transaction and an intact chain. Runs the jar
 * Maven just packaged, as its own process, against the test broker.
 */
class CrashIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final int TRANSACTIONS = 20_000;
    static final LocalDate DAY = LocalDate.of(2034, 1, 1);

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void totals_stay_exact_when_audit_is_killed_mid_stream() throws Exception {
        Path dataDir = Files.createTempDirectory("audit-crash");
        String group = "ndx-audit-crash-" + UUID.randomUUID(); // audit may join groups ndx-audit* only
        CompletableFuture<Integer> stream = CompletableFuture.supplyAsync(CrashIT::stream);

        long before = 0;
        for (int kill = 0; kill < 3; kill++) {
            int port = freePort();
            Process audit = start(dataDir, group, port, "run-" + kill);
            try {
                awaitUp(audit, port);
                long seen = before;
                // kill once counting has moved on by some hundreds: in the middle of batches, not between runs
                await().atMost(Duration.ofSeconds(90)).until(() -> total(port) > seen + 500 || stream.isDone() && total(port) > seen);
                before = total(port);
            } finally {
                audit.destroyForcibly().waitFor();
            }
            System.out.println("[crash-it] SIGKILL " + (kill + 1) + " with at least " + before + " of " + TRANSACTIONS + " counted");
        }
        int sent = stream.get();

        int port = freePort();
        Process audit = start(dataDir, group, port, "final");
        try {
            awaitUp(audit, port);
            // untilAsserted: a timeout then says how far the final instance got
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(total(port))
                    .as("counted by the final instance (see target/crash-it-final.log)").isGreaterThanOrEqualTo(sent));
            Thread.sleep(1_000); // a late double count would show now
            assertThat(total(port)).isEqualTo(sent);
            assertThat(before).as("the kills happened while counting").isLessThan(sent);

            String today = CalendarDays.today().toString();
            JsonNode report = JSON.readTree(get(port, "/audit/verify?from=" + today + "&to=" + today).body());
            assertThat(report.get("intact").asBoolean()).as(report.toString()).isTrue();
            assertThat(report.get("entriesChecked").asLong()).isGreaterThanOrEqualTo(sent);
        } finally {
            audit.destroyForcibly().waitFor();
        }
    }

    /** Sends the transactions at a bounded rate, every 20th twice and a third of them as records; returns how many distinct ones. */
    private static int stream() {
        var props = new Properties();
        props.putAll(KafkaFixture.clientProperties(KafkaFixture.ADMIN));
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (var producer = new KafkaProducer<String, byte[]>(props, new StringSerializer(), new ByteArraySerializer())) {
            List<TransactionEvent> again = new ArrayList<>();
            for (int i = 0; i < TRANSACTIONS; i++) {
                var event = new TransactionEvent(UUID.randomUUID().toString(), i % 3 == 0 ? TransactionKind.RECORD : TransactionKind.QUERY,
                        DAY.atTime(12, 0).atZone(CalendarDays.ZONE).toInstant().plusMillis(i), 900, "000.00.00.H29", "one-stop-portal",
                        "h29-one-stop-portal", "000.00.18.G12", "tax-registry", "business-tax-status", "GET", 200, Outcome.OK, null, 10, 20,
                        "gateway", null, null);
                send(producer, event);
                if (i % 20 == 0) {
                    again.add(event);
                }
                if (i % 250 == 249) {
                    again.forEach(duplicate -> send(producer, duplicate));
                    again.clear();
                    producer.flush();
                    Thread.sleep(250); // about 1,000 a second: the stream outlasts the first restarts
                }
            }
            again.forEach(duplicate -> send(producer, duplicate));
            producer.flush();
            return TRANSACTIONS;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, TransactionEvent event) {
        byte[] json = JSON.writeValueAsBytes(event);
        if (event.kind() == TransactionKind.RECORD) {
            var record = new ProducerRecord<String, byte[]>(Topics.RECORDS, "sender>recipient", "{}".getBytes());
            record.headers().add(Headers.TRANSACTION_EVENT, json);
            producer.send(record);
        } else {
            producer.send(new ProducerRecord<>(Topics.TRANSACTIONS, event.transactionId(), json));
        }
    }

    private static Process start(Path dataDir, String group, int port, String name) throws IOException {
        Path jar = Path.of("target", "audit-service.jar");
        assertThat(jar).as("the packaged jar (failsafe runs after package)").exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new java.util.ArrayList<>(List.of(java, "-Xmx256m", "-jar", jar.toString(), "--server.port=" + port,
                "--management.server.port=" + freePort(), "--spring.jmx.enabled=false", "--ndx.audit.data-dir=" + dataDir,
                "--ndx.gateway-proof.key-file=" + GatewayProofs.keyFile("audit"),
                "--spring.kafka.consumer.group-id=" + group,
                // the same static member each time: a restarted audit takes its partitions back at once instead
                // of waiting for the killed one's session to expire (docs/audit.md advises the same in production)
                "--spring.kafka.consumer.properties.group.instance.id=" + group + "-1",
                "--spring.kafka.consumer.properties.session.timeout.ms=10000"));
        command.addAll(KafkaFixture.springArguments("audit"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(Path.of("target", "crash-it-" + name + ".log").toFile()).start();
    }

    private void awaitUp(Process audit, int port) {
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            assertThat(audit.isAlive()).as("audit started (see target/crash-it-*.log)").isTrue();
            try {
                // answering the statistics: started, with its database open
                return total(port) >= 0;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private long total(int port) throws Exception {
        var response = get(port, "/stats/daily?from=" + DAY + "&to=" + DAY);
        return response.statusCode() == 200 ? JSON.readTree(response.body()).get(0).get("total").asLong() : -1;
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(GatewayProofs.signed("audit", HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build()),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
