package vn.ndx.audit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * Two packaged audit instances count side by side in one consumer group, and are killed with SIGKILL in
 * turn, four times, while a stream of transactions (some delivered twice) arrives: the totals still end
 * with exactly one count per transaction, and the chain is one intact chain. Each instance is the jar Maven
 * just packaged, as its own process, against the test broker and the test PostgreSQL.
 */
class CrashIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final int TRANSACTIONS = 20_000;
    static final LocalDate DAY = LocalDate.of(2034, 1, 1);

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void two_instances_killed_in_turn_mid_stream_count_every_transaction_exactly_once() throws Exception {
        String database = TestPostgres.server().newDatabase("audit_crash");
        String group = "ndx-audit-crash-" + UUID.randomUUID(); // audit may join groups ndx-audit* only
        var instances = new Instance[] {Instance.start(database, group, "a", "a-0"), Instance.start(database, group, "b", "b-0")};
        try {
            for (Instance instance : instances) {
                instance.awaitUp();
            }
            CompletableFuture<Integer> stream = CompletableFuture.supplyAsync(CrashIT::stream);
            long before = 0;
            long atThirdKill = 0;
            for (int kill = 0; kill < 4; kill++) {
                Instance victim = instances[kill % 2];
                Instance survivor = instances[(kill + 1) % 2];
                long seen = before;
                // kill once counting has moved on by some hundreds: in the middle of batches, not between runs
                await().atMost(Duration.ofSeconds(90)).until(() -> total(survivor.port) > seen + 500 || stream.isDone() && total(survivor.port) > seen);
                before = total(survivor.port);
                victim.kill();
                if (kill == 2) {
                    atThirdKill = before;
                }
                System.out.println("[crash-it] SIGKILL " + (kill + 1) + " of audit-" + victim.member + " with at least " + before
                        + " of " + TRANSACTIONS + " counted");
                if (kill >= 2) {
                    // past the session timeout: the group gives the victim's partitions to the survivor, which claims
                    // them, and the restarted victim claims its share back; before it, the same member just returns
                    Thread.sleep(12_000);
                }
                instances[kill % 2] = Instance.start(database, group, victim.member, victim.member + "-" + (kill + 1));
                instances[kill % 2].awaitUp();
            }
            int sent = stream.get();
            int port = instances[0].port;
            // untilAsserted: a timeout then says how far counting got
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(total(port))
                    .as("counted (see target/crash-it-*.log)").isGreaterThanOrEqualTo(sent));
            Thread.sleep(1_000); // a late double count would show now
            assertThat(total(port)).isEqualTo(sent);
            assertThat(total(instances[1].port)).as("both instances answer from the one database").isEqualTo(sent);
            assertThat(atThirdKill).as("the kills happened while counting").isLessThan(sent);

            String today = CalendarDays.today().toString();
            JsonNode report = JSON.readTree(get(port, "/audit/verify?from=" + today + "&to=" + today).body());
            assertThat(report.get("intact").asBoolean()).as(report.toString()).isTrue();
            assertThat(report.get("entriesChecked").asLong()).isGreaterThanOrEqualTo(sent);
        } finally {
            for (Instance instance : instances) {
                instance.kill();
            }
        }
    }

    /** One audit process; {@code member} is its static group membership, kept across its restarts. */
    private record Instance(Process process, int port, String member) {

        static Instance start(String database, String group, String member, String name) throws IOException {
            Path jar = Path.of("target", "audit-service.jar");
            assertThat(jar).as("the packaged jar (failsafe runs after package)").exists();
            int port = freePort();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            var command = new ArrayList<>(List.of(java, "-Xmx256m", "-jar", jar.toString(), "--server.port=" + port,
                    "--management.server.port=" + freePort(), "--spring.jmx.enabled=false",
                    "--ndx.gateway-proof.key-file=" + GatewayProofs.keyFile("audit"),
                    "--spring.kafka.consumer.group-id=" + group,
                    // the same static member each time: a restarted audit takes its partitions back at once instead
                    // of waiting for the killed one's session to expire (docs/audit.md advises the same in production)
                    "--spring.kafka.consumer.properties.group.instance.id=" + group + "-" + member,
                    "--spring.kafka.consumer.properties.session.timeout.ms=10000"));
            command.addAll(KafkaFixture.springArguments("audit"));
            command.addAll(TestPostgres.server().springArguments(database));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(Path.of("target", "crash-it-" + name + ".log").toFile()).start();
            return new Instance(process, port, member);
        }

        void awaitUp() {
            var client = new CrashIT();
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                assertThat(process.isAlive()).as("audit-" + member + " started (see target/crash-it-*.log)").isTrue();
                try {
                    // answering the statistics: started, with its database open
                    return client.total(port) >= 0;
                } catch (IOException e) {
                    return false;
                }
            });
        }

        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor();
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
                    Thread.sleep(500); // about 500 a second: the stream (40 s) outlasts the first three kills and restarts
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
